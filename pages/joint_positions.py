"""Joint positions: list, detail, status flow, signatories, and the Formal-input suggestion."""

from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import JointPositionStatus, Role, SignatoryStatus, Stage
from tracker.domain.errors import NotFound
from tracker.domain.models import JointPosition
from tracker.services import joint_positions as jp
from tracker.ui.kit.exports import export_buttons
from tracker.ui.kit.lazy_tabs import lazy_tabs
from tracker.ui.kit.pager import page_of
from tracker.ui.kit.record_picker import open_record_picker
from tracker.ui.kit.text import md
from tracker.ui.organisations import data as org_data
from tracker.ui.organisations.feedback import (
    DATE_FORMAT,
    attempt,
    back_to_list,
    flash,
    history_table,
    query_id,
    show_flash,
    shown,
)
from tracker.ui.positions import data as position_data
from tracker.ui.positions.form import POSITION_LABELS, position_form
from tracker.ui.shell import cache
from tracker.ui.shell.db import get_db
from tracker.ui.shell.frame import page_frame

user = page_frame("Joint positions")
can_edit = user.role.allows(Role.EDITOR)
PAGE = "pages/joint_positions.py"
STATUS_LABELS = position_data.STATUS_LABELS
SIGNATORY_LABELS = {s.value: s.label for s in SignatoryStatus}


def status_flow(current: JointPositionStatus) -> str:
    """Idea → Drafting → **Circulating** → … with the current status in bold."""
    return " → ".join(f"**{s.label}**" if s == current else s.label for s in JointPositionStatus)


def done(message: str) -> None:
    cache.after_write()
    flash(message)
    st.rerun()


# ------------------------------------------------------------------ publication → Formal input


def formal_input_suggestions(position: JointPosition) -> None:
    """Never silent: each linked issue below Formal input gets a one-click, pre-filled proposal."""
    db = get_db()
    suggestions = jp.formal_input_suggestions(db, position.id)
    if not suggestions:
        return
    with st.container(border=True):
        st.markdown(":material/lightbulb: **Record Formal input on the linked issues?**")
        st.caption(
            "This position is published, and these linked issues are still below Formal input on the ladder. "
            "Nothing changes until you record the event."
        )
        for s in suggestions:
            d = s["data"]
            st.markdown(f"**{md(s['title'])}** — now at {md(Stage(s['stage']).label)}")
            evidence = f"Evidence: {md(d['evidence_ref'])}"
            if d["evidence_url"]:
                evidence += f" · {md(d['evidence_url'])}"
            when = clock.format_date(d["event_date"])
            if d["event_date"] != position.published_on:
                when += " (the issue's latest stage change is later than the publication)"
            st.caption(f"{evidence} · dated {when}")
            c1, c2 = st.columns([2, 3])
            if can_edit and c1.button(
                "Record Formal input", key=f"formal_{s['issue_id']}", type="primary", icon=":material/trending_up:"
            ):
                moved = attempt(
                    lambda s=s: jp.record_formal_input(db, user, position.id, s["issue_id"], s["version"]),
                    POSITION_LABELS,
                )
                if moved is not None:
                    done(f"Recorded Formal input on “{s['title']}”.")
            with c2:
                st.page_link(
                    "pages/issues.py",
                    label="Open the issue",
                    icon=":material/flag:",
                    query_params={"issue": str(s["issue_id"])},
                )


# ------------------------------------------------------------------ signatories


