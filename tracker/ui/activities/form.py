"""The quick-entry / edit form of an activity. Not an ``st.form``: the awareness-or-influencing
flag follows the chosen type as soon as it changes, and stays editable."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import INFLUENCING_ACTIVITY_TYPES
from tracker.services.activities import is_influencing_type
from tracker.ui.activities import data
from tracker.ui.kit.date_field import ANY_DATE
from tracker.ui.kit.form_state import FormState
from tracker.ui.kit.search_picker import pick_many_field
from tracker.ui.organisations import data as organisation_data

INFLUENCING_HELP = (
    "Set from the type (influencing: "
    + ", ".join(sorted(INFLUENCING_ACTIVITY_TYPES))
    + "; everything else raises awareness). Change it if this one was different."
)
_KEYS = {
    "activity_date": "date",
    "is_influencing": "infl",
    "issue_ids": "issues",
    "organisation_ids": "orgs",
    "contact_ids": "contacts",
    "effort_days": "effort",
    "funding_source": "funding",
    "follow_up": "follow",
}
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


def activity_state(prefix: str) -> FormState:
    return FormState(prefix, tuple(ACTIVITY_LABELS), ACTIVITY_LABELS, keys=_KEYS)


def as_widgets(record: Mapping[str, Any] | None) -> dict[str, Any]:
    """A stored activity (or nothing, for a new one) as its form's widget values."""
    init = dict(record or {})
    out = {f: init.get(f) for f in ACTIVITY_LABELS}
    out["activity_date"] = out["activity_date"] or clock.today()
    out["is_influencing"] = bool(out["is_influencing"])
    out["summary"] = out["summary"] or ""
    out["outcome"] = out["outcome"] or ""
    for f in ("issue_ids", "organisation_ids", "contact_ids"):
        out[f] = list(out[f] or [])
    out["effort_days"] = float(out["effort_days"] if record and out["effort_days"] is not None else 0.5)
    return out


def as_data(values: Mapping[str, Any]) -> dict[str, Any]:
    """The form's widget values as the service takes them (effort in exact decimals)."""
    return dict(values) | {"effort_days": Decimal(str(values.get("effort_days") or 0))}


def activity_form(fs: FormState, submit_label: str) -> None:
    """Every field of an activity; its save button is ``fs.key("save")``."""
    value = st.session_state.get
    types = _with(data.activity_types(), value(fs.key("type")))
    funding = _with(data.funding_sources(), value(fs.key("funding_source")))

    def type_changed() -> None:
        st.session_state[fs.key("is_influencing")] = is_influencing_type(value(fs.key("type")))

    with st.container(border=True):
        c1, c2, c3 = st.columns([2, 2, 2])
        with c1:
            fs.widget(st.date_input, "Date", "activity_date", **ANY_DATE)
        with c2:
            fs.widget(st.selectbox, "Type", "type", options=types, placeholder="Choose a type", on_change=type_changed)
        with c3:
            st.write("")
            fs.widget(st.checkbox, "Counts as influencing", "is_influencing", help=INFLUENCING_HELP)
        fs.widget(st.text_area, "Summary", "summary", max_chars=10_000, height=80)
        fs.widget(st.text_area, "Outcome", "outcome", max_chars=10_000, height=68)
        pick_many_field(fs, "Issues", "issue_ids", data.issue_choices(), "issue")
        c4, c5 = st.columns(2)
        with c4:
            orgs = organisation_data.organisation_choices()
            pick_many_field(fs, "Organisations met", "organisation_ids", orgs, "organisation")
        with c5:
            pick_many_field(fs, "Contacts met", "contact_ids", organisation_data.contact_choices(), "contact")
        c6, c7, c8 = st.columns(3)
        with c6:
            effort = {"min_value": 0.0, "max_value": 365.0, "step": 0.25, "format": "%.2f"}
            fs.widget(st.number_input, "Effort (person-days)", "effort_days", **effort)
        with c7:
            fs.widget(st.selectbox, "Funding source", "funding_source", options=funding, placeholder="Choose who pays")
        with c8:
            fs.widget(st.date_input, "Follow-up date", "follow_up", **ANY_DATE)
        st.button(submit_label, type="primary", key=fs.key("save"))
