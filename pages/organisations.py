"""Organisations: the partner directory, one organisation's record, contacts, merging duplicates."""

from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain.enums import Role
from tracker.domain.errors import NotFound
from tracker.services import contacts, organisations
from tracker.ui.kit.exports import export_buttons
from tracker.ui.kit.lazy_tabs import lazy_tabs
from tracker.ui.kit.pager import page_of
from tracker.ui.kit.record_picker import open_record_picker
from tracker.ui.kit.text import md
from tracker.ui.organisations import data
from tracker.ui.organisations.feedback import (
    EXPECTED,
    attempt,
    back_to_list,
    date_cell,
    days,
    flash,
    history_table,
    query_id,
    show_error,
    show_flash,
)
from tracker.ui.organisations.forms import CONTACT_LABELS, ORG_LABELS, contact_form, organisation_form
from tracker.ui.shell import cache
from tracker.ui.shell.db import get_db
from tracker.ui.shell.frame import page_frame

user = page_frame("Organisations")
can_edit = user.role.allows(Role.EDITOR)
PAGE = "pages/organisations.py"
PENDING = "org_pending_similar"


def open_link(org_id: int, name: str) -> None:
    st.page_link(PAGE, label=md(name), icon=":material/apartment:", query_params={"organisation": str(org_id)})


def pending_similar() -> None:
    """A name refused as a near-duplicate: offer the existing organisation, or save anyway."""
    pending = st.session_state.get(PENDING)
    if not pending:
        return
    st.warning(
        f"**{md(pending['data']['name'])}** matches an existing organisation apart from case or spaces. "
        "Use the existing one, or confirm that it is a different organisation.",
        icon=":material/content_copy:",
    )
    for match_id, match_name in pending["matches"]:
        open_link(match_id, f"Use the existing: {match_name}")
    c1, c2 = st.columns(2)
    label = "Create it anyway" if pending["mode"] == "create" else "Save the new name anyway"
    if c1.button(label, key="org_confirm_similar"):
        st.session_state.pop(PENDING, None)
        db = get_db()
        if pending["mode"] == "create":
            org = attempt(lambda: organisations.create(db, user, pending["data"], confirm_similar=True), ORG_LABELS)
        else:
            org = attempt(
                lambda: organisations.update(
                    db, user, pending["id"], pending["version"], pending["data"], confirm_similar=True
                ),
                ORG_LABELS,
            )
        if org is not None:
            cache.after_write()
            flash(f"Saved {org.name}.")
            st.query_params["organisation"] = str(org.id)
            st.rerun()
    if c2.button("Cancel", key="org_cancel_similar"):
        st.session_state.pop(PENDING, None)
        st.rerun()


def save_organisation(mode: str, values: dict[str, Any], org_id: int | None = None, version: int = 0) -> None:
    db = get_db()
    try:
        if mode == "create":
            org = organisations.create(db, user, values)
        else:
            assert org_id is not None
            org = organisations.update(db, user, org_id, version, values)
    except organisations.SimilarName as exc:
        st.session_state[PENDING] = {
            "mode": mode,
            "data": values,
            "id": org_id,
            "version": version,
            "matches": [(m.id, m.name) for m in exc.matches],
        }
        st.rerun()
        return
    except EXPECTED as exc:
        show_error(exc, ORG_LABELS)
        return
    cache.after_write()
    flash(f"Saved {org.name}.")
    st.query_params["organisation"] = str(org.id)
    st.rerun()


def merge_form(keep_id: int | None) -> None:
    """Fold a duplicate into the organisation to keep; every link moves over."""
    orgs = data.organisation_choices()
    ids = list(orgs)
    if len(ids) < 2:
        st.caption("There are fewer than two organisations: nothing to merge.")
        return
    st.caption(
        "Every signatory, activity, contact and lead role of the duplicate moves to the organisation you keep; "
        "empty fields of the kept one take the duplicate's values; the duplicate is kept, marked as merged."
    )
    c1, c2 = st.columns(2)
    if keep_id is None:
        keep = c1.selectbox(
            "Keep", ids, index=None, format_func=lambda i: orgs[i], placeholder="Organisation to keep", key="merge_keep"
        )
    else:
        keep = keep_id
        c1.text_input("Keep", value=orgs.get(keep_id, ""), disabled=True, key="merge_keep_fixed")
    drop = c2.selectbox(
        "Duplicate (merged into the kept one)",
        [i for i in ids if i != keep],
        index=None,
        format_func=lambda i: orgs[i],
        placeholder="Organisation to merge away",
        key=f"merge_drop_{keep_id}",
    )
    if keep is None or drop is None:
        return
    moving = data.link_counts(drop)
    st.info(
        f"**{md(orgs[drop])}** → **{md(orgs[keep])}**: "
        + ", ".join(f"{n:,} {kind}" for kind, n in moving.items())
        + " will move.",
        icon=":material/merge:",
    )
    confirm = st.checkbox("I checked that these are the same organisation", key=f"merge_confirm_{keep_id}")
    if st.button("Merge", type="primary", disabled=not confirm, key=f"merge_go_{keep_id}"):
        db = get_db()

        def run() -> Any:
            k, d = organisations.get(db, keep), organisations.get(db, drop)
            return organisations.merge(db, user, k.id, k.version, d.id, d.version)

        merged = attempt(run, ORG_LABELS)
        if merged is not None:
            cache.after_write()
            flash(f"Merged {orgs[drop]} into {merged.name}.")
            st.query_params["organisation"] = str(merged.id)
            st.rerun()


