"""One activity's page: what happened and with whom, its edit form, deleting it, its history."""

from __future__ import annotations

from functools import partial

import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import Role
from tracker.domain.models import Activity, User
from tracker.services import activities, attribution, my_work
from tracker.store import Database
from tracker.ui.activities import data
from tracker.ui.activities.form import ACTIVITY_LABELS, activity_form, activity_state, as_data, as_widgets
from tracker.ui.kit.feedback import delete_panel, record_or_back, save_record_edits
from tracker.ui.kit.lazy_tabs import lazy_tabs
from tracker.ui.kit.records import days, history_table
from tracker.ui.kit.text import md, md_multiline
from tracker.ui.my_work import data as my_work_data
from tracker.ui.my_work.follow_up import follow_up_controls
from tracker.ui.organisations import data as organisation_data


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
        f"recorded by {data.person(act.created_by)}" if act.created_by else "",
    ]
    st.caption(" · ".join(md(f) for f in facts if f))
    st.markdown(md_multiline(act.summary))
    if act.outcome:
        st.markdown(f"**Outcome:** {md_multiline(act.outcome)}")
    _who_was_met(act)
    if act.follow_up:
        _follow_up(db, user, act, can_edit)
    names = (["Edit", "Delete"] if can_edit else []) + ["History"]
    # Remembered by label, so a save or a refusal reruns onto the tab the user acted on.
    tabs = lazy_tabs(names, f"act_tabs_{act.id}")
    if "Edit" in tabs:
        with tabs["Edit"]:
            _edit(db, user, act)
    if "Delete" in tabs:
        with tabs["Delete"]:
            _delete(db, user, act)
    if "History" in tabs:
        with tabs["History"]:
            history_table(attribution.readable(db, activities.history(db, act.id)), ACTIVITY_LABELS)


def _who_was_met(act: Activity) -> None:
    """The issues it served and the organisations and contacts met, each linked to its page."""
    issues = data.issue_choices()
    orgs = organisation_data.organisation_choices()
    people = organisation_data.contact_choices()
    c1, c2, c3 = st.columns(3)
    with c1:
        _linked("Issues", act.issue_ids, issues, "pages/issues.py", "issue", ":material/flag:", "None linked")
    with c2:
        _linked(
            "Organisations met",
            act.organisation_ids,
            orgs,
            "pages/organisations.py",
            "organisation",
            ":material/apartment:",
            "None recorded",
        )
    with c3:
        st.markdown("**Contacts met**")
        met = [people.get(cid, f"Contact {cid}") for cid in act.contact_ids]
        if met:
            st.markdown("  \n".join(f":material/person: {md(name)}" for name in met))
        else:
            st.caption("None recorded")


def _follow_up(db: Database, user: User, act: Activity, can_edit: bool) -> None:
    """Who follows it up and whether it is done; editors hand it on or mark it done."""
    state = my_work.follow_up_of(db, act.id)
    if state is None:
        return
    names = my_work_data.editors()  # cached: the same list on every activity page
    who = names.get(state["assignee"], data.person(state["assignee"]))
    st.markdown(f"**Follow-up** by {md(clock.format_date(act.follow_up))} · assigned to {md(who)}")
    if state["done_at"] is not None:
        st.caption(f"Done {md(clock.format_date(state['done_at']))} by {md(data.person(state['done_by']))}")
    elif can_edit:
        follow_up_controls(db, user, act.id, int(state["version"]), state["assignee"], names)


def _linked(title: str, ids: list[int], names: dict[int, str], page: str, param: str, icon: str, empty: str) -> None:
    """A heading and one link per record, each opening that record's page."""
    st.markdown(f"**{title}**")
    for rid in ids:
        st.page_link(
            page, label=md(names.get(rid, f"{param.capitalize()} {rid}")), icon=icon, query_params={param: str(rid)}
        )
    if not ids:
        st.caption(empty)


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
    delete_panel(
        f"act_del_{act.id}",
        "A deleted activity leaves the log and every total; the change history keeps it.",
        "Delete this activity",
        "Delete",
        lambda: activities.delete(db, user, act.id, act.version),
        "Deleted the activity.",
        then=_back_to_log,
    )


def _back_to_log(_: object) -> None:
    st.query_params.pop("activity", None)
