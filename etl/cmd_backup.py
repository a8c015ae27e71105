"""`backup DIR` and `restore DIR`: for a stopped app (a running app takes its own backups)."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import Any

from tracker import config
from tracker.services import backup


def register(sub: Any) -> dict[str, Any]:
    from etl.cli import add_db_option

    p = sub.add_parser("backup", help="back the database up into a new folder under DIR (app stopped)")
    p.add_argument("dir", metavar="DIR", help="folder that receives the backup (created if needed)")
    add_db_option(p)

    p = sub.add_parser("restore", help="rebuild the database from a backup folder (app stopped)")
    p.add_argument("dir", metavar="DIR", help="the backup's folder (tracker-YYYYMMDD-HHMMSS)")
    p.add_argument("--force", action="store_true", help="replace an existing database (kept as .before-restore)")
    add_db_option(p)
    return {"backup": run_backup, "restore": run_restore}


def run_backup(args: argparse.Namespace) -> int:
    from etl.cmd_db import open_existing

    db = open_existing(args.db)
    try:
        result = backup.take(db, taken_by=f"command line ({getpass.getuser()})", root=Path(args.dir))
    finally:
        db.close()
    if not result.verified:
        print(f"error: backup in {result.path} {result.detail}")
        return 1
    print(f"{result.path}: {result.detail}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    target = config.db_path(args.db)
    result = backup.restore(Path(args.dir), target, replace=args.force)
    kept = f"; the previous database is kept as {result.previous}" if result.previous else ""
    print(
        f"{result.target}: restored from {result.source} (schema {result.schema_version}), "
        f"{len(result.counts)} tables and {result.rows:,} rows checked{kept}"
    )
    return 0
