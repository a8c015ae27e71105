"""The quick-entry / edit form of an activity. Not an ``st.form``: the awareness-or-influencing
flag follows the chosen type as soon as it changes, and stays editable."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import INFLUENCING_ACTIVITY_TYPES
from tracker.services.activities import is_influencing_type
from tracker.ui.activities import data as activity_data
from tracker.ui.kit.records import DATE_FORMAT
from tracker.ui.organisations import data as organisation_data
from tracker.ui.positions import data as position_data

ACTIVITY_LABELS = {
    "activity_date": "Date",
    "type": "Type",
    "summary": "Summary",
    "outcome": "Outcome",
    "is_influencing": "Influencing",
    "effort_days": "Effort (person-days)",
    "funding_source": "Funding source",
    "follow_up": "Follow-up date",
    "issue_ids": "Issues",
    "organisation_ids": "Organisations",
    "contact_ids": "Contacts",
}


def _with(options: list[Any], current: Any) -> list[Any]:
    return options if current is None or current in options else [*options, current]


def _named(options: dict[int, str], current: list[int], missing: str) -> dict[int, str]:
    out = dict(options)
    for i in current:
        out.setdefault(i, f"{missing} {i}")
    return out


def reset(prefix: str) -> None:
    """Forget the form's widget values (after a save, the next entry starts empty)."""
    for key in [k for k in st.session_state if str(k).startswith(f"{prefix}_")]:
        del st.session_state[key]


def activity_form(prefix: str, initial: dict[str, Any] | None, submit_label: str) -> dict[str, Any] | None:
    """Every field of an activity; the entered data when ``submit_label`` is clicked, else None."""
    init = initial or {}
    state = st.session_state
    types = _with(activity_data.activity_types(), init.get("type"))
    funding = _with(activity_data.funding_sources(), init.get("funding_source"))
    defaults = {
        "date": init.get("activity_date", clock.today()),
        "type": init.get("type"),
        "infl": init.get("is_influencing", False),
        "summary": init.get("summary", ""),
        "outcome": init.get("outcome") or "",
        "issues": list(init.get("issue_ids", [])),
        "orgs": list(init.get("organisation_ids", [])),
        "contacts": list(init.get("contact_ids", [])),
        "effort": float(init.get("effort_days", 0.5) if initial else 0.5),
        "funding": init.get("funding_source"),
        "follow": init.get("follow_up"),
    }
    for name, value in defaults.items():
        state.setdefault(f"{prefix}_{name}", value)

    def type_changed() -> None:
        state[f"{prefix}_infl"] = is_influencing_type(state.get(f"{prefix}_type"))

    issues = _named(position_data.issue_choices(), defaults["issues"], "Issue")
    orgs = _named(organisation_data.organisation_choices(), defaults["orgs"], "Organisation")
    people = _named(organisation_data.contact_choices(), defaults["contacts"], "Contact")
    with st.container(border=True):
        c1, c2, c3 = st.columns([2, 2, 2])
        day = c1.date_input("Date", max_value=clock.today(), format=DATE_FORMAT, key=f"{prefix}_date")
        kind = c2.selectbox(
            "Type", types, index=None, placeholder="Choose a type", key=f"{prefix}_type", on_change=type_changed
        )
        c3.write("")
        influencing = c3.checkbox(
            "Counts as influencing",
            key=f"{prefix}_infl",
            help="Set from the type (influencing: "
            + ", ".join(sorted(INFLUENCING_ACTIVITY_TYPES))
            + "; everything else raises awareness). Change it if this one was different.",
        )
        summary = st.text_area("Summary", max_chars=10_000, height=80, key=f"{prefix}_summary")
        outcome = st.text_area("Outcome", max_chars=10_000, height=68, key=f"{prefix}_outcome")
        issue_ids = st.multiselect(
            "Issues", list(issues), format_func=lambda i: issues[i], placeholder="None", key=f"{prefix}_issues"
        )
        c4, c5 = st.columns(2)
        org_ids = c4.multiselect(
            "Organisations met", list(orgs), format_func=lambda i: orgs[i], placeholder="None", key=f"{prefix}_orgs"
        )
        contact_ids = c5.multiselect(
            "Contacts met", list(people), format_func=lambda i: people[i], placeholder="None", key=f"{prefix}_contacts"
        )
        c6, c7, c8 = st.columns(3)
        effort = c6.number_input(
            "Effort (person-days)", min_value=0.0, max_value=365.0, step=0.25, format="%.2f", key=f"{prefix}_effort"
        )
        source = c7.selectbox(
            "Funding source", funding, index=None, placeholder="Choose who pays", key=f"{prefix}_funding"
        )
        follow: dt.date | None = c8.date_input("Follow-up date", format=DATE_FORMAT, key=f"{prefix}_follow")
        if not st.button(submit_label, type="primary", key=f"{prefix}_save"):
            return None
    return {
        "activity_date": day,
        "type": kind,
        "is_influencing": influencing,
        "summary": summary,
        "outcome": outcome,
        "issue_ids": issue_ids,
        "organisation_ids": org_ids,
        "contact_ids": contact_ids,
        "effort_days": Decimal(str(effort)),
        "funding_source": source,
        "follow_up": follow,
    }
