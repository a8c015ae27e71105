"""The Joint positions page: the list and the new-position form, or one position when the link names it."""

from __future__ import annotations

from functools import partial

import streamlit as st

from tracker.domain.enums import Role
from tracker.domain.models import User
from tracker.services import joint_positions as jp
from tracker.store import Database
from tracker.ui.kit.exports import export_buttons
from tracker.ui.kit.feedback import record_or_list, save_new
from tracker.ui.kit.lazy_tabs import lazy_tabs
from tracker.ui.kit.pager import page_of
from tracker.ui.kit.record_picker import choose_record, open_record_picker, record_table
from tracker.ui.organisations import data as organisation_data
from tracker.ui.positions import data
from tracker.ui.positions.detail import position_detail
from tracker.ui.positions.form import as_widgets, position_form, position_state

STATUS_LABELS = data.STATUS_LABELS
SORTS = {"recent": "Most recent", "title": "Title", "status": "Status"}


def positions_page(db: Database, user: User) -> None:
    if record_or_list("Joint positions", "position", "a joint position", partial(position_detail, db, user)):
        return
    names = ["Positions"] + (["New position"] if user.role.allows(Role.EDITOR) else [])
    tabs = lazy_tabs(names, "jp_tab")  # the new-position form lists every issue and organisation
    if "Positions" in tabs:
        with tabs["Positions"]:
            position_list()
    if "New position" in tabs:
        with tabs["New position"]:
            _new_position(db, user)


def _new_position(db: Database, user: User) -> None:
    fs = position_state("jp_new")
    save_new(
        fs,
        as_widgets(None),
        lambda values: jp.create(db, user, values),
        lambda created: f"Created {created.title}. Invite the signatories next.",
        then=lambda created: st.query_params.__setitem__("position", str(created.id)),
    )
    fs.error_summary()
    position_form(fs, "Create joint position", creating=True)


def position_list() -> None:
    """Search, filter and sort the joint positions; a click on a row opens one."""
    orgs = organisation_data.organisation_choices()
    c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
    search = c1.text_input("Search", placeholder="Title or target institution", key="jp_search")
    status = c2.selectbox(
        "Status",
        list(STATUS_LABELS),
        index=None,
        format_func=STATUS_LABELS.__getitem__,
        placeholder="All",
        key="jp_status",
    )
    with c3:
        org = choose_record("Organisation", orgs, key="jp_org", placeholder="Any lead or signatory")
    sort = c4.selectbox("Sort by", list(SORTS), format_func=SORTS.__getitem__, key="jp_sort")
    found = data.position_list(search.strip(), status, org, sort or "recent")
    table = found.rows
    if table.empty:
        st.info("No joint position matches these filters." if (search or status or org) else "No joint positions yet.")
        return
    st.caption(f"{len(table):,} joint positions")
    export_buttons("joint_positions", table, key="positions_list")
    on_page = page_of(found.shown, "jp_page")
    record_table(
        on_page,
        "position",
        key="jp_table",
        column_config={
            "id": None,
            "title": st.column_config.TextColumn("Title", width=360),
            "status": st.column_config.TextColumn("Status", width=95),
            "lead_organisation": st.column_config.TextColumn("Lead", width=190),
            "published_on": st.column_config.TextColumn("Published", width=105),
            "signatories": st.column_config.TextColumn("Agreed", width=80, help="Agreed of invited signatories"),
            "issues": st.column_config.NumberColumn("Issues", format="%d", width=60),
        },
    )
    open_record_picker("Open a joint position", found.titles, "position", key="jp_open")
