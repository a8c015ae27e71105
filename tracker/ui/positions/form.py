"""The joint position form (create and edit): its fields, its state, its widgets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from tracker.domain.enums import JointPositionStatus
from tracker.ui.kit.date_field import ANY_DATE
from tracker.ui.kit.form_state import FormState
from tracker.ui.kit.search_picker import pick_many_field
from tracker.ui.organisations import data as organisation_data
from tracker.ui.positions import data

POSITION_LABELS = {
    "title": "Title",
    "summary": "Summary",
    "status": "Status",
    "lead_organisation_id": "Lead organisation",
    "consultation_id": "Consultation",
    "target_institution": "Target institution",
    "published_on": "Published on",
    "document_url": "Document link",
    "issue_ids": "Linked issues",
    "signatory": "Signatory",
}
FIELDS = tuple(f for f in POSITION_LABELS if f != "signatory")
_KEYS = {"lead_organisation_id": "lead", "issue_ids": "issues"}
# A new position starts anywhere before publication: publishing needs agreed signatories first.
START_STATUSES = [s for s in JointPositionStatus if s != JointPositionStatus.PUBLISHED]


def _with_current(options: dict[int, str], current: list[int], missing: str) -> dict[int, str]:
    """Keep already linked records selectable even if they left the choice list (archived)."""
    out = dict(options)
    for i in current:
        out.setdefault(i, f"{missing} {i}")
    return out


def position_state(prefix: str) -> FormState:
    return FormState(prefix, FIELDS, POSITION_LABELS, keys=_KEYS)


def as_widgets(record: Mapping[str, Any] | None) -> dict[str, Any]:
    """A stored joint position (or nothing, for a new one) as its form's widget values."""
    init = dict(record or {})
    out = {f: init.get(f) for f in FIELDS}
    for f in ("title", "summary", "target_institution", "document_url"):
        out[f] = out[f] or ""
    out["issue_ids"] = list(out["issue_ids"] or [])
    out["status"] = next((s for s in JointPositionStatus if out["status"] in (s, s.value)), JointPositionStatus.IDEA)
    return out


def position_form(fs: FormState, submit_label: str, *, creating: bool) -> None:
    """Every field of a joint position, drawn in the form ``fs.prefix``.

    A new position chooses its starting status; an existing one keeps its status (the Status
    tab moves it) and shows its publication date only once published.
    """
    value = st.session_state.get
    lead, cons = value(fs.key("lead_organisation_id")), value(fs.key("consultation_id"))
    orgs = _with_current(organisation_data.organisation_choices(), [lead] if lead else [], "Organisation")
    consultations = _with_current(data.consultation_choices(), [cons] if cons else [], "Consultation")
    issues = _with_current(data.issue_choices(), list(value(fs.key("issue_ids")) or []), "Issue")
    with st.form(fs.prefix, border=True, enter_to_submit=False):
        fs.widget(st.text_input, "Title", "title", max_chars=300)
        fs.widget(st.text_area, "Summary", "summary", max_chars=10_000, height=100)
        c1, c2 = st.columns(2)
        with c1:
            fs.records("Lead organisation", "lead_organisation_id", orgs, "Choose the lead")
        with c2:
            target_help = "e.g. European Commission, ENVI committee"
            fs.widget(st.text_input, "Target institution", "target_institution", max_chars=200, placeholder=target_help)
        c3, c4 = st.columns(2)
        with c3:
            fs.records("Consultation", "consultation_id", consultations, "None")
        with c4:
            fs.widget(st.text_input, "Document link", "document_url", max_chars=2000, placeholder="https://")
        pick_many_field(fs, "Linked issues", "issue_ids", issues, "issue", placeholder="None")
        if creating:
            fs.widget(st.selectbox, "Status", "status", options=START_STATUSES, format_func=lambda s: s.label)
        elif value(fs.key("status")) == JointPositionStatus.PUBLISHED:
            fs.widget(st.date_input, "Published on", "published_on", **ANY_DATE)
        fs.submit(submit_label, type="primary")
