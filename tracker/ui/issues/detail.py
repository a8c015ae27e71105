"""One issue: its header and ladder, details, timeline, linked records, history and the archive button."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import Role
from tracker.domain.models import Issue, User
from tracker.services import issues as svc
from tracker.store import Database
from tracker.ui.issues import data, ladder
from tracker.ui.issues.edit import edit_form, forget_forms, move_form
from tracker.ui.issues.format import (
    history_frame,
    md_link,
    position_status_label,
    response_label,
    review_text,
    timeline_frame,
    value_text,
)
from tracker.ui.kit.feedback import back_to_list, save, show_refusal
from tracker.ui.kit.form_state import FormState
from tracker.ui.kit.text import md, md_multiline

OPEN = "iss_open"


def issue_view(db: Database, user: User, issue_id: int) -> None:
    """One issue: header and ladder, details, timeline, links, history; for editors edit and move."""
    issue = svc.find(db, issue_id)
    top = st.columns([4, 1])
    with top[0]:
        back_to_list("issue", "All issues", key="iss_back")
    if issue is None:
        st.warning(f"There is no issue number {issue_id:,}. It may have been mistyped in the link.")
        return
    if st.session_state.get(OPEN) != issue_id:
        forget_forms(st.session_state.get(OPEN))
        st.session_state.pop(_tab_key(st.session_state.get(OPEN)), None)
        st.session_state[OPEN] = issue_id
    editing = user.role.allows(Role.EDITOR)
    if editing:
        with top[1]:
            _archive_actions(db, user, issue)
        issue = svc.find(db, issue_id) or issue
    _header(db, issue)
    labels = ["Details", "Timeline", "Linked", "History"]
    if editing and issue.archived_at is None:
        labels += ["Edit", "Move to stage…"]
    tabs = _tabs(issue.id, labels)
    with tabs[0]:
        _details(issue)
    with tabs[1]:
        _timeline(issue.id)
    with tabs[2]:
        _linked(issue.id)
    with tabs[3]:
        _history(issue.id)
    if len(tabs) > 4:
        with tabs[4]:
            edit_form(db, user, issue)
        with tabs[5]:
            move_form(db, user, issue)


def _tab_key(issue_id: Any) -> str:
    return f"iss_tab_{issue_id}"


def _tabs(issue_id: int, labels: list[str]) -> list[Any]:
    """The issue's tabs, the chosen one remembered by its label in the session.

    Untracked tabs are reset to the first by the browser whenever the page above them changes
    (a flash after a save appears, then goes), which hid a refused form's errors behind
    Details. Every tab is still drawn, so input typed in a form survives a look at another tab."""
    key = _tab_key(issue_id)
    if st.session_state.get(key) not in labels:
        st.session_state.pop(key, None)  # e.g. the Edit tab of an issue archived since
    return list(st.tabs(labels, key=key, on_change="rerun"))


def _header(db: Database, issue: Issue) -> None:
    st.title(md(issue.title))
    since = svc.stage_since(db, issue.id)
    parts = [
        f"**#{issue.id}**",
        f"**Stage:** {issue.stage.label}" + (f" since {clock.format_date(since)}" if since else ""),
        f"**Target:** {issue.target_stage.label}",
        f"**Lifecycle:** {issue.lifecycle.label}",
        f"**Owner:** {md(data.person(issue.owner)) if issue.owner else 'nobody'}",
        f"**Next review:** {md(review_text(issue, clock.today()))}",
    ]
    st.markdown(" · ".join(parts))
    if issue.archived_at is not None:
        st.warning(
            f"Archived on {clock.format_timestamp(issue.archived_at)}: hidden from lists and charts, history kept.",
            icon=":material/archive:",
        )
    st.plotly_chart(ladder.issue_ladder(issue.stage, issue.target_stage), config=ladder.CONFIG, key="iss_ladder")
    reached = issue.stage >= issue.target_stage
    st.caption(
        f"{issue.stage.phase} phase (stage {int(issue.stage)} of 5) · "
        + ("the target stage is reached" if reached else f"⚑ marks the target: {issue.target_stage.label}")
    )


def _details(issue: Issue) -> None:
    c1, c2 = st.columns([3, 2])
    with c1:
        st.markdown("**Summary**")
        st.markdown(md_multiline(issue.summary) if issue.summary else "_No summary yet._")
        st.markdown("**The ask**")
        st.markdown(md_multiline(issue.ask) if issue.ask else "_Not set._")
        st.markdown("**Why it matters to members**")
        st.markdown(md_multiline(issue.why_it_matters) if issue.why_it_matters else "_Not set._")
    with c2:
        rows = [
            ("Policy area", value_text("policy_area", issue.policy_area)),
            ("Level", issue.level.label),
            ("Policy cycle stage", value_text("policy_cycle", issue.policy_cycle)),
            ("Policy reference", value_text("policy_reference", issue.policy_reference)),
            ("Priority", issue.priority.label),
            ("Our position", issue.position.label),
            ("Member relevance", f"{issue.member_relevance} / 5"),
            ("Member segments", value_text("member_segments", issue.member_segments)),
            ("Tags", value_text("tags", issue.tags)),
            ("Created", f"{clock.format_timestamp(issue.created_at)} by {data.person(issue.created_by)}"),
            ("Last changed", f"{clock.format_timestamp(issue.updated_at)} by {data.person(issue.updated_by)}"),
        ]
        st.dataframe(
            pd.DataFrame(rows, columns=["Field", "Value"]),
            hide_index=True,
            key="iss_facts",
            height=38 + 35 * len(rows),
            column_config={"Field": st.column_config.TextColumn(width="small")},
        )
        if issue.reference_url:
            st.markdown("Reference: " + md_link(issue.policy_reference or issue.reference_url, issue.reference_url))


def _timeline(issue_id: int) -> None:
    tl = timeline_frame(data.timeline(issue_id), data.people())
    if tl.empty:
        st.info("Nothing on the timeline yet.")
        return
    st.caption("Stage changes and activities, newest first.")
    st.dataframe(
        tl,
        hide_index=True,
        key="iss_timeline",
        column_config={
            "Date": st.column_config.DateColumn("Date", format="D MMM YYYY", width=95),
            "What": st.column_config.TextColumn("What", width=280),
            "Link": st.column_config.LinkColumn("Link", display_text="open", width=50),
            "Note or summary": st.column_config.TextColumn(width=170),
            "Evidence": st.column_config.TextColumn(width=170),
            "By": st.column_config.TextColumn(width=105),
        },
    )


def _linked(issue_id: int) -> None:
    consultations, positions = data.links(issue_id)
    st.markdown("**Consultations**")
    if not consultations:
        st.caption("No consultation is linked to this issue.")
    for c in consultations:
        st.page_link(
            "pages/consultations.py",
            label=f"{md(c['title'])} — closes {clock.format_date(c['closes'])} · {response_label(c['response_status'])}",
            query_params={"consultation": str(c["id"])},
            icon=":material/event:",
        )
    st.markdown("**Joint positions**")
    if not positions:
        st.caption("No joint position is linked to this issue.")
    for p in positions:
        published = f" · published {clock.format_date(p['published_on'])}" if p.get("published_on") else ""
        st.page_link(
            "pages/joint_positions.py",
            label=f"{md(p['title'])} — {position_status_label(p['status'])}{published}",
            query_params={"position": str(p["id"])},
            icon=":material/handshake:",
        )


def _history(issue_id: int) -> None:
    frame = history_frame(data.history(issue_id), data.people())
    if frame.empty:
        st.info("No changes have been recorded for this issue in this app yet.")
        return
    st.dataframe(frame, hide_index=True, key="iss_history")


# ------------------------------------------------------------------ archive


def _archive_actions(db: Database, user: User, issue: Issue) -> None:
    fs = FormState(f"iss_archive{issue.id}", ())
    seen_key = f"iss_seen_{issue.id}"
    seen = st.session_state.get(seen_key, issue.version)
    archived = issue.archived_at is not None
    label = "Restore issue" if archived else "Archive issue"
    if st.button(
        label, key=f"iss_archive_{issue.id}", icon=":material/unarchive:" if archived else ":material/archive:"
    ):
        action = svc.restore if archived else svc.archive

        def forget(_: Any) -> None:
            forget_forms(issue.id)
            st.session_state.pop(seen_key, None)

        save(
            fs,
            lambda: action(db, user, issue.id, seen),
            "Issue restored." if archived else "Issue archived. It stays reachable here and can be restored.",
            then=forget,
        )
    show_refusal(fs)
    latest = svc.find(db, issue.id)
    st.session_state[seen_key] = latest.version if latest else issue.version
