"""Accounts from the console: `create-user` (e.g. the first admin of a production database),
`reset-password` (e.g. a locked-out admin) and `sign-out-everyone`. Passwords come from a prompt
or stdin, never from the command line (argv is visible to every user of the machine)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from tracker.domain.errors import InvalidInput
from tracker.services import accounts, sessions


def register(sub: Any) -> dict[str, Any]:
    from etl.cli import add_db_option

    p = sub.add_parser("create-user", help="create an account (password from a prompt or stdin)")
    p.add_argument("name", metavar="NAME", help="user name")
    p.add_argument("--role", choices=["viewer", "editor", "admin"], required=True)
    p.add_argument("--display-name", help="full name shown in the app")
    p.add_argument("--email", help="e-mail (used to match single sign-on)")
    add_db_option(p)

    r = sub.add_parser("reset-password", help="set an account's password (from a prompt or stdin) and unlock it")
    r.add_argument("name", metavar="NAME", help="user name")
    add_db_option(r)

    s = sub.add_parser("sign-out-everyone", help="end every sign-in and replace the cookie key kept in the database")
    add_db_option(s)
    return {"create-user": run, "reset-password": run_reset, "sign-out-everyone": run_sign_out_everyone}


def read_password() -> str:
    """From a prompt on a terminal (asked twice), else the first line of stdin — never argv."""
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != first:
            raise InvalidInput.one("Password", "the two entries differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def run(args: argparse.Namespace) -> int:
    from etl.cmd_db import existing

    with existing(args.db) as db:
        password = read_password()
        if not password:
            raise InvalidInput.one("Password", "is empty")
        user = accounts.create_user(
            db,
            None,
            {"username": args.name, "role": args.role, "display_name": args.display_name, "email": args.email},
            password,
            bootstrap=True,
        )
    print(f"created {user.username} ({user.role.label})")
    return 0


def run_reset(args: argparse.Namespace) -> int:
    from etl.cmd_db import existing

    with existing(args.db) as db:
        user = accounts.set_password_from_console(db, args.name, read_password())
    print(f"password of {user.username} set; its sign-ins are ended and any lock lifted")
    return 0


def run_sign_out_everyone(args: argparse.Namespace) -> int:
    from etl.cmd_db import existing

    with existing(args.db) as db:
        ended = sessions.sign_out_everyone_from_console(db)
    print(f"{ended:,} sign-ins ended; the database's cookie key is replaced")
    return 0
