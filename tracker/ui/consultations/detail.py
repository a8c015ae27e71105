"""One consultation (``?consultation=<id>``): facts, deadline, links, our response, edits and history."""

from __future__ import annotations

from typing import Any, Literal

import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import ConsultationType, ResponseStatus, Role
from tracker.domain.errors import EditConflict, InvalidInput, NotFound, PermissionDenied, StorageError
from tracker.domain.models import Consultation, User
from tracker.services import consultations as service
from tracker.ui.consultations import data
from tracker.ui.consultations.form import FIELD_LABELS, consultation_form, response_form, show_error
from tracker.ui.kit.text import md
from tracker.ui.shell import cache
from tracker.ui.shell.db import get_db

QUERY_KEY = "consultation"
FLASH_KEY = "consultation_flash"
TABLE_KEYS = ("consultations_current", "consultations_past")
Colour = Literal["red", "orange", "blue", "green", "violet", "gray"]
URGENCY_COLOUR: dict[str, Colour] = {"strong": "red", "warning": "orange"}
STATUS_COLOUR: dict[ResponseStatus, Colour] = {
    ResponseStatus.NOT_STARTED: "gray",
    ResponseStatus.DRAFTING: "blue",
    ResponseStatus.SUBMITTED: "green",
    ResponseStatus.SKIPPED: "violet",
}


def back_to_list() -> None:
    """Forget the open consultation and any table selection that would reopen it."""
    st.query_params.pop(QUERY_KEY, None)
    for key in TABLE_KEYS:
        st.session_state.pop(key, None)


def _snapshot_key(cid: int) -> str:
    return f"consultation_opened_{cid}"


def show_flash() -> None:
    """The confirmation of the last save, shown once after the rerun it caused."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(md(message), icon=":material/check_circle:")


def render_consultation(user: User, consultation_id: int) -> None:
    st.button("All consultations", icon=":material/arrow_back:", on_click=back_to_list, key="back_to_list")
    try:
        c = service.get(get_db(), consultation_id)
    except NotFound as exc:
        st.warning(str(exc))
        return
    forget_opened(keep=c.id)
    today = clock.today()
    mark = service.deadline(c.closes, today, opens=c.opens, status=c.response_status)
    st.header(md(c.title), anchor=False)
    badges = st.container(horizontal=True)
    with badges:
        st.badge(c.type.label, color="gray")
        deadline_text = mark.label if mark.phase != "upcoming" else f"opens {clock.format_date(c.opens)} · {mark.label}"
        st.badge(
            deadline_text,
            icon=":material/schedule:",
            color=URGENCY_COLOUR.get(mark.urgency or "", "blue" if mark.phase != "closed" else "gray"),  # type: ignore[arg-type]
        )
        st.badge(f"Our response: {c.response_status.label}", color=STATUS_COLOUR[c.response_status])
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
    _links(c)

    if user.role.allows(Role.EDITOR):
        tabs = st.tabs(["Our response", "Edit all fields", "Change history", "Delete"])
        with tabs[0]:
            _response_tab(user, c)
        with tabs[1]:
            _edit_tab(user, c)
        with tabs[2]:
            _history(c.id)
        with tabs[3]:
            _delete_tab(user, c)
    else:
        with st.expander("Change history"):
            _history(c.id)


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


def _links(c: Consultation) -> None:
    left, right = st.columns(2)
    with left:
        st.markdown("**Linked issues**")
        if not c.issue_ids:
            st.caption("No linked issue yet.")
        titles = service.issue_titles(get_db(), c.issue_ids)
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


def forget_opened(keep: int | None = None) -> None:
    """Drop the snapshots of consultations no longer open, so reopening one starts fresh."""
    for key in [k for k in st.session_state if str(k).startswith("consultation_opened_")]:
        if key != (_snapshot_key(keep) if keep is not None else None):
            del st.session_state[key]


def _opened(c: Consultation) -> dict[str, Any]:
    """The consultation as this user opened it. Forms start from it and save against its
    version, so a later save by someone else is a conflict instead of being overwritten."""
    key = _snapshot_key(c.id)
    if key not in st.session_state:
        st.session_state[key] = c.model_dump()
    return dict(st.session_state[key])


def _stale_notice(c: Consultation, opened: dict[str, Any]) -> None:
    if c.version != opened["version"]:
        st.info(
            "Someone changed this consultation since you opened it; the forms below still hold the version you opened.",
            icon=":material/info:",
        )
        if st.button("Load the latest version", key=f"reload_{c.id}"):
            st.session_state[_snapshot_key(c.id)] = c.model_dump()
            st.rerun()


def _response_tab(user: User, c: Consultation) -> None:
    opened = _opened(c)
    _stale_notice(c, opened)
    submitted = response_form(f"response_{c.id}_{opened['version']}", opened)
    if submitted is not None:
        _write(
            lambda: service.record_response(get_db(), user, c.id, opened["version"], submitted), c.id, "Response saved."
        )


def _edit_tab(user: User, c: Consultation) -> None:
    opened = _opened(c)
    submitted = consultation_form(f"edit_{c.id}_{opened['version']}", opened, "Save changes")
    if submitted is not None:
        _write(lambda: service.update(get_db(), user, c.id, opened["version"], submitted), c.id, "Consultation saved.")


def _write(action: Any, cid: int, done: str) -> None:
    try:
        saved = action()
    except (InvalidInput, EditConflict, PermissionDenied, NotFound, StorageError) as exc:
        show_error(exc)
        return
    cache.after_write()
    st.session_state[_snapshot_key(cid)] = saved.model_dump()
    st.session_state[FLASH_KEY] = done
    st.rerun()


def _delete_tab(user: User, c: Consultation) -> None:
    st.caption("Deleting removes the consultation from every list; the change history keeps it.")
    sure = st.checkbox("Yes, delete this consultation", key=f"delete_sure_{c.id}")
    if st.button("Delete consultation", disabled=not sure, key=f"delete_{c.id}", icon=":material/delete:"):
        try:
            service.delete(get_db(), user, c.id, _opened(c)["version"])
        except (EditConflict, PermissionDenied, NotFound, StorageError) as exc:
            show_error(exc)
            return
        cache.after_write()
        back_to_list()
        st.session_state[FLASH_KEY] = f"Deleted {c.title}."
        st.rerun()


def _history(cid: int) -> None:
    entries = service.history(get_db(), cid)
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
                    f"{FIELD_LABELS.get(k, k)}: {_value(k, v[0])} → {_value(k, v[1])}"
                    for k, v in changes.items()
                    if isinstance(v, list) and len(v) == 2
                ),
            }
        )
    st.dataframe(rows, hide_index=True)


def _value(key: str, value: Any) -> str:
    if value is None or value == []:
        return "—"
    if key == "type":
        try:
            return ConsultationType(value).label  # type: ignore[call-arg]
        except ValueError:
            return str(value)
    if key == "response_status":
        try:
            return ResponseStatus(value).label  # type: ignore[call-arg]
        except ValueError:
            return str(value)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)
