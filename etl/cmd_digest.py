"""`digest [--send] [--user NAME] [--to DIR]`: print the e-mail digests that are due (default),
send them through the SMTP server (--send), or write them as .eml files into DIR (--to).

Sending and writing record each digest, so a period is never delivered twice, and retry the
ones that failed before; printing records nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tracker.domain.errors import InvalidInput
from tracker.services import digests, mail


def register(sub: Any) -> dict[str, Any]:
    from etl.cli import add_db_option

    p = sub.add_parser(
        "digest",
        help="print, send (--send) or write (--to DIR) the e-mail digests that are due",
        description="Compose the digests whose time has come (TRACKER_DIGEST_HOUR in TRACKER_TZ; Mondays for "
        "weekly ones). Without options they are printed and nothing is recorded.",
    )
    p.add_argument("--send", action="store_true", help="send them through TRACKER_SMTP_HOST and record them")
    p.add_argument("--user", metavar="NAME", help="only this account's digest")
    p.add_argument("--to", metavar="DIR", help="write them as .eml files into DIR (created if needed) and record them")
    add_db_option(p)
    return {"digest": run}


def run(args: argparse.Namespace) -> int:
    from etl.cmd_db import open_existing

    if args.send and args.to:
        raise InvalidInput.one("--to", "choose either --send or --to DIR, not both")
    hour = digests.digest_hour()
    transport: mail.Transport | None = None
    if args.send:
        transport = mail.SmtpTransport()  # refuses before opening the database when no server is set
    elif args.to:
        transport = mail.FolderTransport(Path(args.to))
    db = open_existing(args.db)
    try:
        if transport is None:
            return _print(db, args.user, hour)
        report = digests.run(db, transport, username=args.user, hour=hour)
    finally:
        db.close()
    for name, why in report.skipped:
        print(f"{name}: skipped ({why})", file=sys.stderr)
    for name, error in report.failed:
        print(f"{name}: not sent — {error}", file=sys.stderr)
    where = f" into {args.to}" if args.to else ""
    print(f"digests{where}: {report.summary()}")
    if report.failed:
        print(
            f"error: {len(report.failed)} digest(s) could not be sent; they are retried at the next run",
            file=sys.stderr,
        )
        return 1
    return 0


def _print(db: Any, user: str | None, hour: int | None) -> int:
    due, skipped = digests.due_digests(db, username=user, hour=hour)
    shown = 0
    for d in due:
        if d.empty:
            print(f"{d.username}: nothing new, no digest", file=sys.stderr)
            continue
        shown += 1
        print(f"To: {mail.address(d.name, d.email or '')}\nSubject: {d.subject}\n")
        print(d.text())
    for name, why in skipped:
        print(f"{name}: skipped ({why})", file=sys.stderr)
    if not shown:
        print("No digest is due.", file=sys.stderr)
    return 0
