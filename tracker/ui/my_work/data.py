"""Cached reader for My work. The list is per person, so the cache is keyed by the user name
(and the day): no one is ever handed someone else's list. It is a :func:`shared` reader (the
page only displays it): at scale an officer's list is hundreds of rows, and unpickling a fresh
copy on every rerun cost more than drawing the page."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from tracker.services import accounts, my_work
from tracker.ui.shell.cache import TTL_SECONDS, shared
from tracker.ui.shell.db import get_db


@shared
def work_of(username: str, today: dt.date) -> my_work.MyWork | None:
    """``username``'s work list for ``today`` (None when the account is gone)."""
    db = get_db()
    person = accounts.get_user(db, username)
    return my_work.for_user(db, person, today) if person is not None else None


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def editors() -> dict[str, str]:
    """User name → display name of everyone a follow-up can be handed to (shown on every page anyway)."""
    return dict(my_work.assignable(get_db()))
