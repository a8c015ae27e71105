"""An issue's two forms: edit its fields, and record a stage change on the ladder."""

from __future__ import annotations

from typing import Any

import streamlit as st

from tracker.domain.models import Issue, User
from tracker.services import issues as svc
from tracker.store import Database
from tracker.ui.issues import data
from tracker.ui.issues.format import field_label, value_text
from tracker.ui.issues.forms import (
    ISSUE_FIELDS,
    MOVE_FIELDS,
    issue_defaults,
    issue_fields,
    issue_form,
    move_defaults,
    move_fields,
)
from tracker.ui.kit.feedback import save_edits


def forget_forms(issue_id: Any) -> None:
    """Drop the edit and move forms of an issue (after a save, or on opening another issue)."""
    if isinstance(issue_id, int):
        issue_form(f"iss_e{issue_id}", ISSUE_FIELDS).clear()
        issue_form(f"iss_m{issue_id}", MOVE_FIELDS).clear()


def edit_form(db: Database, user: User, issue: Issue) -> None:
    fs = issue_form(f"iss_e{issue.id}", ISSUE_FIELDS)
    save_edits(
        fs,
        issue.version,
        issue_defaults(issue),
        lambda version, changed: svc.update(db, user, issue.id, version, changed),
        lambda changed, _: f"Saved: {', '.join(field_label(f) for f in changed)}.",
        then=lambda _: forget_forms(issue.id),
        reread=lambda: issue_defaults(svc.get(db, issue.id)),
        as_widgets=issue_defaults,
        show=value_text,
    )
    with st.form(f"iss_edit_form_{issue.id}", border=False, enter_to_submit=False):
        issue_fields(fs, data.options(), creating=False)
        st.form_submit_button("Save changes", type="primary", key=fs.key("save"), icon=":material/save:")


def move_form(db: Database, user: User, issue: Issue) -> None:
    fs = issue_form(f"iss_m{issue.id}", MOVE_FIELDS)
    # A stage change is one new event, sent whole: "keep mine" records it as typed on the newer version.
    save_edits(
        fs,
        issue.version,
        move_defaults(issue.stage),
        lambda version, values: svc.move_stage(db, user, issue.id, version, values),
        lambda _, moved: f"Moved from {issue.stage.label} to {moved.stage.label}. The event is on the timeline.",
        whole=True,
        then=lambda _: forget_forms(issue.id),
        note=f"Saved now: stage **{issue.stage.label}**, lifecycle **{issue.lifecycle.label}**. "
        "Your stage change below is not saved yet.",
    )
    st.caption(
        f"Now at **{issue.stage.label}**. Moving up needs evidence (a reference or a link); "
        "moving down needs the reason in the note."
    )
    events = svc.events(db, issue.id)
    last_date = events[0]["event_date"] if events else None
    with st.form(f"iss_move_form_{issue.id}", border=False, enter_to_submit=False):
        move_fields(fs, issue.stage, last_date)
        st.form_submit_button("Record stage change", type="primary", key=fs.key("save"), icon=":material/stairs:")
