"""The joint position form (create and edit): widgets in, a data dict for the services out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import JointPositionStatus
from tracker.ui.organisations import data as organisation_data
from tracker.ui.kit.records import DATE_FORMAT
from tracker.ui.positions import data as position_data

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
# A new position starts anywhere before publication: publishing needs agreed signatories first.
START_STATUSES = [s for s in JointPositionStatus if s != JointPositionStatus.PUBLISHED]


def _with_current(options: dict[int, str], current: list[int], missing: str) -> dict[int, str]:
    """Keep already linked records selectable even if they left the choice list (archived)."""
    out = dict(options)
    for i in current:
        out.setdefault(i, f"{missing} {i}")
    return out


def position_form(key: str, initial: dict[str, Any] | None, submit_label: str) -> dict[str, Any] | None:
    """Every field of a joint position; the entered data when submitted, else None.

    A new position chooses its starting status; an existing one keeps its status (the Status
    tab moves it) and shows its publication date only once published.
    """
    init = initial or {}
    creating = not init
    orgs = organisation_data.organisation_choices()
    lead = init.get("lead_organisation_id")
    orgs = _with_current(orgs, [lead] if lead else [], "Organisation")
    consultations = position_data.consultation_choices()
    cons = init.get("consultation_id")
    consultations = _with_current(consultations, [cons] if cons else [], "Consultation")
    linked = list(init.get("issue_ids") or [])
    issues = _with_current(position_data.issue_choices(), linked, "Issue")
    status = init.get("status", JointPositionStatus.IDEA)
    with st.form(key, border=True, enter_to_submit=False):
        title = st.text_input("Title", value=init.get("title") or "", max_chars=300, key=f"{key}_title")
        summary = st.text_area("Summary", value=init.get("summary") or "", max_chars=10_000, height=100)
        c1, c2 = st.columns(2)
        lead_id = c1.selectbox(
            "Lead organisation",
            list(orgs),
            index=list(orgs).index(lead) if lead in orgs else None,
            format_func=lambda i: orgs[i],
            placeholder="Choose the lead",
            key=f"{key}_lead",
        )
        target = c2.text_input(
            "Target institution",
            value=init.get("target_institution") or "",
            max_chars=200,
            placeholder="e.g. European Commission, ENVI committee",
        )
        c3, c4 = st.columns(2)
        consultation_id = c3.selectbox(
            "Consultation",
            list(consultations),
            index=list(consultations).index(cons) if cons in consultations else None,
            format_func=lambda i: consultations[i],
            placeholder="None",
        )
        document_url = c4.text_input(
            "Document link", value=init.get("document_url") or "", max_chars=2000, placeholder="https://"
        )
        issue_ids = st.multiselect(
            "Linked issues",
            list(issues),
            default=linked,
            format_func=lambda i: issues[i],
            placeholder="None",
            key=f"{key}_issues",
        )
        published_on: dt.date | None = init.get("published_on")
        if creating:
            status = st.selectbox("Status", START_STATUSES, format_func=lambda s: s.label, key=f"{key}_status")
        elif status == JointPositionStatus.PUBLISHED:
            published_on = st.date_input(
                "Published on", value=published_on, max_value=clock.today(), format=DATE_FORMAT
            )
        if not st.form_submit_button(submit_label, type="primary"):
            return None
    return {
        "title": title,
        "summary": summary,
        "status": status,
        "lead_organisation_id": lead_id,
        "consultation_id": consultation_id,
        "target_institution": target,
        "published_on": published_on,
        "document_url": document_url,
        "issue_ids": issue_ids,
    }
