"""The Activities page: quick entry, the log and this week's follow-ups, or one activity."""

from __future__ import annotations

from functools import partial

import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import Role
from tracker.domain.models import User
from tracker.services import activities
from tracker.store import Database
from tracker.ui.activities.detail import activity_detail
from tracker.ui.activities.form import activity_form, activity_state, as_data, as_widgets
from tracker.ui.activities.log import follow_ups_tab, log_tab
from tracker.ui.kit.feedback import record_or_list, save_new
from tracker.ui.kit.lazy_tabs import lazy_tabs
from tracker.ui.kit.records import days

NEW = "act_new"


def activities_page(db: Database, user: User) -> None:
    if record_or_list("Activities", "activity", "an activity", partial(activity_detail, db, user)):
        return
    names = (["Quick entry"] if user.role.allows(Role.EDITOR) else []) + ["Log", "Follow-ups this week"]
    tabs = lazy_tabs(names, "act_tab")
    if "Quick entry" in tabs:
        with tabs["Quick entry"]:
            quick_entry(db, user)
    if "Log" in tabs:
        with tabs["Log"]:
            log_tab()
    if "Follow-ups this week" in tabs:
        with tabs["Follow-ups this week"]:
            follow_ups_tab()


def quick_entry(db: Database, user: User) -> None:
    """A new activity; after a save the next entry starts from an empty form."""
    n = st.session_state.setdefault("act_new_n", 0)
    fs = activity_state(f"{NEW}_{n}")
    save_new(
        fs,
        as_widgets(None),
        lambda values: activities.create(db, user, as_data(values)),
        lambda created: (
            f"Recorded the {created.type.lower()} of {clock.format_date(created.activity_date)} "
            f"({days(created.effort_days)} person-days)."
        ),
        then=lambda _: st.session_state.__setitem__("act_new_n", n + 1),
    )
    fs.error_summary()
    activity_form(fs, "Save activity")
