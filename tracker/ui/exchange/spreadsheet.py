"""Spreadsheet import on the Import & export page: upload, preview, check, import with progress,
or the full report of unusable lines (also as a CSV download)."""

from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain.enums import Role
from tracker.domain.errors import (
    EditConflict,
    ImportRefused,
    ImportReport,
    InvalidInput,
    PermissionDenied,
    StorageError,
)
from tracker.domain.models import User
from tracker.services.exchange import exports, imports, spreadsheet
from tracker.services.exchange.spreadsheet import Sheet
from tracker.ui.kit import background
from tracker.ui.kit.text import md
from tracker.ui.shell.db import get_db

from .refusal import show_refusal

PREVIEW_LINES = 20


def _label(table: str) -> str:
    return exports.TABLES[table].label


def render_spreadsheet_import(user: User, key: str = "sheet") -> None:
    """The whole import flow for editors; viewers see why there is none."""
    st.subheader("Import a spreadsheet", anchor=False)
    st.caption(
        "Import a file in the export format (CSV or Excel). Lines with an ID update that row — only if it "
        "changed and nobody saved it since your export; lines without an ID are added. Organisations and "
        "issues may be named instead of numbered. One unusable line refuses the whole file: nothing is "
        "written and you get a report of every unusable line."
    )
    if not user.role.allows(Role.EDITOR):
        st.info("Importing needs the Editor role; you can export every list above.", icon=":material/lock:")
        return
    table = st.selectbox("Import into", exports.IMPORTABLE, format_func=_label, key=f"{key}_table")
    upload = st.file_uploader(
        f"Spreadsheet (.csv or .xlsx, up to {spreadsheet.MAX_BYTES // 1_048_576} MB)",
        type=["csv", "xlsx"],
        key=f"{key}_file",
    )
    if upload is None:
        return
    data = upload.getvalue()
    digest = hashlib.sha256(table.encode() + b"\0" + data).hexdigest()
    done = st.session_state.get(f"{key}_done")
    if done and done[0] == digest:
        st.success(md(done[1]), icon=":material/check_circle:")
        return
    checked = _check(user, table, data, upload.name, digest, key)
    if checked is None:
        return
    if checked.inserted + checked.updated == 0:
        st.caption("Everything in this file is already in the tracker; importing it would change nothing.")
        return
    _import(user, table, data, upload.name, digest, checked, key)


def _check(user: User, table: str, data: bytes, name: str, digest: str, key: str) -> ImportReport | None:
    """Read and dry-run the file (what an import would do) in the background, once per file;
    show its preview and counts when done."""
    saved = st.session_state.get(f"{key}_checked")
    if not (saved and saved[0] == digest):
        job = background.finish(f"{key}_checking")
        if job is None:
            if background.running(f"{key}_checking") is None:
                db = get_db()

                def work(progress: imports.Progress) -> tuple[pd.DataFrame, int, ImportReport]:
                    sheet = imports.read_sheet(data, name)
                    report = imports.import_file(db, user, table, data, name, dry_run=True, progress=progress)
                    return preview_frame(sheet), len(sheet), report

                background.start(f"{key}_checking", "Checking every line", work)
            background.show_progress(f"{key}_checking")
            return None
        if not _ended_well(job, table, key):
            return None
        saved = (digest, *job.result)
        st.session_state[f"{key}_checked"] = saved
    _, preview, lines, report = saved
    st.markdown(f"**{md(name)}** · {lines:,} lines · first {min(lines, PREVIEW_LINES)} shown")
    st.dataframe(preview, hide_index=True, width="stretch")
    c1, c2, c3 = st.columns(3)
    c1.metric("New", f"{report.inserted:,}")
    c2.metric("Updated", f"{report.updated:,}")
    c3.metric("Unchanged", f"{report.unchanged:,}")
    checked: ImportReport = report
    return checked


def _import(user: User, table: str, data: bytes, name: str, digest: str, checked: ImportReport, key: str) -> None:
    """The import button; the import itself runs in the background with its progress bar."""
    job_key = f"{key}_importing"
    job = background.finish(job_key)
    if job is not None:
        st.session_state.pop(f"{key}_checked", None)
        if _ended_well(job, table, key):
            message = f"Imported {name} into {_label(table).lower()}: {job.result.summary()}."
            st.session_state[f"{key}_done"] = (digest, message)
            st.success(md(message), icon=":material/check_circle:")
        return
    if background.running(job_key) is None:
        label = f"Import into {_label(table).lower()}: {checked.inserted:,} new, {checked.updated:,} updated"
        if not st.button(label, type="primary", key=f"{key}_go", icon=":material/upload:"):
            return
        db = get_db()
        background.start(
            job_key, "Importing", lambda progress: imports.import_file(db, user, table, data, name, progress=progress)
        )
    background.show_progress(job_key)


def _ended_well(job: background.Job, table: str, key: str) -> bool:
    """Whether the job succeeded; otherwise its refusal or error in words."""
    if isinstance(job.error, ImportRefused):
        _refusal(job.error, table, key)
        return False
    if isinstance(job.error, (PermissionDenied, StorageError, EditConflict, InvalidInput)):
        st.error(md(str(job.error)), icon=":material/error:")
        return False
    if job.error is not None:
        st.error("The import stopped unexpectedly; nothing was written. Please try again.", icon=":material/error:")
        return False
    return True


def preview_frame(sheet: Sheet, lines: int = PREVIEW_LINES) -> pd.DataFrame:
    """The first lines as text, under unique column names, with their line numbers."""
    names: list[str] = []
    for header in sheet.headers:
        name = header or "(no header)"
        while name in names:
            name += " ·"
        names.append(name)
    rows = [[_shown(sheet.column(i)[r]) for i in range(len(names))] for r in range(min(lines, len(sheet)))]
    frame = pd.DataFrame(rows, columns=names, dtype="string")
    frame.insert(0, "Line", sheet.lines[:lines])
    return frame


def _shown(value: Any) -> str:
    if value is None:
        return ""
    return str(value)


def _refusal(exc: ImportRefused, table: str, key: str) -> None:
    file_name = f"import-report-{table.replace('_', '-')}.csv"
    show_refusal(imports.refusal_summary(exc.errors), exc.errors, file_name, f"{key}_report")
