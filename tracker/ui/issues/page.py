"""The Issues page: one issue when the link names one (``?issue=12``), else the list."""

from __future__ import annotations

import streamlit as st

from tracker.domain.models import User
from tracker.store import Database
from tracker.ui.issues.detail import issue_view
from tracker.ui.issues.list_view import list_view
from tracker.ui.kit.feedback import not_a_number, query_id, show_flash


def issues_page(db: Database, user: User) -> None:
    wanted = query_id("issue")
    if isinstance(wanted, int):
        show_flash()
        issue_view(db, user, wanted)
        return
    st.title("Issues")
    if isinstance(wanted, str):
        not_a_number(wanted, "an issue")
    show_flash()
    list_view(db, user)
