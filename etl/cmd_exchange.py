"""`export TABLE FILE` and `import TABLE FILE`: spreadsheets in and out (.csv or .xlsx)."""

from __future__ import annotations

import argparse
import getpass
import re
import sys
import time
from pathlib import Path
from typing import Any

from tracker.domain.enums import Role
from tracker.domain.errors import ImportRefused, InvalidInput, PermissionDenied
from tracker.domain.models import User
from tracker.services import accounts
from tracker.services.exchange import exports, imports, spreadsheet

SHOWN_ERRORS = 50


def register(sub: Any) -> dict[str, Any]:
    from etl.cli import add_db_option

    p = sub.add_parser("export", help="write one table to a .csv or .xlsx file")
    p.add_argument("table", choices=exports.TABLE_NAMES, metavar="TABLE", help=", ".join(exports.TABLE_NAMES))
    p.add_argument("file", metavar="FILE", help="the file to write; .csv or .xlsx")
    add_db_option(p)

    p = sub.add_parser("import", help="read one table back from a .csv or .xlsx file (all or nothing)")
    p.add_argument("table", choices=exports.IMPORTABLE, metavar="TABLE", help=", ".join(exports.IMPORTABLE))
    p.add_argument("file", metavar="FILE", help="a file in the export format (.csv or .xlsx)")
    p.add_argument("--user", metavar="NAME", help="record the changes as this editor's (default: the command line)")
    p.add_argument("--dry-run", action="store_true", help="check the file and report; write nothing")
    p.add_argument("--errors", metavar="REPORT.csv", help="if refused, write every unusable line to this CSV")
    add_db_option(p)
    return {"export": run_export, "import": run_import}


def run_export(args: argparse.Namespace) -> int:
    from etl.cmd_db import open_existing

    target = Path(args.file)
    fmt = _format(target)
    if not target.parent.exists():
        raise InvalidInput.one("FILE", f"folder {target.parent} does not exist")
    db = open_existing(args.db)
    try:
        started = time.perf_counter()
        out = exports.export_file(db, None, args.table, fmt)
    finally:
        db.close()
    target.write_bytes(out.data)
    print(f"{target}: {out.rows:,} {args.table.replace('_', ' ')} in {time.perf_counter() - started:.1f} s")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from etl.cmd_db import open_existing

    source = Path(args.file)
    _format(source)
    data = source.read_bytes()
    db = open_existing(args.db)
    try:
        actor = _actor(db, args.user)
        started = time.perf_counter()
        try:
            report = imports.import_file(db, actor, args.table, data, source.name, dry_run=args.dry_run, max_bytes=None)
        except ImportRefused as exc:
            _print_refusal(exc, args.errors)
            return 1
    finally:
        db.close()
    verb = "would change" if args.dry_run else "imported"
    print(
        f"{source}: {verb} {args.table.replace('_', ' ')} in {time.perf_counter() - started:.1f} s — {report.summary()}"
    )
    return 0


def _format(path: Path) -> str:
    try:
        return spreadsheet.format_of(path.name)
    except ImportRefused as exc:
        raise InvalidInput.one("FILE", exc.errors[0].message) from None


def _actor(db: Any, username: str | None) -> User:
    """The editor the changes are recorded for: ``--user``, else the command line itself."""
    if username:
        user = accounts.get_user(db, username)
        if user is None or user.disabled:
            raise PermissionDenied(f"No active account named {username!r}.")
        if not user.role.allows(Role.EDITOR):
            raise PermissionDenied(f"{username} is a {user.role.label}; importing needs an editor or admin.")
        return user
    who = re.sub(r"[^A-Za-z0-9._-]", "", getpass.getuser()) or "operator"
    # Whoever can run this command can open the database file itself: the command line acts as admin.
    return User(id=0, username=f"cli@{who}"[:64], display_name="command line", role=Role.ADMIN)


def _print_refusal(exc: ImportRefused, report_path: str | None) -> None:
    print(f"error: {imports.refusal_summary(exc.errors)}", file=sys.stderr)
    for err in exc.errors[:SHOWN_ERRORS]:
        print(f"  {err}", file=sys.stderr)
    hidden = len(exc.errors) - SHOWN_ERRORS
    if hidden > 0:
        hint = "" if report_path else " (write them all with --errors REPORT.csv)"
        print(f"  … and {hidden:,} more{hint}", file=sys.stderr)
    if report_path:
        Path(report_path).write_bytes(imports.errors_csv(exc.errors))
        print(f"  every unusable line is in {report_path}", file=sys.stderr)
