"""Backups on the Admin page: on demand, the list of past backups with their verification, and
how to restore one. The nightly job itself belongs to the server (:mod:`tracker.web.nightly`)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from tracker import config
from tracker.domain import clock
from tracker.domain.errors import InvalidInput, PermissionDenied, StorageError
from tracker.domain.models import User
from tracker.services import backup
from tracker.store import Database
from tracker.ui.kit.text import md
from tracker.ui.shell.cache import TTL_SECONDS
from tracker.ui.shell.db import get_db
from tracker.web.nightly import ensure_nightly_backups


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _history(_user: User) -> list[dict[str, Any]]:
    # A backup taken on this page clears this at once; a nightly one is listed within a minute.
    return backup.history(get_db(), _user)


def taken_by(who: str, taken_at: Any) -> str:
    """Who took a backup as the admin reads it. The nightly job also catches up when the app
    starts after the night's hour: that one is not labelled "nightly" (pure, given the settings)."""
    if who != backup.NIGHTLY:
        return who
    try:
        hour = backup.nightly_hour()
    except InvalidInput:
        hour = None
    if hour is not None and clock.local(taken_at).hour == hour:
        return "Nightly job"
    return "Catch-up at start-up"


def _settings() -> str:
    try:
        hour = backup.nightly_hour()
        keep = backup.keep()
    except InvalidInput as exc:
        return f"The backup settings are wrong: {exc}"
    when = "off" if hour is None else f"every night at {hour:02d}:00 ({config.timezone_name()})"
    return f"Folder {backup.folder()} · nightly backup {when} · the newest {keep} are kept"


def render_backup_panel(db: Database, user: User) -> None:
    """Back up now, the backups taken so far, and how to restore one."""
    job = ensure_nightly_backups()
    st.subheader("Backups", anchor=False)
    st.caption(md(_settings()) + "  \nSet with TRACKER_BACKUP_DIR, TRACKER_BACKUP_HOUR and TRACKER_BACKUP_KEEP.")
    if job.last_error:
        st.error(md(f"The last nightly backup failed: {job.last_error}"), icon=":material/error:")
    if st.button("Back up now", icon=":material/backup:", key="backup_now"):
        try:
            with st.spinner("Backing up and reading the backup back…"):
                result = backup.backup_now(db, user)
        except (PermissionDenied, StorageError, InvalidInput) as exc:
            st.error(md(str(exc)), icon=":material/error:")
        else:
            _history.clear()
            if result.verified:
                st.success(md(f"Backup saved in {result.path} — {result.detail}."), icon=":material/check_circle:")
            else:
                st.error(md(f"Backup in {result.path} could not be verified: {result.detail}"), icon=":material/error:")
    try:
        rows = _history(user)
    except PermissionDenied as exc:
        st.error(md(str(exc)))
        return
    if not rows:
        st.info("No backups yet. Take one now; the nightly job adds one every night.", icon=":material/info:")
    else:
        import pandas as pd  # here, not at import: the server answers its health check sooner

        frame = pd.DataFrame(
            {
                "Taken": [clock.format_timestamp(r["taken_at"]) for r in rows],
                "By": [taken_by(r["taken_by"], r["taken_at"]) for r in rows],
                "Verified": [bool(r["verified"]) for r in rows],
                "Check": [r["detail"] or "" for r in rows],
                "Schema": [r["schema_version"] for r in rows],
                "Folder": [r["path"] + ("" if r["present"] else " (removed)") for r in rows],
            }
        )
        st.dataframe(
            frame,
            hide_index=True,
            width="stretch",
            column_config={"Verified": st.column_config.CheckboxColumn("Verified")},
        )
    with st.expander("Restore a backup"):
        st.markdown(
            "A restore replaces the whole database, so it runs with the app stopped. Stop the app, then run "
            "the command below with the backup's folder; the database it replaces is kept beside it "
            "(`.before-restore-…`). A backup from a newer version of the app is refused."
        )
        st.code(f"python -m etl restore FOLDER --db {config.db_path()} --force", language="bash")
