"""`check`: verify the database's invariants; exit 0 with "OK …" or 1 with what is wrong."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tracker import config
from tracker.domain.errors import DatabaseUnavailable
from tracker.services import integrity
from tracker.store import Database


def register(sub: Any) -> dict[str, Any]:
    from etl.cli import add_db_option

    p = sub.add_parser(
        "check",
        help="verify the database's invariants (stage histories, links, versions, audit)",
        description="Check the database without changing it. Exits 0 and prints 'OK …' when every "
        "invariant holds; otherwise lists each problem on stderr and exits 1.",
    )
    add_db_option(p)
    return {"check": run}


def run(args: argparse.Namespace) -> int:
    path = config.db_path(args.db)
    if not path.exists():
        raise DatabaseUnavailable(f"No database at {path}. Create one with `python -m etl init --db {path}`.")
    # Never migrate here: a check reports what is on disk, it does not change it.
    db = Database.open(path, migrate=False)
    try:
        report = integrity.check(db)
    finally:
        db.close()
    if report.ok:
        print(f"{path}: {report.summary()}")
        return 0
    print(f"{path}: {report.summary()}", file=sys.stderr)
    for problem in report.problems:
        print(f"  - {problem}", file=sys.stderr)
    return 1
