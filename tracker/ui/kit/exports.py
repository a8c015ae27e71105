"""CSV and Excel download buttons for any list a page shows.

``export_buttons("issues", frame, key="issues_list")`` offers the rows of ``frame`` (matched by
their ``id``: an ``id``/``ID`` column or index) in the standard export layout, in the order the
page shows them, so the file can be edited and imported back. Without an id, the frame is
written as shown. Without a frame, the whole table. The file is built only when the button is
clicked (large tables take a moment), and every export neutralises spreadsheet formulas.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from tracker.domain.errors import TrackerError
from tracker.domain.models import User
from tracker.services.exchange import exports, spreadsheet
from tracker.ui.kit.text import md
from tracker.ui.shell.db import get_db
from tracker.ui.shell.frame import run_user

_ID_NAMES = ("id", "ID", "Id")


def frame_ids(frame: Any) -> list[int] | None:
    """The row ids a frame shows (an id column, else an index named id), or None."""
    if frame is None:
        return None
    for name in _ID_NAMES:
        if name in getattr(frame, "columns", ()):
            values = frame[name]
            break
    else:
        if getattr(frame.index, "name", None) in _ID_NAMES:
            values = frame.index.to_series()
        else:
            return None
    try:
        return [int(v) for v in values.dropna().tolist()]
    except (TypeError, ValueError):
        return None


def _builder(user: User, table: str, fmt: str, frame: Any) -> Callable[[], bytes]:
    db = get_db()

    def build() -> bytes:
        # Runs on Streamlit's download thread when clicked: plain service calls only. The row
        # ids are read from the frame here, not on every rerun that draws the buttons.
        ids = frame_ids(frame)
        if frame is not None and ids is None:
            return exports.export_frame(frame, fmt, exports.TABLES[table].label).data
        return exports.export_file(db, user, table, fmt, ids).data

    return build


def export_buttons(table: str, frame: Any | None = None, *, key: str) -> None:
    """A CSV and an Excel download of ``table`` (or of the rows ``frame`` shows)."""
    spec = exports.spec_of(table)
    user = run_user()
    if user is None:
        return
    if frame is not None and len(frame) == 0:
        st.caption("Nothing to export: no rows match.")
        return
    name = spec.label.lower()
    what = f"these {len(frame):,} {name}" if frame is not None else f"all {name}"
    formats = (
        ("CSV", "csv", spreadsheet.CSV_MIME, ":material/download:", "as CSV (UTF-8)"),
        ("Excel", "xlsx", spreadsheet.XLSX_MIME, ":material/table_view:", "as an Excel workbook"),
    )
    try:
        for column, (label, ext, mime, icon, as_what) in zip(st.columns(2, gap="small"), formats, strict=True):
            column.download_button(
                label,
                data=_builder(user, table, ext, frame),
                file_name=exports.file_name(table, ext),
                mime=mime,
                key=f"{key}_{ext}",
                icon=icon,
                help=f"Download {what} {as_what}",
                on_click="ignore",
                width="stretch",
            )
    except TrackerError as exc:
        st.error(md(str(exc)))
