"""Cache policy: readers are cached with a short ttl; every committed change clears them all.

Clearing everything is deliberate: a write to an issue changes the overview, the lists and the
linked pages, and a small app gains nothing from finer bookkeeping that could go stale.

Nobody calls the clearing after a write: :func:`watch` registers it as the database's on-commit
hook (once per opened database, see ``shell/db.py``), so a write made anywhere in this process —
a page, a background job — clears the caches when it commits. :func:`sync`, called by the page
frame on every rerun, reads the database's data epoch and clears them when another process
(a second app replica, the command line) has committed since.

Two kinds of cached reader:

- ``st.cache_data`` hands every caller its own unpickled copy. Right for small values a page may
  change (lists it appends to, dicts it fills).
- :func:`shared` hands every caller the very same object. A warm rerun then costs nothing for the
  size of the result, and a server keeps one copy for all its sessions instead of one per hit.
  Right for what a page only displays: display-ready frames and figures. Callers must never
  change what it returns.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from tracker.store import Database

TTL_SECONDS = 60
SHARED_ENTRIES = 64  # per reader: distinct filter combinations kept at once

F = TypeVar("F", bound=Callable[..., Any])
_SHARED: list[Any] = []
_seen_epoch: dict[int, int] = {}  # id(db) → the data epoch the caches were last cleared for
_seen_lock = threading.Lock()


def shared(func: F) -> F:
    """Cache ``func``'s read-only result for every session (cleared by :func:`clear_views`)."""
    cached = st.cache_resource(ttl=TTL_SECONDS, show_spinner=False, max_entries=SHARED_ENTRIES)(func)
    _SHARED.append(cached)
    return cached  # type: ignore[return-value]


def clear_views() -> None:
    """Drop every cached view (the database's on-commit hook; see :func:`watch`)."""
    st.cache_data.clear()
    for cached in _SHARED:
        cached.clear()


def watch(db: Database) -> None:
    """Clear the caches whenever ``db`` commits a change (registered once per database)."""

    def committed() -> None:
        clear_views()
        _remember(db, db.data_epoch())

    db.on_commit(committed)
    _remember(db, db.data_epoch())


def sync(db: Database) -> None:
    """Clear the caches if another process changed the data since they were filled (one read)."""
    epoch = db.data_epoch()
    with _seen_lock:
        stale = _seen_epoch.get(id(db)) != epoch
        _seen_epoch[id(db)] = epoch
    if stale:
        clear_views()


def _remember(db: Database, epoch: int) -> None:
    with _seen_lock:
        _seen_epoch[id(db)] = max(epoch, _seen_epoch.get(id(db), epoch))
