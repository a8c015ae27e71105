"""The activity log with its filters and totals, and the follow-ups due this week."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from tracker.domain import clock
from tracker.ui.activities import data
from tracker.ui.kit.exports import export_buttons
from tracker.ui.kit.feedback import attempt, query_id, show_refusal
from tracker.ui.kit.form_state import FormState
from tracker.ui.kit.pager import page_of
from tracker.ui.kit.record_picker import choose_record, open_record_picker, record_table
from tracker.ui.kit.records import DATE_FORMAT, days
from tracker.ui.organisations import data as organisation_data

# What tells activities apart, first and sized to fit the page at 1400 px; kind, days and
# follow-up after them (a sideways scroll); outcome, funding and author on the activity's page.
LOG_COLUMNS = (
    "activity_date",
    "type",
    "summary",
    "issues",
    "organisations",
    "contacts",
    "follow_up",
    "is_influencing",
    "effort_days",
)


def log_tab() -> None:
    """The activity log: filters, totals, the table; a click on a row opens one activity."""
    orgs = organisation_data.organisation_choices()
    issues = data.issue_choices()
    org_param = _linked_id("organisation")
    issue_param = _linked_id("issue")
    today = clock.today()
    linked = org_param is not None or issue_param is not None
    c1, c2, c3, c4 = st.columns(4)
    date_from = c1.date_input(
        "From", value=None if linked else today - dt.timedelta(days=90), format=DATE_FORMAT, key="log_from"
    )
    date_to = c2.date_input("To", value=today, format=DATE_FORMAT, key="log_to")
    types = c3.multiselect("Type", data.activity_types(), placeholder="All types", key="log_types")
    funding = c4.multiselect("Funding source", data.funding_sources(), placeholder="All sources", key="log_funding")
    c5, c6, c7, c8 = st.columns([3, 3, 2, 2])
    with c5:
        issue_id = choose_record("Issue", issues, key="log_issue", placeholder="All issues", current=issue_param)
    with c6:
        org_id = choose_record("Organisation", orgs, key="log_org", placeholder="All organisations", current=org_param)
    kinds: dict[str, str] = data.KINDS
    kind = c7.selectbox("Kind", list(kinds), format_func=kinds.__getitem__, key="log_kind") or "all"
    search = c8.text_input("Search", placeholder="Summary or outcome", key="log_search")
    filters = data.log_filters(date_from, date_to, types, issue_id, org_id, funding, kind, search)
    fs = FormState("log", ())
    ok, found = attempt(fs, lambda: data.log(filters, "newest"))
    show_refusal(fs)
    if not ok or found is None:
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
    record_table(
        shown,
        "activity",
        key="log_table",
        column_order=LOG_COLUMNS,
        column_config={
            "activity_date": st.column_config.TextColumn("Date", width=92, pinned=True),
            "type": st.column_config.TextColumn("Type", width=105),
            "summary": st.column_config.TextColumn("Summary", width=260),
            "issues": st.column_config.TextColumn("Issues", width=150),
            "organisations": st.column_config.TextColumn("Organisations", width=150),
            "contacts": st.column_config.TextColumn("Contacts", width=120),
            "follow_up": st.column_config.TextColumn("Follow-up", width=92),
            "is_influencing": st.column_config.TextColumn("Kind", width=90),
            "effort_days": st.column_config.NumberColumn("Days", format="%.2f", width=60),
        },
    )
    open_record_picker("Open an activity", found.labels, "activity", key="log_open")


def _linked_id(param: str) -> int | None:
    """The log opened from an issue or organisation (``?issue=``): its id, else no filter."""
    wanted = query_id(param)
    return wanted if isinstance(wanted, int) else None


def follow_ups_tab() -> None:
    due = data.follow_ups(clock.today())
    st.caption(f"Follow-ups due from Monday {clock.format_date(due.start)} to Sunday {clock.format_date(due.end)}.")
    if due.rows.empty:
        st.info("No follow-ups are due this week.")
        return
    export_buttons("activities", due.rows, key="activities_follow_ups")
    # One table to select from, however many are due: a link per row would not scale.
    shown = page_of(due.shown, "follow_ups_page")
    record_table(
        shown,
        "activity",
        key="follow_ups_table",
        column_config={"id": None, "Summary": st.column_config.TextColumn("Summary", width="large")},
    )
    open_record_picker("Open a follow-up", due.labels, "activity", key="follow_ups_open")
