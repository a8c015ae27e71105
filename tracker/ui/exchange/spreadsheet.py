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

    try:
        sheet = imports.read_sheet(data, upload.name)
    except ImportRefused as exc:
        _refusal(exc, table, key)
        return
    st.markdown(f"**{md(upload.name)}** · {len(sheet):,} lines · first {min(len(sheet), PREVIEW_LINES)} shown")
    st.dataframe(preview_frame(sheet), hide_index=True, width="stretch")

    checked = _check(user, table, data, upload.name, digest, key)
    if checked is None:
        return
    c1, c2, c3 = st.columns(3)
    c1.metric("New", f"{checked.inserted:,}")
    c2.metric("Updated", f"{checked.updated:,}")
    c3.metric("Unchanged", f"{checked.unchanged:,}")
    if checked.inserted + checked.updated == 0:
        st.caption("Everything in this file is already in the tracker; importing it would change nothing.")
        return
    label = f"Import into {_label(table).lower()}: {checked.inserted:,} new, {checked.updated:,} updated"
    if st.button(label, type="primary", key=f"{key}_go", icon=":material/upload:"):
        bar = st.progress(0.0, text="Starting…")

        def progress(fraction: float, message: str) -> None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=message)

        try:
            report = imports.import_file(get_db(), user, table, data, upload.name, progress=progress)
        except ImportRefused as exc:
            st.session_state.pop(f"{key}_checked", None)
            _refusal(exc, table, key)
            return
        except (PermissionDenied, StorageError, EditConflict, InvalidInput) as exc:
            st.error(md(str(exc)), icon=":material/error:")
            return
        message = f"Imported {upload.name} into {_label(table).lower()}: {report.summary()}."
        st.session_state[f"{key}_done"] = (digest, message)
        st.session_state.pop(f"{key}_checked", None)
        st.success(md(message), icon=":material/check_circle:")


def _check(user: User, table: str, data: bytes, name: str, digest: str, key: str) -> ImportReport | None:
    """The dry run (what an import would do), kept for this file so reruns do not repeat it."""
    saved = st.session_state.get(f"{key}_checked")
    if saved and saved[0] == digest:
        report: ImportReport = saved[1]
        return report
    try:
        with st.spinner("Checking every line…"):
            report = imports.import_file(get_db(), user, table, data, name, dry_run=True)
    except ImportRefused as exc:
        _refusal(exc, table, key)
        return None
    except (PermissionDenied, StorageError, InvalidInput) as exc:
        st.error(md(str(exc)), icon=":material/error:")
        return None
    st.session_state[f"{key}_checked"] = (digest, report)
    return report


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
