"""One joint position's page: its facts and links, status flow, edit form and history."""

from __future__ import annotations

from functools import partial
from typing import Any

import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import JointPositionStatus, Role, SignatoryStatus, Stage
from tracker.domain.models import JointPosition, User
from tracker.services import joint_positions as jp
from tracker.store import Database
from tracker.ui.kit.date_field import ANY_DATE
from tracker.ui.kit.feedback import record_or_back, save, save_record_edits, show_refusal
from tracker.ui.kit.form_state import FormState
from tracker.ui.kit.records import history_table
from tracker.ui.kit.text import md
from tracker.ui.organisations import data as organisation_data
from tracker.ui.positions import data
from tracker.ui.positions.form import POSITION_LABELS, as_widgets, position_form, position_state
from tracker.ui.positions.formal_input import formal_input_panel
from tracker.ui.positions.signatories import signatories_tab


def status_flow(current: JointPositionStatus) -> str:
    """Idea → Drafting → **Circulating** → … with the current status in bold."""
    return " → ".join(f"**{s.label}**" if s == current else s.label for s in JointPositionStatus)


STATUS_FIELDS = {"published_on": "Published on", "document_url": "Document link"}


def status_tab(db: Database, user: User, position: JointPosition) -> None:
    """Move the position along its flow; publishing (final) asks once before it is done."""
    st.markdown(status_flow(position.status))
    moves = jp.allowed_moves(position.status)
    if not moves:
        st.caption("A published position stays published; its date and link can be corrected under Edit.")
        return
    if not user.role.allows(Role.EDITOR):
        return
    sigs = data.signatories(position.id)
    agreed = sum(1 for s in sigs if s["status"] == SignatoryStatus.AGREED.value)
    st.caption(
        "Forward moves may skip steps; going back is one step at a time. Publishing needs at least one agreed "
        f"signatory (now {agreed:,}) and the publication date."
    )
    target = st.selectbox(
        "Move to", moves, format_func=lambda s: s.label, key=f"status_to_{position.id}", index=len(moves) - 1
    )
    fs = FormState(f"status_{position.id}", tuple(STATUS_FIELDS), STATUS_FIELDS)
    fs.ensure(position.version, {"published_on": clock.today(), "document_url": position.document_url or ""})
    publishing = target == JointPositionStatus.PUBLISHED
    _act_on_status_buttons(db, user, position, fs, target)
    if publishing:
        c1, c2 = st.columns(2)
        with c1:
            fs.widget(st.date_input, "Published on", "published_on", **ANY_DATE, help="Today or earlier.")
        with c2:
            fs.widget(st.text_input, "Document link", "document_url", placeholder="https://")
    show_refusal(fs)  # after the fields: each message also stands under its field
    confirming = f"{fs.prefix}__confirm"
    if not publishing:
        st.button(f"Move to {target.label}", type="primary", key=fs.key("move"))
    elif not st.session_state.get(confirming):
        st.button("Publish…", type="primary", key=fs.key("publish"), on_click=_ask, args=(confirming,))
    else:
        day = st.session_state.get(fs.key("published_on"))
        with st.container(border=True):
            st.warning(
                f"Publish “{md(position.title)}” dated {clock.format_date(day) or '—'}? "
                "A published position stays published: this cannot be undone.",
                icon=":material/warning:",
            )
            c1, c2 = st.columns(2, width=360)
            c1.button("Yes, publish", type="primary", key=fs.key("confirm"), icon=":material/publish:")
            c2.button("Cancel", key=fs.key("cancel"))


def _ask(flag: str) -> None:
    st.session_state[flag] = True


