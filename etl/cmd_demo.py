"""`demo`: a database full of realistic demo data and the demo accounts."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from typing import Any

from tracker import config
from tracker.domain import clock
from tracker.domain.errors import DatabaseUnavailable
from tracker.services import demo
from tracker.store import Database


def register(sub: Any) -> dict[str, Any]:
    from etl.cli import add_db_option

    p = sub.add_parser("demo", help="create a database filled with demo data")
    add_db_option(p)
    p.add_argument("--scale", choices=sorted(demo.SCALES), default="S", help="S (default), M (10×) or L (100×)")
    p.add_argument("--seed", type=int, default=7, help="random seed (same seed and today → same data)")
    p.add_argument(
        "--today", type=dt.date.fromisoformat, metavar="YYYY-MM-DD", help="the date the data is built around"
    )
    p.add_argument("--force", action="store_true", help="replace an existing database file")
    return {"demo": run}


def run(args: argparse.Namespace) -> int:
    path = config.db_path(args.db)
    if path.exists():
        if not args.force:
            raise DatabaseUnavailable(f"{path} already exists; use --force to replace it with demo data.")
        # Open first: refuses (with a clear message) if the running app holds the file.
        Database.open(path, migrate=False).close()
        path.unlink()
        wal = path.with_name(path.name + ".wal")
        if wal.exists():
            wal.unlink()
    today = args.today or clock.today()
    started = time.perf_counter()
    db = Database.open(path, create=True)
    try:
        summary = demo.generate(db, scale=args.scale, seed=args.seed, today=today)
        with db.cursor() as cur:
            cur.execute("CHECKPOINT")
    except BaseException:
        db.close()
        path.unlink(missing_ok=True)
        raise
    db.close()
    print(
        f"{path}: demo data at scale {args.scale} for {today.isoformat()} in "
        f"{time.perf_counter() - started:.1f} s — {summary}"
    )
    print("Demo accounts: director (viewer), officer (editor), admin (admin); password: demo")
    return 0
