"""`create-user`: an account on any database, e.g. the first admin of a production one."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from tracker.domain.errors import InvalidInput
from tracker.services import accounts


def register(sub: Any) -> dict[str, Any]:
    from etl.cli import add_db_option

    p = sub.add_parser("create-user", help="create an account (password from a prompt or stdin)")
    p.add_argument("name", metavar="NAME", help="user name")
    p.add_argument("--role", choices=["viewer", "editor", "admin"], required=True)
    p.add_argument("--display-name", help="full name shown in the app")
    p.add_argument("--email", help="e-mail (used to match single sign-on)")
    add_db_option(p)
    return {"create-user": run}


def read_password() -> str:
    """From a prompt on a terminal (asked twice), else the first line of stdin — never argv."""
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != first:
            raise InvalidInput.one("Password", "the two entries differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def run(args: argparse.Namespace) -> int:
    from etl.cmd_db import open_existing

    db = open_existing(args.db)
    try:
        password = read_password()
        user = accounts.create_user(
            db,
            None,
            {"username": args.name, "role": args.role, "display_name": args.display_name, "email": args.email},
            password,
            bootstrap=True,
        )
    finally:
        db.close()
    print(f"created {user.username} ({user.role.label})")
    return 0
