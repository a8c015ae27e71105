"""The process's database, opened once and shared by every session."""

from __future__ import annotations

import streamlit as st

from tracker import config
from tracker.domain.errors import DatabaseUnavailable
from tracker.store import Database


@st.cache_resource(show_spinner=False)
def _open(path: str) -> Database:
    return Database.open(path)


def get_db() -> Database:
    """The open database, or a clear message and a stopped page."""
    path = str(config.db_path())
    try:
        db = _open(path)
        if db.broken:
            # Never keep serving from a connection DuckDB has invalidated: reopen once.
            _open.clear()  # type: ignore[attr-defined]
            db.close()
            db = _open(path)
        return db
    except DatabaseUnavailable as exc:
        st.error(str(exc), icon=":material/database:")
        st.stop()
        raise  # unreachable; st.stop raises
