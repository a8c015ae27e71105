"""The Admin page: accounts and roles, reference lists, the account audit log, backups."""

from __future__ import annotations

import streamlit as st

from tracker.domain.models import User
from tracker.ui.kit.feedback import show_flash
from tracker.ui.shell.db import get_db

from .accounts import accounts_panel
from .backups import render_backup_panel
from .history import history_panel
from .reference_lists import reference_panel


def admin_page(admin: User) -> None:
    st.title("Admin")
    show_flash()
    db = get_db()
    # Keyed and tracked, so a save (its rerun and flash) comes back to the tab the admin used.
    accounts_tab, lists_tab, history_tab, backups_tab = st.tabs(
        ["Accounts", "Reference lists", "Account history", "Backups"], key="adm_tab", on_change="rerun"
    )
    with accounts_tab:
        accounts_panel(db, admin)
    with lists_tab:
        reference_panel(db, admin)
    with history_tab:
        history_panel(admin)
    with backups_tab:
        render_backup_panel(db, admin)
