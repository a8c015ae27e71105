"""`import-consultations FILE`: the Commission's Have Your Say export (CSV or JSON), all or nothing."""

from __future__ import annotations

import argparse
import getpass
import re
import sys
import time
from pathlib import Path
from typing import Any

from tracker.domain.enums import Role
from tracker.domain.models import User
from tracker.services.exchange import have_your_say


def register(sub: Any) -> dict[str, Any]:
    from etl.cli import add_db_option

    p = sub.add_parser(
        "import-consultations",
        help="import the Commission's Have Your Say export (CSV or JSON); re-importing updates, never duplicates",
    )
    p.add_argument("file", metavar="FILE", help="the export, .csv or .json")
    add_db_option(p)
    p.add_argument("--dry-run", action="store_true", help="check the file and count the changes; write nothing")
    return {"import-consultations": run}


def command_line_actor() -> User:
    """Who the audit names for a command-line import: the operating-system account."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "unknown"
    name = "cli." + (re.sub(r"[^A-Za-z0-9._@-]", "", login)[:40] or "unknown")
    return User(id=0, username=name, display_name="Command line", role=Role.EDITOR)


def run(args: argparse.Namespace) -> int:
    from etl.cmd_db import open_existing

    path = Path(args.file).expanduser()
    if not path.is_file():
        raise have_your_say.UnreadableExport(f"There is no file at {path}.")
    db = open_existing(args.db)
    started = time.perf_counter()
    try:
        report = have_your_say.import_file(db, command_line_actor(), path, dry_run=args.dry_run)
    finally:
        db.close()
    took = time.perf_counter() - started
    prefix = "dry run, nothing written — " if args.dry_run else ""
    print(f"{path.name}: {prefix}{report.summary()} ({took:.2f} s)")
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0