# ------------------------------------------------------------------ one organisation


def organisation_detail(org_id: int) -> None:
    db = get_db()
    back_to_list("organisation", "All organisations")
    try:
        org = organisations.get(db, org_id)
    except NotFound as exc:
        st.warning(str(exc))
        return
    if org.merged_into is not None:
        keeper = organisations.get(db, org.merged_into)
        st.header(md(org.name))
        st.info(f"This organisation was merged into **{md(keeper.name)}**.", icon=":material/merge:")
        open_link(keeper.id, f"Open {keeper.name}")
        history_table(organisations.history(db, org_id), ORG_LABELS)
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
    pending_similar()
    names = ["Joint positions", "Activities", "Contacts", "History"]
    if can_edit:
        names += ["Edit", "Merge a duplicate into this one"]
    tabs = dict(zip(names, st.tabs(names), strict=True))
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
        history_table(organisations.history(db, org_id), ORG_LABELS)
    if can_edit:
        with tabs["Edit"]:
            values = organisation_form(f"org_edit_{org_id}", org.model_dump(), "Save changes")
            if values is not None:
                save_organisation("update", values, org_id, org.version)
        with tabs["Merge a duplicate into this one"]:
            merge_form(org_id)


# ------------------------------------------------------------------ the directory


def directory() -> None:
    c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
    search = c1.text_input("Search", placeholder="Name or register number", key="org_search")
    org_type = c2.selectbox("Type", data.organisation_types(), index=None, placeholder="All types", key="org_type")
    country = c3.selectbox("Country", data.countries(), index=None, placeholder="All countries", key="org_country")
    sort = c4.selectbox(
        "Sort by",
        ["name", "country", "type", "positions", "activities"],
        format_func={
            "name": "Name",
            "country": "Country",
            "type": "Type",
            "positions": "Positions signed",
            "activities": "Activities",
        }.get,
        key="org_sort",
    )
    partners_only = st.toggle("Partners only", key="org_partners")
    found = data.directory(search.strip(), org_type, country, partners_only, sort)
    table = found.rows
    if table.empty:
        st.info("No organisation matches these filters.")
        return
    if len(table) >= organisations.DIRECTORY_LIMIT:
        st.caption(f"Showing the first {len(table):,} organisations; search or filter to find others.")
    else:
        st.caption(f"{len(table):,} organisations")
    export_buttons("organisations", table, key="organisations_list")
    shown = page_of(table, "org_page")
    event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="org_table",
        column_config={
            "id": None,
            "name": "Name",
            "type": "Type",
            "country": "Country",
            "transparency_register": "Transparency Register",
            "is_partner": st.column_config.CheckboxColumn("Partner"),
            "website": st.column_config.LinkColumn("Website"),
            "positions_signed": st.column_config.NumberColumn("Positions signed", format="%d"),
            "activities": st.column_config.NumberColumn("Activities", format="%d"),
        },
    )
    rows = event.selection.rows if event and hasattr(event, "selection") else []
    if rows:
        st.query_params["organisation"] = str(int(shown.iloc[rows[0]]["id"]))
        st.rerun()
    open_record_picker("Open an organisation", found.names, "organisation", key="org_open")


# ------------------------------------------------------------------ contacts


def contact_dataframe(people: pd.DataFrame) -> None:
    st.dataframe(
        people,
        hide_index=True,
        width="stretch",
        column_config={
            "id": None,
            "name": "Name",
            "role": "Role",
            "institution": "Institution",
            "organisation": "Organisation",
            "email": "E-mail",
            "phone": "Phone",
            "erased": None,
            "meetings": st.column_config.NumberColumn("Activities", format="%d"),
        },
    )


