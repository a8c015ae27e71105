"""One consultation (``?consultation=<id>``): facts, deadline, links, our response, edits and history."""

from __future__ import annotations

from functools import partial
from typing import Literal

import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import ResponseStatus, Role
from tracker.domain.models import Consultation, User
from tracker.services import consultations as service
from tracker.store import Database
from tracker.ui.consultations import data
from tracker.ui.consultations.form import (
    FIELD_LABELS,
    as_widgets,
    consultation_form,
    consultation_state,
    response_form,
    response_state,
    value_text,
)
from tracker.ui.kit.feedback import delete_panel, leave, record_or_back, save_record_edits
from tracker.ui.kit.text import md
from tracker.ui.positions.formal_input import formal_input_panel

QUERY_KEY = "consultation"
DETAIL_TABS = ["Our response", "Edit all fields", "Change history", "Delete"]
TABLE_KEYS = ("consultations_current", "consultations_past")
Colour = Literal["red", "orange", "blue", "green", "violet", "gray"]
URGENCY_COLOUR: dict[str, Colour] = {"strong": "red", "warning": "orange"}
STATUS_COLOUR: dict[ResponseStatus, Colour] = {
    ResponseStatus.NOT_STARTED: "gray",
    ResponseStatus.DRAFTING: "blue",
    ResponseStatus.SUBMITTED: "green",
    ResponseStatus.SKIPPED: "violet",
}


def render_consultation(db: Database, user: User, consultation_id: int) -> None:
    """One consultation: deadline, facts, links; for editors the response, edit and delete tabs."""
    get = partial(service.get, db, consultation_id)
    c = record_or_back(QUERY_KEY, "All consultations", get, key="back_to_list", forget=TABLE_KEYS)
    if c is None:
        return
    today = clock.today()
    mark = service.deadline(c.closes, today, opens=c.opens, status=c.response_status)
    st.header(md(c.title), anchor=False)
    badges = st.container(horizontal=True)
    with badges:
        st.badge(c.type.label, color="gray")
        deadline_text = (
            mark.label.capitalize()
            if mark.phase != "upcoming"
            else f"Opens {clock.format_date(c.opens)} · {mark.label}"
        )
        st.badge(
            deadline_text,
            icon=":material/schedule:",
            color=URGENCY_COLOUR.get(mark.urgency or "", "blue" if mark.phase != "closed" else "gray"),
        )
        response = service.response_word(c.response_status, c.closes, today)
        missed = response == service.MISSED
        st.badge(f"Our response: {response}", color="red" if missed else STATUS_COLOUR[c.response_status])
    if mark.urgency == "strong":
        st.error(
            f"{mark.label.capitalize()} ({clock.format_date(c.closes)}); our response is {c.response_status.label.lower()}.",
            icon=":material/alarm:",
        )
    elif mark.urgency == "warning":
        st.warning(
            f"{mark.label.capitalize()} ({clock.format_date(c.closes)}); our response is {c.response_status.label.lower()}.",
            icon=":material/schedule:",
        )

    _facts(c)
    _links(db, c)
    formal_input_panel(
        user,
        service.formal_input_suggestions(db, c.id),
        key=f"cons_formal_{c.id}",
        why="Our response to this consultation was submitted",
        dated=c.submitted_on,
        record=partial(service.record_formal_input, db, user, c.id),
    )

    if user.role.allows(Role.EDITOR):
        # Keyed and tracked: after a save (or a refusal) the page stays on the tab the user used.
        tabs = st.tabs(DETAIL_TABS, key=f"cons_detail_tab_{c.id}", on_change="rerun")
        with tabs[0]:
            _response_tab(db, user, c)
        with tabs[1]:
            _edit_tab(db, user, c)
        with tabs[2]:
            _history(db, c.id)
        with tabs[3]:
            _delete_tab(db, user, c)
    else:
        with st.expander("Change history"):
            _history(db, c.id)


