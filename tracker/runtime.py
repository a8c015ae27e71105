"""The composition root: the process's one open database, shared by the pages and the web routes.

The database file is opened once per process (a second connection to the same file from this
process would be a second writer outside the write lock). Whoever needs to react to new
connections (the UI clears its caches on every committed change) registers with
:func:`when_opened` once, instead of reaching into another module's private opener.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from tracker import config
from tracker.store import Database

_LOCK = threading.Lock()
_OPEN: dict[Path, Database] = {}
_WHEN_OPENED: list[Callable[[Database], None]] = []


def when_opened(hook: Callable[[Database], None]) -> None:
    """Call ``hook`` with every database this process opens from now on (and those already open)."""
    with _LOCK:
        if hook in _WHEN_OPENED:
            return
        _WHEN_OPENED.append(hook)
        already = list(_OPEN.values())
    for db in already:
        hook(db)


def database(path: str | Path | None = None) -> Database:
    """The open database at ``path`` (default: ``TRACKER_DB``, else data/tracker.duckdb).

    Opened on first use; a connection DuckDB has invalidated is closed and opened again once,
    never served from. Raises :class:`~tracker.domain.errors.DatabaseUnavailable` with a message
    for the user when the file cannot be opened.
    """
    key = config.db_path(path).resolve()
    with _LOCK:
        db = _OPEN.get(key)
        if db is not None and db.broken:
            del _OPEN[key]
            db.close()
            db = None
        if db is None:
            db = _OPEN[key] = Database.open(key)
            hooks = list(_WHEN_OPENED)
        else:
            return db
    for hook in hooks:
        hook(db)
    return db


def close_all() -> None:
    """Close every database this process opened (tests, shutdown)."""
    with _LOCK:
        dbs = list(_OPEN.values())
        _OPEN.clear()
    for db in dbs:
        db.close()
