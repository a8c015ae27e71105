"""The consultation form (create and edit) and the response form: fields, state, widgets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import CONSULTATION_WINDOW_WEEKS, ConsultationType, ResponseStatus
from tracker.services.exchange import have_your_say
from tracker.ui.consultations import data
from tracker.ui.kit.date_field import ANY_DATE
from tracker.ui.kit.form_state import FormState
from tracker.ui.kit.search_picker import pick_many_field

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
CONSULTATION_FIELDS = tuple(f for f in FIELD_LABELS if f != "version")
RESPONSE_FIELDS = ("response_status", "submitted_on", "feedback_reference")
_ENUMS: dict[str, Any] = {"type": ConsultationType, "response_status": ResponseStatus}


def area_options(current: list[str]) -> list[str]:
    """Our policy areas, the Commission's topics and whatever the consultation already has."""
    out: list[str] = []
    seen: set[str] = set()
    for v in [
        *data.policy_areas(),
        *have_your_say.COMMISSION_TOPICS,
        *current,
    ]:
        if v.lower() not in seen:
            seen.add(v.lower())
            out.append(v)
    return out


def consultation_state(prefix: str) -> FormState:
    return FormState(prefix, CONSULTATION_FIELDS, FIELD_LABELS)


def response_state(prefix: str) -> FormState:
    return FormState(prefix, RESPONSE_FIELDS, FIELD_LABELS)


def _member(enum: Any, value: Any, default: Any) -> Any:
    return next((m for m in enum if value in (m, m.value)), default)


def as_widgets(record: Mapping[str, Any] | None) -> dict[str, Any]:
    """A stored consultation (or nothing, for a new one) as its forms' widget values."""
    init = dict(record or {})
    out = {f: init.get(f) for f in CONSULTATION_FIELDS}
    for f in ("title", "authority", "reference", "url", "feedback_reference"):
        out[f] = out[f] or ""
    out["policy_areas"] = list(out["policy_areas"] or [])
    out["issue_ids"] = list(out["issue_ids"] or [])
    out["type"] = _member(ConsultationType, out["type"], ConsultationType.PUBLIC_CONSULTATION)
    out["response_status"] = _member(ResponseStatus, out["response_status"], ResponseStatus.NOT_STARTED)
    return out


def consultation_form(fs: FormState, submit_label: str) -> None:
    """Every field of a consultation; its submit button is ``fs.key("save")``."""
    value = st.session_state.get
    issues = dict(data.issue_choices())
    for iid in value(fs.key("issue_ids")) or []:  # an already linked issue may since have been archived
        issues.setdefault(iid, f"Issue {iid} (archived)")
    positions: dict[Any, str] = {None: "None", **data.joint_position_choices()}
    jp = value(fs.key("joint_position_id"))
    positions.setdefault(jp, f"Joint position {jp}")
    windows = ", ".join(f"{t.label.lower()} {w} weeks" for t, w in CONSULTATION_WINDOW_WEEKS.items())
    with st.form(fs.prefix, border=True, enter_to_submit=False):
        fs.widget(st.text_input, "Title", "title", max_chars=500)
        c1, c2 = st.columns(2)
        with c1:
            authority_help = "For example European Commission — DG SANTE, or the ministry."
            fs.widget(st.text_input, "Authority", "authority", max_chars=200, help=authority_help)
        with c2:
            types = {"options": list(ConsultationType), "format_func": _label, "help": "Commission windows: " + windows}
            fs.widget(st.selectbox, "Type", "type", **types)
        areas = area_options(list(value(fs.key("policy_areas")) or []))
        placeholder = "Choose or type policy areas"
        fs.widget(
            st.multiselect,
            "Policy areas",
            "policy_areas",
            options=areas,
            accept_new_options=True,
            placeholder=placeholder,
        )
        c1, c2 = st.columns(2)
        with c1:
            fs.widget(st.text_input, "Reference", "reference", max_chars=200, help="Initiative id or file reference")
        with c2:
            fs.widget(st.text_input, "Link", "url", max_chars=2000, placeholder="https://…")
        c1, c2 = st.columns(2)
        with c1:
            fs.widget(st.date_input, "Opens", "opens", **ANY_DATE)
        with c2:
            fs.widget(st.date_input, "Closes", "closes", **ANY_DATE)
        pick_many_field(
            fs,
            "Linked issues",
            "issue_ids",
            issues,
            "issue",
            placeholder="Choose the issues this consultation concerns",
        )
        fs.widget(
            st.selectbox,
            "Joint position",
            "joint_position_id",
            options=list(positions),
            format_func=positions.__getitem__,
        )
        st.markdown("**Our response**")
        _response_fields(fs, limit_dates=False)
        st.form_submit_button(submit_label, type="primary", key=fs.key("save"))


def response_form(fs: FormState) -> None:
    """Status, date submitted and the feedback reference; its submit button is ``fs.key("save")``."""
    with st.form(fs.prefix, border=True, enter_to_submit=False):
        _response_fields(fs, limit_dates=True)
        st.form_submit_button("Save response", type="primary", key=fs.key("save"))


def _response_fields(fs: FormState, *, limit_dates: bool) -> None:
    c1, c2, c3 = st.columns(3)
    with c1:
        fs.widget(st.selectbox, "Our response", "response_status", options=list(ResponseStatus), format_func=_label)
    with c2:
        dates = {"help": "Needed when the response is submitted; today or earlier."} if limit_dates else {}
        fs.widget(st.date_input, "Submitted on", "submitted_on", **ANY_DATE, **dates)
    with c3:
        reference_help = "The reference the authority gave our feedback, e.g. F1234567." if limit_dates else None
        fs.widget(st.text_input, "Feedback reference", "feedback_reference", max_chars=200, help=reference_help)


def _label(member: Any) -> str:
    return str(member.label)


def value_text(key: str, value: Any) -> str:
    """A stored or entered value as people read it (history and conflicts)."""
    if value is None or value == []:
        return "—"
    if isinstance(value, dt.date):
        return clock.format_date(value)
    if key in _ENUMS:
        member = _member(_ENUMS[key], value, None)
        return str(member.label) if member is not None else str(value)
    if key == "issue_ids":
        titles = data.issue_choices()
        return "; ".join(titles.get(i, f"Issue {i}") for i in value)
    if key == "joint_position_id":
        return data.joint_position_choices().get(value, f"Joint position {value}")
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)