def signatories_tab(position: JointPosition) -> None:
    db = get_db()
    sigs = position_data.signatories(position.id)
    agreed = sum(1 for s in sigs if s["status"] == SignatoryStatus.AGREED.value)
    if not sigs:
        st.caption("No signatories yet: invite partner organisations below.")
    else:
        st.caption(f"{agreed:,} agreed of {len(sigs):,} invited.")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Organisation": s["organisation"],
                        "Status": SIGNATORY_LABELS[s["status"]],
                        "Since": shown(s["status_date"]),
                    }
                    for s in sigs
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    if not can_edit:
        return
    orgs = org_data.organisation_choices()
    with st.form(f"invite_{position.id}", border=True, enter_to_submit=False):
        st.markdown("**Add signatories**")
        chosen = st.multiselect(
            "Organisations",
            list(orgs),
            format_func=lambda i: orgs[i],
            placeholder="Choose organisations",
            key=f"invite_orgs_{position.id}",
        )
        c1, c2 = st.columns(2)
        status = c1.selectbox(
            "Signatory status", list(SignatoryStatus), format_func=lambda s: s.label, key=f"invite_status_{position.id}"
        )
        day = c2.date_input("Date", value=clock.today(), max_value=clock.today(), format=DATE_FORMAT)
        if st.form_submit_button("Add signatories", icon=":material/group_add:"):
            data = {"organisation_ids": chosen, "status": status, "status_date": day}
            added = attempt(lambda: jp.add_signatories(db, user, position.id, data), POSITION_LABELS)
            if added is not None:
                done(f"Added {len(added):,} signator{'y' if len(added) == 1 else 'ies'}.")
    if not sigs:
        return
    by_id = {s["id"]: s for s in sigs}
    with st.form(f"sig_update_{position.id}", border=True, enter_to_submit=False):
        st.markdown("**Change a signatory's status**")
        sid = st.selectbox(
            "Signatory",
            list(by_id),
            format_func=lambda i: f"{by_id[i]['organisation']} ({SIGNATORY_LABELS[by_id[i]['status']]})",
            key=f"sig_pick_{position.id}",
        )
        c1, c2 = st.columns(2)
        new_status = c1.selectbox(
            "New status", list(SignatoryStatus), format_func=lambda s: s.label, key=f"sig_status_{position.id}"
        )
        day = c2.date_input("Date of the change", value=clock.today(), max_value=clock.today(), format=DATE_FORMAT)
        c3, c4 = st.columns(2)
        save = c3.form_submit_button("Save status", type="primary")
        remove = c4.form_submit_button(
            "Remove (added by mistake)", help="A partner who changed their mind is Withdrawn, not removed."
        )
    if save:
        sig = by_id[sid]
        data = {"status": new_status, "status_date": day}
        if attempt(lambda: jp.update_signatory(db, user, sig["id"], sig["version"], data), POSITION_LABELS):
            done(f"{sig['organisation']} is now {new_status.label}.")
    if remove:
        sig = by_id[sid]
        if attempt(lambda: jp.remove_signatory(db, user, sig["id"], sig["version"]) or True, POSITION_LABELS):
            done(f"Removed {sig['organisation']}.")


# ------------------------------------------------------------------ status


def status_tab(position: JointPosition) -> None:
    st.markdown(status_flow(position.status))
    moves = jp.allowed_moves(position.status)
    if not moves:
        st.caption("A published position stays published; its date and link can be corrected under Edit.")
        return
    if not can_edit:
        return
    sigs = position_data.signatories(position.id)
    agreed = sum(1 for s in sigs if s["status"] == SignatoryStatus.AGREED.value)
    st.caption(
        "Forward moves may skip steps; going back is one step at a time. Publishing needs at least one agreed "
        f"signatory (now {agreed:,}) and the publication date."
    )
    target = st.selectbox(
        "Move to", moves, format_func=lambda s: s.label, key=f"status_to_{position.id}", index=len(moves) - 1
    )
    data: dict[str, Any] = {"status": target}
    if target == JointPositionStatus.PUBLISHED:
        c1, c2 = st.columns(2)
        data["published_on"] = c1.date_input(
            "Published on", value=clock.today(), max_value=clock.today(), format=DATE_FORMAT, key=f"pub_{position.id}"
        )
        data["document_url"] = c2.text_input(
            "Document link", value=position.document_url or "", placeholder="https://", key=f"doc_{position.id}"
        )
    label = "Publish" if target == JointPositionStatus.PUBLISHED else f"Move to {target.label}"
    if st.button(label, type="primary", key=f"status_go_{position.id}"):
        db = get_db()
        moved = attempt(lambda: jp.set_status(db, user, position.id, position.version, data), POSITION_LABELS)
        if moved is not None:
            if moved.status == JointPositionStatus.PUBLISHED and jp.formal_input_suggestions(db, moved.id):
                done("Published. The linked issues below Formal input are listed at the top: record it in one click.")
            else:
                done(f"Moved to {moved.status.label}.")


