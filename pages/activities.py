"""Activities: quick entry with effort and funding, the filtered log, follow-ups due this week."""

import datetime as dt

import pandas as pd
import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import Role
from tracker.domain.errors import NotFound
from tracker.services import activities
from tracker.ui.activities import data as activity_data
from tracker.ui.activities.form import ACTIVITY_LABELS, activity_form, reset
from tracker.ui.kit.exports import export_buttons
from tracker.ui.kit.lazy_tabs import lazy_tabs
from tracker.ui.kit.pager import page_of
from tracker.ui.kit.record_picker import open_record_picker
from tracker.ui.kit.text import md, md_multiline
from tracker.ui.organisations import data as org_data
from tracker.ui.organisations.feedback import (
    DATE_FORMAT,
    attempt,
    back_to_list,
    days,
    flash,
    history_table,
    query_id,
    show_flash,
)
from tracker.ui.positions import data as position_data
from tracker.ui.shell import cache
from tracker.ui.shell.db import get_db
from tracker.ui.shell.frame import page_frame

user = page_frame("Activities")
can_edit = user.role.allows(Role.EDITOR)
PAGE = "pages/activities.py"
NEW = "act_new"


# ------------------------------------------------------------------ one activity


def activity_detail(activity_id: int) -> None:
    db = get_db()
    back_to_list("activity", "Back to the log")
    try:
        act = activities.get(db, activity_id)
    except NotFound as exc:
        st.warning(str(exc))
        return
    st.header(md(f"{act.type} on {clock.format_date(act.activity_date)}"))
    facts = [
        activity_data.kind_of(act.is_influencing),
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
            values = activity_form(f"act_edit_{act.id}_{act.version}", act.model_dump(), "Save changes")
            if values is not None:
                saved = attempt(lambda: activities.update(db, user, act.id, act.version, values), ACTIVITY_LABELS)
                if saved is not None:
                    cache.after_write()
                    flash("Saved the activity.")
                    st.rerun()
        with tabs["Delete"]:
            st.caption("A deleted activity leaves the log and every total; the change history keeps it.")
            sure = st.checkbox("Delete this activity", key=f"act_del_sure_{act.id}")
            if st.button("Delete", disabled=not sure, key=f"act_del_{act.id}", icon=":material/delete:"):
                if attempt(lambda: activities.delete(db, user, act.id, act.version) or True, ACTIVITY_LABELS):
                    cache.after_write()
                    flash("Deleted the activity.")
                    del st.query_params["activity"]
                    st.rerun()
    with tabs["History"]:
        history_table(activities.history(db, act.id), ACTIVITY_LABELS)


# ------------------------------------------------------------------ quick entry


def quick_entry() -> None:
    n = st.session_state.setdefault("act_new_n", 0)
    prefix = f"{NEW}_{n}"
    values = activity_form(prefix, None, "Save activity")
    if values is not None:
        created = attempt(lambda: activities.create(get_db(), user, values), ACTIVITY_LABELS)
        if created is not None:
            cache.after_write()
            reset(prefix)
            st.session_state["act_new_n"] = n + 1
            flash(
                f"Recorded the {created.type.lower()} of {clock.format_date(created.activity_date)} "
                f"({days(created.effort_days)} person-days)."
            )
            st.rerun()


# ------------------------------------------------------------------ the log


def log_tab() -> None:
    orgs = org_data.organisation_choices()
    issues = position_data.issue_choices()
    org_param = query_id("organisation")
    issue_param = query_id("issue")
    today = clock.today()
    linked = org_param is not None or issue_param is not None
    c1, c2, c3, c4 = st.columns(4)
    date_from = c1.date_input(
        "From", value=None if linked else today - dt.timedelta(days=90), format=DATE_FORMAT, key="log_from"
    )
    date_to = c2.date_input("To", value=today, format=DATE_FORMAT, key="log_to")
    types = c3.multiselect("Type", activity_data.activity_types(), placeholder="All types", key="log_types")
    funding = c4.multiselect(
        "Funding source", activity_data.funding_sources(), placeholder="All sources", key="log_funding"
    )
    c5, c6, c7, c8 = st.columns([3, 3, 2, 2])
    issue_ids = list(issues)
    issue_id = c5.selectbox(
        "Issue",
        issue_ids,
        index=issue_ids.index(issue_param) if issue_param in issues else None,
        format_func=lambda i: issues[i],
        placeholder="All issues",
        key="log_issue",
    )
    org_ids = list(orgs)
    org_id = c6.selectbox(
        "Organisation",
        org_ids,
        index=org_ids.index(org_param) if org_param in orgs else None,
        format_func=lambda i: orgs[i],
        placeholder="All organisations",
        key="log_org",
    )
    kind = c7.selectbox("Kind", list(activity_data.KINDS), format_func=activity_data.KINDS.get, key="log_kind")
    search = c8.text_input("Search", placeholder="Summary or outcome", key="log_search")
    filters = activity_data.log_filters(date_from, date_to, types, issue_id, org_id, funding, kind, search)
    found = attempt(lambda: activity_data.log(filters, "newest"), ACTIVITY_LABELS)
    if found is None:
        return
    t = found.totals
    m1, m2, m3 = st.columns(3)
    m1.metric("Activities", f"{t['entries']:,}")
    m2.metric("Effort", f"{days(t['effort_days'])} person-days")
    share = round(100 * t["influencing"] / t["entries"]) if t["entries"] else 0
    m3.metric("Influencing", f"{share}%", help="Share of the activities that count as influencing.")
    table = found.rows
    if table.empty:
        st.info("No activity matches these filters.")
        return
    if t["entries"] > len(table):
        st.caption(f"Showing the latest {len(table):,} of {t['entries']:,}; narrow the filters to see others.")
    export_buttons("activities", table, key="activities_log")
    shown = page_of(found.shown, "log_page")
    event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="log_table",
        column_config={
            "id": None,
            "activity_date": "Date",
            "type": "Type",
            "is_influencing": "Kind",
            "summary": st.column_config.TextColumn("Summary", width="large"),
            "outcome": "Outcome",
            "effort_days": st.column_config.NumberColumn("Effort (days)", format="%.2f"),
            "funding_source": "Funding",
            "follow_up": "Follow-up",
            "issues": "Issues",
            "organisations": "Organisations",
            "contacts": "Contacts",
            "created_by": "By",
        },
    )
    _open_selected_row(event, shown)
    open_record_picker("Open an activity", found.labels, "activity", key="log_open")


