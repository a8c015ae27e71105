"""The pages' way to the process's database: a clear message and a stopped page when it is missing."""

from __future__ import annotations

import streamlit as st

from tracker import runtime
from tracker.domain.errors import DatabaseUnavailable
from tracker.store import Database

from . import cache

# Registered once for the process: every committed change clears the cached views.
runtime.when_opened(cache.watch)


def get_db() -> Database:
    """The open database, or a clear message and a stopped page."""
    try:
        return runtime.database()
    except DatabaseUnavailable as exc:
        st.error(str(exc), icon=":material/database:")
        st.stop()
        raise  # unreachable; st.stop raises