# ------------------------------------------------------------------ one position


def position_detail(position_id: int) -> None:
    db = get_db()
    back_to_list("position", "All joint positions")
    try:
        position = jp.get(db, position_id)
    except NotFound as exc:
        st.warning(str(exc))
        return
    st.header(md(position.title))
    st.markdown(status_flow(position.status))
    orgs = org_data.organisation_choices()
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
        cons = position_data.consultation_choices().get(position.consultation_id)
        st.page_link(
            "pages/consultations.py",
            label=md(f"Consultation: {cons or position.consultation_id}"),
            icon=":material/event:",
            query_params={"consultation": str(position.consultation_id)},
        )
    if position.summary:
        st.text(position.summary)
    formal_input_suggestions(position)
    issues = position_data.linked_issues(position.id)
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
    tabs = dict(zip(names, st.tabs(names), strict=True))
    with tabs["Signatories"]:
        signatories_tab(position)
    with tabs["Status"]:
        status_tab(position)
    if can_edit:
        with tabs["Edit"]:
            values = position_form(f"jp_edit_{position.id}", position.model_dump(), "Save changes")
            if values is not None:
                saved = attempt(lambda: jp.update(db, user, position.id, position.version, values), POSITION_LABELS)
                if saved is not None:
                    done(f"Saved {saved.title}.")
    with tabs["History"]:
        history_table(jp.history(db, position.id), POSITION_LABELS)


# ------------------------------------------------------------------ the list


def position_list() -> None:
    orgs = org_data.organisation_choices()
    c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
    search = c1.text_input("Search", placeholder="Title or target institution", key="jp_search")
    status = c2.selectbox(
        "Status", list(STATUS_LABELS), index=None, format_func=STATUS_LABELS.get, placeholder="All", key="jp_status"
    )
    org = c3.selectbox(
        "Organisation",
        list(orgs),
        index=None,
        format_func=lambda i: orgs[i],
        placeholder="Any lead or signatory",
        key="jp_org",
    )
    sort = c4.selectbox(
        "Sort by",
        ["recent", "title", "status"],
        format_func={"recent": "Most recent", "title": "Title", "status": "Status"}.get,
        key="jp_sort",
    )
    found = position_data.position_list(search.strip(), status, org, sort)
    table = found.rows
    if table.empty:
        st.info("No joint position matches these filters." if (search or status or org) else "No joint positions yet.")
        return
    st.caption(f"{len(table):,} joint positions")
    export_buttons("joint_positions", table, key="positions_list")
    on_page = page_of(found.shown, "jp_page")
    event = st.dataframe(
        on_page,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="jp_table",
        column_config={
            "id": None,
            "title": st.column_config.TextColumn("Title", width="large"),
            "status": "Status",
            "lead_organisation": "Lead",
            "target_institution": "Target institution",
            "published_on": "Published",
            "agreed": st.column_config.NumberColumn("Agreed", format="%d"),
            "invited_total": st.column_config.NumberColumn("Signatories", format="%d"),
            "issues": st.column_config.NumberColumn("Issues", format="%d"),
        },
    )
    rows = event.selection.rows if event and hasattr(event, "selection") else []
    if rows:
        st.query_params["position"] = str(int(on_page.iloc[rows[0]]["id"]))
        st.rerun()
    open_record_picker("Open a joint position", found.titles, "position", key="jp_open")


# ------------------------------------------------------------------ the page

st.title("Joint positions")
show_flash()
selected = query_id("position")
if selected is not None:
    position_detail(selected)
else:
    names = ["Positions"] + (["New position"] if can_edit else [])
    tabs = lazy_tabs(names, "jp_tab")  # the new-position form lists every issue and organisation
    if "Positions" in tabs:
        with tabs["Positions"]:
            position_list()
    if "New position" in tabs:
        with tabs["New position"]:
            values = position_form("jp_new", None, "Create joint position")
            if values is not None:
                created = attempt(lambda: jp.create(get_db(), user, values), POSITION_LABELS)
                if created is not None:
                    cache.after_write()
                    flash(f"Created {created.title}. Invite the signatories next.")
                    st.query_params["position"] = str(created.id)
                    st.rerun()
