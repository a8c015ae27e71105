"""One activity's page: what happened and with whom, its edit form, deleting it, its history."""

from __future__ import annotations

from functools import partial

import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import Role
from tracker.domain.models import Activity, User
from tracker.services import activities
from tracker.store import Database
from tracker.ui.activities import data
from tracker.ui.activities.form import ACTIVITY_LABELS, activity_form, activity_state, as_data, as_widgets
from tracker.ui.kit.feedback import record_or_back, save, save_record_edits, show_refusal
from tracker.ui.kit.form_state import FormState
from tracker.ui.kit.records import days, history_table
from tracker.ui.kit.text import md, md_multiline
from tracker.ui.positions import data as position_data


def activity_detail(db: Database, user: User, activity_id: int) -> None:
    """One activity: what happened, its links, and for editors edit and delete; its history."""
    can_edit = user.role.allows(Role.EDITOR)
    act = record_or_back("activity", "Back to the log", lambda: activities.get(db, activity_id))
    if act is None:
        return
    st.header(md(f"{act.type} on {clock.format_date(act.activity_date)}"))
    facts = [
        data.kind_of(act.is_influencing),
        f"{days(act.effort_days)} person-days",
        act.funding_source or "funding not set",
        f"follow up {clock.format_date(act.follow_up)}" if act.follow_up else "",
        f"recorded by {act.created_by}" if act.created_by else "",
    ]
    st.caption(" · ".join(md(f) for f in facts if f))
    st.markdown(md_multiline(act.summary))
    if act.outcome:
        st.markdown(f"**Outcome:** {md_multiline(act.outcome)}")
    issues = position_data.issue_choices()
    for iid in act.issue_ids:
        st.page_link(
            "pages/issues.py",
            label=md(issues.get(iid, f"Issue {iid}")),
            icon=":material/flag:",
            query_params={"issue": str(iid)},
        )
    names = (["Edit", "Delete"] if can_edit else []) + ["History"]
    tabs = dict(zip(names, st.tabs(names), strict=True))
    if can_edit:
        with tabs["Edit"]:
            _edit(db, user, act)
        with tabs["Delete"]:
            _delete(db, user, act)
    with tabs["History"]:
        history_table(activities.history(db, act.id), ACTIVITY_LABELS)


def _edit(db: Database, user: User, act: Activity) -> None:
    fs = activity_state(f"act_edit_{act.id}")
    save_record_edits(
        fs,
        act,
        lambda version, values: activities.update(db, user, act.id, version, as_data(values)),
        partial(activities.get, db, act.id),
        as_widgets,
        "Saved the activity.",
    )
    activity_form(fs, "Save changes")


def _delete(db: Database, user: User, act: Activity) -> None:
    fs = FormState(f"act_del{act.id}", ())
    st.caption("A deleted activity leaves the log and every total; the change history keeps it.")
    sure = st.checkbox("Delete this activity", key=f"act_del_sure_{act.id}")
    if st.button("Delete", disabled=not sure, key=f"act_del_{act.id}", icon=":material/delete:"):
        save(
            fs,
            lambda: activities.delete(db, user, act.id, act.version),
            "Deleted the activity.",
            then=_back_to_log,
        )
    show_refusal(fs)


def _back_to_log(_: object) -> None:
    st.query_params.pop("activity", None)
