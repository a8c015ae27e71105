"""Import & export page: exports of every list, spreadsheet imports, the Have Your Say import."""

import streamlit as st

from tracker.services.exchange import exports
from tracker.ui.admin.backups import ensure_nightly_backups
from tracker.ui.exchange.have_your_say import render_have_your_say_import
from tracker.ui.exchange.spreadsheet import render_spreadsheet_import
from tracker.ui.kit.exports import export_buttons
from tracker.ui.shell.frame import page_frame

user = page_frame("Import & export")
ensure_nightly_backups()

st.title("Import & export")

st.subheader("Export", anchor=False)
st.caption(
    "Every list as CSV or Excel, with readable headers, dates as dates and labels instead of codes. "
    "Edit the file and import it back below: the ID and Version columns tell the import which row each line "
    "updates. Each page also exports what it shows, with its filters."
)
for table in exports.TABLE_NAMES:
    spec = exports.TABLES[table]
    name, buttons = st.columns([2, 1], vertical_alignment="center")
    name.markdown(f"**{spec.label}**" + ("" if spec.importable else " · export only"))
    with buttons:
        export_buttons(table, key=f"export_{table}")

st.divider()
render_spreadsheet_import(user)

st.divider()
render_have_your_say_import(user)