def _act_on_status_buttons(
    db: Database, user: User, position: JointPosition, fs: FormState, target: JointPositionStatus
) -> None:
    """The buttons pressed on the last run, read before the fields are drawn (errors go under them)."""
    confirming = f"{fs.prefix}__confirm"
    if target != JointPositionStatus.PUBLISHED or fs.pressed("cancel"):
        st.session_state.pop(confirming, None)
    change: dict[str, Any] = {"status": target}
    if fs.pressed("confirm") and target == JointPositionStatus.PUBLISHED:
        st.session_state.pop(confirming, None)
        change |= fs.values()
    elif not fs.pressed("move") or target == JointPositionStatus.PUBLISHED:
        return
    save(fs, lambda: jp.set_status(db, user, position.id, position.version, change), lambda moved: _moved(db, moved))


def _moved(db: Database, moved: JointPosition) -> str:
    if moved.status == JointPositionStatus.PUBLISHED and jp.formal_input_suggestions(db, moved.id):
        return "Published. The linked issues below Formal input are listed at the top: record it in one click."
    return f"Moved to {moved.status.label}."


def position_detail(db: Database, user: User, position_id: int) -> None:
    """One joint position: facts, links, the Formal-input suggestion, signatories, status, edit, history."""
    can_edit = user.role.allows(Role.EDITOR)
    position = record_or_back("position", "All joint positions", lambda: jp.get(db, position_id))
    if position is None:
        return
    st.header(md(position.title))
    st.markdown(status_flow(position.status))
    orgs = organisation_data.organisation_choices()
    facts = []
    if position.target_institution:
        facts.append(f"Target: {position.target_institution}")
    if position.published_on:
        facts.append(f"Published {clock.format_date(position.published_on)}")
    if facts:
        st.caption(" · ".join(md(f) for f in facts))
    c1, c2 = st.columns(2)
    with c1:
        if position.lead_organisation_id:
            st.page_link(
                "pages/organisations.py",
                label=md(f"Lead: {orgs.get(position.lead_organisation_id, position.lead_organisation_id)}"),
                icon=":material/apartment:",
                query_params={"organisation": str(position.lead_organisation_id)},
            )
        else:
            st.caption("No lead organisation set.")
    if position.document_url:
        c2.link_button("Open the document", position.document_url, icon=":material/open_in_new:")
    if position.consultation_id:
        cons = data.consultation_choices().get(position.consultation_id)
        st.page_link(
            "pages/consultations.py",
            label=md(f"Consultation: {cons or position.consultation_id}"),
            icon=":material/event:",
            query_params={"consultation": str(position.consultation_id)},
        )
    if position.summary:
        st.text(position.summary)
    formal_input_panel(
        user,
        jp.formal_input_suggestions(db, position.id),
        key=f"formal_{position.id}",
        why="This position is published",
        dated=position.published_on,
        record=partial(jp.record_formal_input, db, user, position.id),
    )
    issues = data.linked_issues(position.id)
    if issues:
        st.markdown("**Linked issues**")
        for i in issues:
            st.page_link(
                "pages/issues.py",
                label=md(f"{i['title']} — {Stage(int(i['stage'])).label}"),
                icon=":material/flag:",
                query_params={"issue": str(i["id"])},
            )
    names = ["Signatories", "Status"] + (["Edit"] if can_edit else []) + ["History"]
    # Keyed and tracked: after a save (or a refusal) the page stays on the tab the user used.
    tabs = dict(zip(names, st.tabs(names, key=f"jp_detail_tab_{position.id}", on_change="rerun"), strict=True))
    with tabs["Signatories"]:
        signatories_tab(db, user, position)
    with tabs["Status"]:
        status_tab(db, user, position)
    if can_edit:
        with tabs["Edit"]:
            _edit(db, user, position)
    with tabs["History"]:
        history_table(jp.readable_history(db, position.id), POSITION_LABELS)


def _edit(db: Database, user: User, position: JointPosition) -> None:
    fs = position_state(f"jp_edit_{position.id}")
    get = partial(jp.get, db, position.id)
    update = partial(jp.update, db, user, position.id)
    save_record_edits(fs, position, update, get, as_widgets, lambda saved: f"Saved {saved.title}.")
    position_form(fs, "Save changes", creating=False)
