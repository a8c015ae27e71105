"""The nightly backup job: one per process and database file, started by the lifespan (or by the
first page that needs it when the app runs without ``st.App``)."""

from __future__ import annotations

import streamlit as st

from tracker import config, runtime
from tracker.services import backup
from tracker.store import Database


def _stop(job: backup.NightlyBackups) -> None:
    job.stop()


# st.cache_resource rather than a module global: one job per process even when the lifespan and a
# page race to start it, and clearing Streamlit's resources (as the tests do) stops it.
@st.cache_resource(show_spinner=False, on_release=_stop)
def _nightly(path: str) -> backup.NightlyBackups:
    def current() -> Database:
        # The connection the app serves from (reopened by the composition root if it ever broke).
        return runtime.database(path)

    return backup.NightlyBackups(current).start()


def ensure_nightly_backups() -> backup.NightlyBackups:
    """Start the nightly backup job for this process (once; later calls return it)."""
    return _nightly(str(config.db_path()))