def _open_selected_row(event: object, table: pd.DataFrame) -> None:
    rows = getattr(getattr(event, "selection", None), "rows", None) or []
    if rows and rows[0] < len(table):
        st.query_params["activity"] = str(int(table.iloc[rows[0]]["id"]))
        st.rerun()


def follow_ups_tab() -> None:
    due = activity_data.follow_ups(clock.today())
    st.caption(f"Follow-ups due from Monday {clock.format_date(due.start)} to Sunday {clock.format_date(due.end)}.")
    if due.rows.empty:
        st.info("No follow-ups are due this week.")
        return
    export_buttons("activities", due.rows, key="activities_follow_ups")
    # One table to select from, however many are due: a link per row would not scale.
    shown = page_of(due.shown, "follow_ups_page")
    event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="follow_ups_table",
        column_config={"id": None},
    )
    _open_selected_row(event, shown)
    open_record_picker("Open a follow-up", due.labels, "activity", key="follow_ups_open")


# ------------------------------------------------------------------ the page

st.title("Activities")
show_flash()
selected = query_id("activity")
if selected is not None:
    activity_detail(selected)
else:
    names = (["Quick entry"] if can_edit else []) + ["Log", "Follow-ups this week"]
    tabs = lazy_tabs(names, "act_tab")
    if "Quick entry" in tabs:
        with tabs["Quick entry"]:
            quick_entry()
    if "Log" in tabs:
        with tabs["Log"]:
            log_tab()
    if "Follow-ups this week" in tabs:
        with tabs["Follow-ups this week"]:
            follow_ups_tab()