def contact_detail(contact_id: int) -> None:
    db = get_db()
    try:
        person = contacts.get(db, contact_id)
    except NotFound as exc:
        st.warning(str(exc))
        return
    st.subheader(md(person.name))
    orgs = data.organisation_choices()
    facts = [
        person.role or "",
        person.institution or "",
        orgs.get(person.organisation_id, "") if person.organisation_id else "",
    ]
    st.caption(" · ".join(md(f) for f in facts if f) or "No role or institution recorded.")
    meetings = data.meetings_of(contact_id)
    if meetings.empty:
        st.caption("No activities recorded with this contact.")
    else:
        st.dataframe(
            meetings.assign(activity_date=meetings["activity_date"].map(date_cell)),
            hide_index=True,
            width="stretch",
            column_config={"id": None, "activity_date": "Date", "type": "Type", "summary": "Summary"},
        )
    if can_edit and person.erased_at is None:
        values = contact_form(f"contact_edit_{contact_id}", person.model_dump(), "Save contact")
        if values is not None:
            saved = attempt(lambda: contacts.update(db, user, contact_id, person.version, values), CONTACT_LABELS)
            if saved is not None:
                cache.after_write()
                flash(f"Saved {saved.name}.")
                st.rerun()
        erase_key = f"erase_{contact_id}"
        if not st.session_state.get(erase_key):
            if st.button("Erase personal data…", icon=":material/person_remove:", key=f"erase_ask_{contact_id}"):
                st.session_state[erase_key] = True
                st.rerun()
        else:
            st.warning(
                f"Erase **{md(person.name)}** on request? The name, role, e-mail and phone are replaced in this "
                "record and in its change history. This cannot be undone. Activities keep the link.",
                icon=":material/warning:",
            )
            c1, c2 = st.columns(2)
            if c1.button("Erase permanently", type="primary", key=f"erase_go_{contact_id}"):
                st.session_state.pop(erase_key, None)
                erased = attempt(lambda: contacts.erase(db, user, contact_id, person.version), CONTACT_LABELS)
                if erased is not None:
                    cache.after_write()
                    flash(f"Contact erased; it now reads “{erased.name}”.")
                    st.rerun()
            if c2.button("Cancel", key=f"erase_cancel_{contact_id}"):
                st.session_state.pop(erase_key, None)
                st.rerun()
    elif person.erased_at is not None:
        st.info("This contact was erased on request.", icon=":material/person_off:")
    with st.expander("Change history"):
        history_table(contacts.history(db, contact_id), CONTACT_LABELS)


def contacts_tab() -> None:
    orgs = data.organisation_choices()
    c1, c2, c3 = st.columns([3, 2, 2])
    search = c1.text_input("Search contacts", placeholder="Name, role or institution", key="contact_search")
    institution = c2.selectbox(
        "Institution", data.institutions(), index=None, placeholder="All institutions", key="contact_institution"
    )
    organisation = c3.selectbox(
        "Organisation",
        list(orgs),
        index=None,
        format_func=lambda i: orgs[i],
        placeholder="All organisations",
        key="contact_org",
    )
    people = data.contact_table(search.strip(), organisation, institution)
    if people.empty:
        st.info("No contact matches these filters.")
    else:
        st.caption(f"{len(people):,} contacts")
        contact_dataframe(page_of(people, "contact_page"))
        names = dict(zip(people["id"].astype(int), people["name"], strict=True))
        chosen = st.selectbox(
            "Open a contact",
            list(names),
            index=None,
            format_func=lambda i: names[i],
            placeholder="Choose a contact",
            key="contact_open",
        )
        if chosen is not None:
            contact_detail(chosen)
    if can_edit:
        with st.expander("Add a contact", icon=":material/person_add:"):
            values = contact_form("contact_new", None, "Add contact")
            if values is not None:
                created = attempt(lambda: contacts.create(get_db(), user, values), CONTACT_LABELS)
                if created is not None:
                    cache.after_write()
                    flash(f"Added {created.name}.")
                    st.rerun()


# ------------------------------------------------------------------ the page

st.title("Organisations")
show_flash()
selected = query_id("organisation")
if selected is not None:
    organisation_detail(selected)
else:
    names = ["Directory", "Contacts"] + (["New organisation", "Merge duplicates"] if can_edit else [])
    tabs = lazy_tabs(names, "org_tab")
    if "Directory" in tabs:
        with tabs["Directory"]:
            directory()
    if "Contacts" in tabs:
        with tabs["Contacts"]:
            contacts_tab()
    if "New organisation" in tabs:
        with tabs["New organisation"]:
            pending_similar()
            values = organisation_form("org_new", None, "Create organisation")
            if values is not None:
                save_organisation("create", values)
    if "Merge duplicates" in tabs:
        with tabs["Merge duplicates"]:
            merge_form(None)
