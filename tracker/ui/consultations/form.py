"""The consultation form (create and edit) and the response form, as data dicts for the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import CONSULTATION_WINDOW_WEEKS, ConsultationType, ReferenceKind, ResponseStatus
from tracker.domain.errors import EditConflict, InvalidInput, NotFound, PermissionDenied, StorageError
from tracker.services import reference as reference_service
from tracker.services.exchange import have_your_say
from tracker.ui.consultations import data
from tracker.ui.kit.text import md
from tracker.ui.shell.db import get_db

DATE_FORMAT = "DD/MM/YYYY"

FIELD_LABELS = {
    "title": "Title",
    "authority": "Authority",
    "policy_areas": "Policy areas",
    "type": "Type",
    "reference": "Reference",
    "url": "Link",
    "opens": "Opens",
    "closes": "Closes",
    "response_status": "Our response",
    "submitted_on": "Submitted on",
    "feedback_reference": "Feedback reference",
    "joint_position_id": "Joint position",
    "issue_ids": "Linked issues",
    "version": "Version",
}


def area_options(current: list[str]) -> list[str]:
    """Our policy areas, the Commission's topics and whatever the consultation already has."""
    out: list[str] = []
    seen: set[str] = set()
    for v in [
        *reference_service.values(get_db(), ReferenceKind.POLICY_AREA),
        *have_your_say.COMMISSION_TOPICS,
        *current,
    ]:
        if v.lower() not in seen:
            seen.add(v.lower())
            out.append(v)
    return out


def consultation_form(key: str, initial: dict[str, Any] | None, submit_label: str) -> dict[str, Any] | None:
    """Every field of a consultation; the entered data when submitted, else None."""
    init = initial or {}
    issues = data.issue_choices()
    linked = [i for i in init.get("issue_ids", []) if i in issues]
    # An already linked issue may since have been archived: keep it selectable.
    for iid in init.get("issue_ids", []):
        if iid not in issues:
            issues = {**issues, iid: f"Issue {iid} (archived)"}
            linked.append(iid)
    positions = data.joint_position_choices()
    jp = init.get("joint_position_id")
    if jp is not None and jp not in positions:
        positions = {**positions, jp: f"Joint position {jp}"}
    types: list[Any] = list(ConsultationType)
    statuses: list[Any] = list(ResponseStatus)
    with st.form(key, border=True, enter_to_submit=False):
        title = st.text_input("Title", value=init.get("title", ""), max_chars=500)
        c1, c2 = st.columns(2)
        authority = c1.text_input(
            "Authority",
            value=init.get("authority", ""),
            max_chars=200,
            help="For example European Commission — DG SANTE, or the ministry.",
        )
        ctype = c2.selectbox(
            "Type",
            types,
            index=types.index(ConsultationType(init.get("type", ConsultationType.PUBLIC_CONSULTATION))),  # type: ignore[call-arg]
            format_func=lambda t: t.label,
            help="Commission windows: "
            + ", ".join(f"{t.label.lower()} {w} weeks" for t, w in CONSULTATION_WINDOW_WEEKS.items()),
        )
        current_areas = list(init.get("policy_areas") or [])
        areas = st.multiselect(
            "Policy areas",
            area_options(current_areas),
            default=current_areas,
            accept_new_options=True,
            placeholder="Choose or type policy areas",
        )
        c1, c2 = st.columns(2)
        reference = c1.text_input(
            "Reference", value=init.get("reference") or "", max_chars=200, help="Initiative id or file reference"
        )
        url = c2.text_input("Link", value=init.get("url") or "", max_chars=2000, placeholder="https://…")
        c1, c2 = st.columns(2)
        opens = c1.date_input("Opens", value=init.get("opens"), format=DATE_FORMAT)
        closes = c2.date_input("Closes", value=init.get("closes"), format=DATE_FORMAT)
        issue_ids = st.multiselect(
            "Linked issues",
            list(issues),
            default=linked,
            format_func=lambda i: issues.get(i, f"Issue {i}"),
            placeholder="Choose the issues this consultation concerns",
        )
        jp_options: list[int | None] = [None, *positions]
        joint_position_id = st.selectbox(
            "Joint position",
            jp_options,
            index=jp_options.index(jp) if jp in jp_options else 0,
            format_func=lambda j: "None" if j is None else positions.get(j, f"Joint position {j}"),
        )
        st.markdown("**Our response**")
        c1, c2, c3 = st.columns(3)
        status = c1.selectbox(
            "Our response",
            statuses,
            index=statuses.index(ResponseStatus(init.get("response_status", ResponseStatus.NOT_STARTED))),  # type: ignore[call-arg]
            format_func=lambda s: s.label,
        )
        submitted_on = c2.date_input("Submitted on", value=init.get("submitted_on"), format=DATE_FORMAT)
        feedback_reference = c3.text_input(
            "Feedback reference", value=init.get("feedback_reference") or "", max_chars=200
        )
        if not st.form_submit_button(submit_label, type="primary"):
            return None
    return {
        "title": title,
        "authority": authority,
        "type": ctype,
        "policy_areas": areas,
        "reference": reference,
        "url": url,
        "opens": opens,
        "closes": closes,
        "issue_ids": issue_ids,
        "joint_position_id": joint_position_id,
        "response_status": status,
        "submitted_on": submitted_on,
        "feedback_reference": feedback_reference,
    }


