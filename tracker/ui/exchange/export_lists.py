"""The Import & export page's exports: every list as CSV or Excel, for every role."""

from __future__ import annotations

import streamlit as st

from tracker.services.exchange import exports
from tracker.ui.kit.exports import export_buttons


def render_exports() -> None:
    st.subheader("Export", anchor=False)
    st.caption(
        "Every list as CSV or Excel, with readable headers, dates as dates and labels instead of codes. "
        "Edit the file and import it back below: the ID and Version columns tell the import which row each "
        "line updates. Each page also exports what it shows, with its filters."
    )
    for table in exports.TABLE_NAMES:
        spec = exports.TABLES[table]
        name, buttons = st.columns([2, 1], vertical_alignment="center")
        name.markdown(f"**{spec.label}**" + ("" if spec.importable else " · export only"))
        with buttons:
            export_buttons(table, key=f"export_{table}")
