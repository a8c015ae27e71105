"""Admin: accounts and roles, reference lists, the account audit log, backups."""

import importlib.util

import streamlit as st

from tracker.ui.admin import panels as auth_admin
from tracker.ui.shell.db import get_db
from tracker.ui.shell.frame import page_frame

user = page_frame("Admin")

st.title("Admin")
db = get_db()
accounts_tab, lists_tab, history_tab, backups_tab = st.tabs(
    ["Accounts", "Reference lists", "Account history", "Backups"]
)
with accounts_tab:
    auth_admin.accounts_panel(db, user)
with lists_tab:
    auth_admin.reference_panel(db, user)
with history_tab:
    auth_admin.history_panel(db, user)
with backups_tab:
    if importlib.util.find_spec("tracker.ui.admin.backups"):
        from tracker.ui.admin.backups import render_backup_panel

        render_backup_panel(user)
    else:
        st.info("Backups are taken with `python -m etl backup DIR` while the app is stopped (see README).")
