"""`init`: an empty database with the schema and nothing else."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tracker import config
from tracker.domain.errors import DatabaseUnavailable
from tracker.store import Database


def register(sub: Any) -> dict[str, Any]:
    from etl.cli import add_db_option

    p = sub.add_parser("init", help="create an empty database with the schema")
    add_db_option(p)
    return {"init": run_init}


def run_init(args: argparse.Namespace) -> int:
    path = config.db_path(args.db)
    existed = path.exists()
    db = Database.open(path, create=True)
    try:
        applied = db.migrate()
    finally:
        db.close()
    if existed and not applied:
        print(f"{path}: schema already up to date")
    elif existed:
        print(f"{path}: applied migrations {', '.join(map(str, applied))}")
    else:
        print(f"{path}: created an empty database (schema version {Database_version()})")
    return 0


def Database_version() -> int:  # noqa: N802 - small helper kept next to its only use
    from tracker.store.migrations import LATEST

    return LATEST


def open_existing(path_arg: str | None) -> Database:
    """The database for a command that needs one to exist already."""
    path = config.db_path(path_arg)
    if not path.exists():
        raise DatabaseUnavailable(f"No database at {path}. Create one with `python -m etl init --db {path}`.")
    return Database.open(path)


@contextmanager
def existing(path_arg: str | None) -> Iterator[Database]:
    """:func:`open_existing`, closed when the command is done with it."""
    db = open_existing(path_arg)
    try:
        yield db
    finally:
        db.close()