def _facts(c: Consultation) -> None:
    cols = st.columns(4)
    cols[0].markdown(f"**Authority**  \n{md(c.authority)}")
    cols[1].markdown(f"**Opens**  \n{clock.format_date(c.opens) or '—'}")
    cols[2].markdown(f"**Closes**  \n{clock.format_date(c.closes)}")
    cols[3].markdown(f"**Reference**  \n{md(c.reference) or '—'}")
    cols = st.columns(4)
    cols[0].markdown(f"**Policy areas**  \n{md('; '.join(c.policy_areas)) or '—'}")
    cols[1].markdown(f"**Submitted on**  \n{clock.format_date(c.submitted_on) or '—'}")
    cols[2].markdown(f"**Feedback reference**  \n{md(c.feedback_reference) or '—'}")
    feedback = f"{c.total_feedback:,}" if c.total_feedback is not None else "—"
    cols[3].markdown(f"**Feedback received (all respondents)**  \n{feedback}")
    if c.source == "have_your_say":
        st.caption("Imported from the Commission's Have Your Say export; a re-import keeps our response and links.")


def _links(db: Database, c: Consultation) -> None:
    left, right = st.columns(2)
    with left:
        st.markdown("**Linked issues**")
        if not c.issue_ids:
            st.caption("No linked issue yet.")
        titles = service.issue_titles(db, c.issue_ids)
        for iid in c.issue_ids:
            st.page_link(
                "pages/issues.py",
                label=md(titles.get(iid, f"Issue {iid}")),
                icon=":material/flag:",
                query_params={"issue": str(iid)},
            )
    with right:
        st.markdown("**Joint position**")
        if c.joint_position_id is None:
            st.caption("No joint position linked.")
        else:
            name = data.joint_position_choices().get(c.joint_position_id, f"Joint position {c.joint_position_id}")
            st.page_link(
                "pages/joint_positions.py",
                label=md(name),
                icon=":material/handshake:",
                query_params={"position": str(c.joint_position_id)},
            )
        if c.url:
            st.link_button("Open the consultation page", c.url, icon=":material/open_in_new:")


def _response_tab(db: Database, user: User, c: Consultation) -> None:
    fs = response_state(f"response_{c.id}")
    get = partial(service.get, db, c.id)
    update = partial(service.record_response, db, user, c.id)
    save_record_edits(fs, c, update, get, as_widgets, partial(_response_saved, db), show=value_text)
    response_form(fs)


def _response_saved(db: Database, saved: Consultation) -> str:
    if service.formal_input_suggestions(db, saved.id):
        return "Response saved. Its linked issues below Formal input are listed above: record it in one click."
    return "Response saved."


def _edit_tab(db: Database, user: User, c: Consultation) -> None:
    fs = consultation_state(f"edit_{c.id}")
    get = partial(service.get, db, c.id)
    update = partial(service.update, db, user, c.id)
    save_record_edits(fs, c, update, get, as_widgets, "Consultation saved.", show=value_text)
    consultation_form(fs, "Save changes")


def _delete_tab(db: Database, user: User, c: Consultation) -> None:
    delete_panel(
        f"delete_{c.id}",
        "Deleting removes the consultation from every list; the change history keeps it.",
        "Yes, delete this consultation",
        "Delete consultation",
        lambda: service.delete(db, user, c.id, c.version),
        f"Deleted {c.title}.",
        then=lambda _: leave(QUERY_KEY, TABLE_KEYS),
    )


def _history(db: Database, cid: int) -> None:
    entries = service.readable_history(db, cid)
    if not entries:
        st.caption("No recorded changes.")
        return
    rows = []
    for e in entries:
        changes = e["changes"] or {}
        rows.append(
            {
                "When": clock.format_timestamp(e["at"]),
                "Who": e["actor"],
                "What": e["action"],
                "Changes": "; ".join(
                    f"{FIELD_LABELS.get(k, k)}: {value_text(k, v[0])} → {value_text(k, v[1])}"
                    for k, v in changes.items()
                    if isinstance(v, list) and len(v) == 2
                ),
            }
        )
    st.dataframe(rows, hide_index=True)
