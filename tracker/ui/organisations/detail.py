"""One organisation's page: facts, joint positions, activities, contacts, history, edit and merge."""

from __future__ import annotations

import streamlit as st

from tracker.domain.enums import Role
from tracker.domain.models import User
from tracker.services import attribution, organisations
from tracker.store import Database
from tracker.ui.kit.feedback import record_or_back
from tracker.ui.kit.pager import page_of
from tracker.ui.kit.records import date_cell, days, history_table
from tracker.ui.kit.text import md
from tracker.ui.organisations import data
from tracker.ui.organisations.contacts import contact_dataframe
from tracker.ui.organisations.forms import ORG_LABELS
from tracker.ui.organisations.saving import edit_organisation, merge_form, open_link, pending_similar


def organisation_detail(db: Database, user: User, org_id: int) -> None:
    """One organisation: its positions, activities, contacts and history; for editors edit and merge."""
    can_edit = user.role.allows(Role.EDITOR)
    org = record_or_back("organisation", "All organisations", lambda: organisations.get(db, org_id))
    if org is None:
        return
    if org.merged_into is not None:
        keeper = organisations.get(db, org.merged_into)
        st.header(md(org.name))
        st.info(f"This organisation was merged into **{md(keeper.name)}**.", icon=":material/merge:")
        open_link(keeper.id, f"Open {keeper.name}")
        history_table(attribution.readable(db, organisations.history(db, org_id)), ORG_LABELS)
        return
    st.header(md(org.name))
    facts = [org.type or "Type not set", org.country or "Country not set"]
    if org.is_partner:
        facts.append("Partner")
    if org.transparency_register:
        facts.append(f"Transparency Register {org.transparency_register}")
    st.caption(" · ".join(md(f) for f in facts))
    if org.website:
        st.link_button("Website", org.website, icon=":material/open_in_new:")
    pending_similar(db, user)
    names = ["Joint positions", "Activities", "Contacts", "History"]
    if can_edit:
        names += ["Edit", "Merge a duplicate into this one"]
    # Keyed and tracked, so a save (its rerun and flash) comes back to the tab the user acted on.
    tabs = dict(zip(names, st.tabs(names, key=f"org_tabs_{org_id}", on_change="rerun"), strict=True))
    with tabs["Joint positions"]:
        positions = data.positions_of(org_id)
        if positions.empty:
            st.caption("Not a signatory or lead of any joint position yet.")
        else:
            agreed = int((positions["signatory_status"] == "agreed").sum())
            st.caption(f"Signed {agreed:,} of {len(positions):,} joint positions it was asked to sign or leads.")
            for row in positions.head(50).itertuples():
                role = "Lead" if row.is_lead else ""
                status = str(row.signatory_status or "").capitalize()
                label = f"{row.title} — {str(row.position_status).capitalize()}"
                extra = " · ".join(
                    x for x in (role, status and f"signatory: {status}", date_cell(row.status_date)) if x
                )
                st.page_link(
                    "pages/joint_positions.py",
                    label=md(f"{label} ({extra})" if extra else label),
                    icon=":material/handshake:",
                    query_params={"position": str(row.id)},
                )
    with tabs["Activities"]:
        acts = data.activities_of(org_id)
        if acts.empty:
            st.caption("No activities recorded with this organisation.")
        else:
            st.caption(
                f"{len(acts):,} activities, {days(acts['effort_days'].astype(float).sum())} person-days in total."
            )
            st.dataframe(
                acts.assign(
                    activity_date=acts["activity_date"].map(date_cell),
                    is_influencing=acts["is_influencing"].map(lambda v: "Influencing" if v else "Awareness"),
                    effort_days=acts["effort_days"].astype(float),
                ),
                hide_index=True,
                width="stretch",
                column_config={
                    "id": None,
                    "activity_date": "Date",
                    "type": "Type",
                    "summary": "Summary",
                    "is_influencing": "Kind",
                    "effort_days": st.column_config.NumberColumn("Effort (days)", format="%.2f"),
                },
            )
            st.page_link(
                "pages/activities.py",
                label="Open these in the activity log",
                icon=":material/edit_calendar:",
                query_params={"organisation": str(org_id)},
            )
    with tabs["Contacts"]:
        people = data.contact_table("", org_id, None)
        if people.empty:
            st.caption("No contacts recorded at this organisation.")
        else:
            contact_dataframe(page_of(people, "contact_page"))
    with tabs["History"]:
        history_table(attribution.readable(db, organisations.history(db, org_id)), ORG_LABELS)
    if can_edit:
        with tabs["Edit"]:
            edit_organisation(db, user, org)
        with tabs["Merge a duplicate into this one"]:
            merge_form(db, user, org_id)
