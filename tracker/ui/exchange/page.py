"""The Import & export page: exports of every list, spreadsheet imports, the Have Your Say import."""

from __future__ import annotations

import streamlit as st

from tracker.domain.models import User
from tracker.web.nightly import ensure_nightly_backups

from .export_lists import render_exports
from .have_your_say import render_have_your_say_import
from .spreadsheet import render_spreadsheet_import


def import_export_page(user: User) -> None:
    # Without st.App (streamlit run dashboard.py) no lifespan started the nightly job: the first
    # visit to this page does.
    ensure_nightly_backups()
    st.title("Import & export")
    render_exports()
    st.divider()
    render_spreadsheet_import(user)
    st.divider()
    render_have_your_say_import(user)
