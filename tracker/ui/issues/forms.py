"""The widgets of the issue forms (create, edit, move); their state is the kit's FormState."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import Level, Lifecycle, PolicyCycle, Position, Priority, Stage
from tracker.domain.models import Issue, IssueInput
from tracker.ui.issues.data import person
from tracker.ui.issues.format import FIELD_LABELS
from tracker.ui.kit.form_state import FormState

# A date field with bounds refuses a typed date outside them in the browser alone (the field
# turns red and its old value is sent), so a record would be saved with a date nobody typed.
# The issue forms' date fields take any four-digit year; the services refuse a date out of
# range with a message naming the range, shown at the field, and store nothing.
FIRST_DAY, LAST_DAY = dt.date(1000, 1, 1), dt.date(9999, 12, 31)
ISSUE_FIELDS: tuple[str, ...] = tuple(IssueInput.model_fields)
CREATE_EXTRA = ("stage", "event_date", "evidence_ref", "evidence_url")
MOVE_FIELDS = ("to_stage", "event_date", "note", "evidence_ref", "evidence_url")
# Other labels the services give the create and move forms' fields (FieldError.field → widget name).
ALIASES = {
    "Starting stage": "stage",
    "New stage": "to_stage",
    "Date": "event_date",
    "Note": "note",
    "Evidence reference": "evidence_ref",
    "Evidence link": "evidence_url",
}


def issue_form(prefix: str, fields: tuple[str, ...]) -> FormState:
    """The state of one of the issue forms (create, edit, move)."""
    return FormState(prefix, fields, FIELD_LABELS, ALIASES)


# ------------------------------------------------------------------ issue fields


def issue_defaults(issue: Issue | Mapping[str, Any] | None) -> dict[str, Any]:
    """Widget values for a new issue (the model's defaults), an existing one or its stored values."""
    if isinstance(issue, Mapping):
        src = _typed({f: issue.get(f) for f in ISSUE_FIELDS if f in issue})
    elif issue is None:
        fields = IssueInput.model_fields
        src = {
            f: None if fields[f].is_required() else fields[f].get_default(call_default_factory=True)
            for f in ISSUE_FIELDS
        }
    else:
        src = {f: getattr(issue, f) for f in ISSUE_FIELDS}
    out = _as_widgets(src)
    if issue is None:
        out |= {"stage": Stage.WATCHING, "event_date": clock.today(), "evidence_ref": "", "evidence_url": ""}
    return out


def _typed(stored: dict[str, Any]) -> dict[str, Any]:
    """Stored codes (a conflict's values) as the model's types, so they compare with the widgets'."""
    try:
        model = IssueInput.model_validate(stored)
    except ValueError:
        return stored
    return {f: getattr(model, f) for f in ISSUE_FIELDS}


def _as_widgets(src: dict[str, Any]) -> dict[str, Any]:
    out = dict(src)
    for f in ("title", "summary", "policy_reference", "reference_url", "ask", "why_it_matters"):
        out[f] = src.get(f) or ""
    out["tags"] = ", ".join(src.get("tags") or [])
    out["member_segments"] = list(src.get("member_segments") or [])
    return out


def _with(options: list[Any], value: Any) -> list[Any]:
    return options if value in options or value is None else [*options, value]


def _label(value: Any) -> str:
    if value is None:
        return "—"
    return str(getattr(value, "label", value))


def issue_fields(fs: FormState, opts: dict[str, list[str]], *, creating: bool) -> None:
    """Every IssueInput field (and, when creating, the starting stage and its evidence)."""
    k = fs.key
    st.text_input("Title", key=k("title"), max_chars=200, placeholder="e.g. Medical Devices Regulation: transition")
    fs.field_error("title")
    st.text_area("Summary", key=k("summary"), max_chars=10_000, height=110)
    fs.field_error("summary")

    c1, c2, c3 = st.columns(3)
    with c1:
        areas = _with([None, *opts.get("areas", [])], st.session_state.get(k("policy_area")))
        st.selectbox("Policy area", areas, key=k("policy_area"), format_func=_label)
        fs.field_error("policy_area")
    with c2:
        st.selectbox("Level", list(Level), key=k("level"), format_func=_label)
        fs.field_error("level")
    with c3:
        st.selectbox("Policy cycle stage", [None, *PolicyCycle], key=k("policy_cycle"), format_func=_label)
        fs.field_error("policy_cycle")

    c1, c2 = st.columns(2)
    with c1:
        st.text_input("Policy reference", key=k("policy_reference"), max_chars=200, placeholder="e.g. 2022/0140(COD)")
        fs.field_error("policy_reference")
    with c2:
        st.text_input("Reference link", key=k("reference_url"), max_chars=2000, placeholder="https://…")
        fs.field_error("reference_url")

    c1, c2, c3 = st.columns(3)
    with c1:
        owners = _with([None, *opts.get("owners", [])], st.session_state.get(k("owner")))
        st.selectbox("Owner", owners, key=k("owner"), format_func=person)
        fs.field_error("owner")
    with c2:
        st.selectbox("Priority", list(Priority), key=k("priority"), format_func=_label)
        fs.field_error("priority")
    with c3:
        st.selectbox("Our position", list(Position), key=k("position"), format_func=_label)
        fs.field_error("position")

    st.text_area("The ask", key=k("ask"), max_chars=5_000, height=80)
    fs.field_error("ask")

    c1, c2 = st.columns([1, 2])
    with c1:
        st.slider("Member relevance", 1, 5, key=k("member_relevance"), help="1 = marginal, 5 = critical for members")
        fs.field_error("member_relevance")
    with c2:
        current = st.session_state.get(k("member_segments")) or []
        segments = opts.get("segments", []) + [s for s in current if s not in opts.get("segments", [])]
        st.multiselect("Member segments", segments, key=k("member_segments"))
        fs.field_error("member_segments")
    st.text_area("Why it matters to members", key=k("why_it_matters"), max_chars=5_000, height=80)
    fs.field_error("why_it_matters")

    c1, c2, c3 = st.columns(3)
    with c1:
        st.selectbox("Target stage", list(Stage), key=k("target_stage"), format_func=_label)
        fs.field_error("target_stage")
    with c2:
        st.selectbox("Lifecycle status", list(Lifecycle), key=k("lifecycle"), format_func=_label)
        fs.field_error("lifecycle")
    with c3:
        st.date_input("Next review", key=k("next_review"), format="DD/MM/YYYY", min_value=FIRST_DAY, max_value=LAST_DAY)
        fs.field_error("next_review")
    st.text_input("Tags", key=k("tags"), help="Separate tags with commas", placeholder="e.g. MDR, SMEs")
    fs.field_error("tags")

    if creating:
        st.markdown("**Where the issue starts**")
        st.caption(
            "Bringing in an issue worked on before? Date it when it was identified; then record each "
            "later move with its date and evidence on its “Move to stage…” tab, oldest first."
        )
        c1, c2 = st.columns(2)
        with c1:
            st.selectbox("Starting stage", list(Stage), key=k("stage"), format_func=_label)
            fs.field_error("stage")
        with c2:
            st.date_input(
                "Identified on",
                key=k("event_date"),
                format="DD/MM/YYYY",
                help="When the issue was identified (or reached its starting stage): today, or a date in the past",
                min_value=FIRST_DAY,
                max_value=LAST_DAY,
            )
            fs.field_error("event_date")
        c2, c3 = st.columns(2)
        with c2:
            st.text_input("Evidence reference", key=k("evidence_ref"), max_chars=500, help="Needed above Watching")
            fs.field_error("evidence_ref")
        with c3:
            st.text_input("Evidence link", key=k("evidence_url"), max_chars=2000, placeholder="https://…")
            fs.field_error("evidence_url")


# ------------------------------------------------------------------ stage move


def move_defaults(current: Stage) -> dict[str, Any]:
    up = [s for s in Stage if s > current]
    return {
        "to_stage": up[0] if up else Stage(int(current) - 1),
        "event_date": clock.today(),
        "note": "",
        "evidence_ref": "",
        "evidence_url": "",
    }


def move_fields(fs: FormState, current: Stage, last_date: dt.date | None) -> None:
    k = fs.key

    def fmt(s: Stage) -> str:
        if s == current:
            return f"{s.label} (current)"
        return f"{'↑' if s > current else '↓'} {s.label}"

    c1, c2 = st.columns([2, 1])
    with c1:
        st.selectbox("New stage", list(Stage), key=k("to_stage"), format_func=fmt)
        fs.field_error("to_stage")
    with c2:
        st.date_input(
            "Date",
            key=k("event_date"),
            format="DD/MM/YYYY",
            help="When it happened: "
            + (f"from {clock.format_date(last_date)} (the previous stage change) " if last_date else "")
            + f"to today, {clock.format_date(clock.today())}",
            min_value=FIRST_DAY,
            max_value=LAST_DAY,
        )
        fs.field_error("event_date")
    c1, c2 = st.columns(2)
    with c1:
        st.text_input(
            "Evidence reference",
            key=k("evidence_ref"),
            max_chars=500,
            help="Feedback id, act reference, meeting… Needed (or a link) for a move up",
        )
        fs.field_error("evidence_ref")
    with c2:
        st.text_input("Evidence link", key=k("evidence_url"), max_chars=2000, placeholder="https://…")
        fs.field_error("evidence_url")
    st.text_area("Note", key=k("note"), max_chars=5_000, height=80, help="For a move down: the reason (required)")
    fs.field_error("note")