def response_form(key: str, initial: dict[str, Any]) -> dict[str, Any] | None:
    """Status, date submitted and the feedback reference; the entered data when submitted."""
    statuses: list[Any] = list(ResponseStatus)
    with st.form(key, border=True, enter_to_submit=False):
        c1, c2, c3 = st.columns(3)
        status = c1.selectbox(
            "Our response",
            statuses,
            index=statuses.index(ResponseStatus(initial["response_status"])),  # type: ignore[call-arg]
            format_func=lambda s: s.label,
        )
        submitted_on = c2.date_input(
            "Submitted on",
            value=initial.get("submitted_on"),
            format=DATE_FORMAT,
            max_value=clock.today(),
            help="Needed when the response is submitted.",
        )
        feedback_reference = c3.text_input(
            "Feedback reference",
            value=initial.get("feedback_reference") or "",
            max_chars=200,
            help="The reference the authority gave our feedback, e.g. F1234567.",
        )
        if not st.form_submit_button("Save response", type="primary"):
            return None
    return {"response_status": status, "submitted_on": submitted_on, "feedback_reference": feedback_reference}


def show_error(exc: Exception) -> None:
    """The words for a refused write; never a traceback."""
    if isinstance(exc, InvalidInput):
        st.error(
            "Please correct the following:\n\n" + "\n".join(f"- **{md(e.field)}**: {md(e.message)}" for e in exc.errors)
        )
    elif isinstance(exc, EditConflict):
        st.error(str(exc), icon=":material/sync_problem:")
        if exc.current:
            st.caption("Their version:")
            st.dataframe(
                [
                    {"Field": FIELD_LABELS.get(k, k), "Value": _shown(k, v)}
                    for k, v in exc.current.items()
                    if k != "version"
                ],
                hide_index=True,
            )
    elif isinstance(exc, (PermissionDenied, NotFound, StorageError)):
        st.error(str(exc))
    else:  # pragma: no cover - only the errors above are expected
        raise exc


def _shown(key: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return clock.format_date(value)
    if key == "type":
        return ConsultationType(value).label  # type: ignore[call-arg]
    if key == "response_status":
        return ResponseStatus(value).label  # type: ignore[call-arg]
    if key == "issue_ids":
        titles = data.issue_choices()
        return "; ".join(titles.get(i, f"Issue {i}") for i in value)
    if key == "joint_position_id":
        return data.joint_position_choices().get(value, f"Joint position {value}")
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)
