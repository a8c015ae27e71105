"""Contacts: the searchable list, one contact with its activities, and the editors' forms and erasure."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from tracker.domain.enums import Role
from tracker.domain.errors import NotFound
from tracker.domain.models import Contact, User
from tracker.services import attribution, contacts
from tracker.store import Database
from tracker.ui.kit.cells import dashes
from tracker.ui.kit.feedback import save, save_new, save_record_edits, show_refusal
from tracker.ui.kit.form_state import FormState
from tracker.ui.kit.pager import page_of
from tracker.ui.kit.record_picker import choose_record
from tracker.ui.kit.records import date_cell, history_table
from tracker.ui.kit.text import md
from tracker.ui.organisations import data
from tracker.ui.organisations.forms import CONTACT_LABELS, as_widgets, contact_form, contact_state


def contact_dataframe(people: pd.DataFrame) -> None:
    st.dataframe(
        dashes(people, ("role", "institution", "organisation", "email", "phone")),
        hide_index=True,
        width="stretch",
        # Sized to fit the page at 1400 px; the phone number comes last.
        column_order=("name", "role", "institution", "organisation", "email", "meetings", "phone"),
        column_config={
            "name": st.column_config.TextColumn("Name", width=140),
            "role": st.column_config.TextColumn("Role", width=140),
            "institution": st.column_config.TextColumn("Institution", width=170),
            "organisation": st.column_config.TextColumn("Organisation", width=170),
            "email": st.column_config.TextColumn("E-mail", width=180),
            "meetings": st.column_config.NumberColumn("Activities", format="%d", width=70),
            "phone": st.column_config.TextColumn("Phone", width=110),
        },
    )


def contact_detail(db: Database, user: User, contact_id: int) -> None:
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
    if user.role.allows(Role.EDITOR) and person.erased_at is None:
        _edit_contact(db, user, person)
        _erase(db, user, person)
    elif person.erased_at is not None:
        st.info("This contact was erased on request.", icon=":material/person_off:")
    with st.expander("Change history"):
        history_table(attribution.readable(db, contacts.history(db, contact_id)), CONTACT_LABELS)


def contacts_tab(db: Database, user: User) -> None:
    orgs = data.organisation_choices()
    c1, c2, c3 = st.columns([3, 2, 2])
    search = c1.text_input("Search contacts", placeholder="Name, role or institution", key="contact_search")
    institution = c2.selectbox(
        "Institution", data.institutions(), index=None, placeholder="All institutions", key="contact_institution"
    )
    with c3:
        organisation = choose_record("Organisation", orgs, key="contact_org", placeholder="All organisations")
    people = data.contact_table(search.strip(), organisation, institution)
    if people.empty:
        st.info("No contact matches these filters.")
    else:
        st.caption(f"{len(people):,} contacts")
        contact_dataframe(page_of(people, "contact_page"))
        names = dict(zip(people["id"].astype(int), people["name"], strict=True))
        chosen = choose_record("Open a contact", names, key="contact_open", placeholder="Choose a contact")
        if chosen is not None:
            contact_detail(db, user, chosen)
    if user.role.allows(Role.EDITOR):
        with st.expander("Add a contact", icon=":material/person_add:"):
            _new_contact(db, user)


def _new_contact(db: Database, user: User) -> None:
    fs = contact_state("contact_new")
    save_new(fs, as_widgets(None), lambda values: contacts.create(db, user, values), lambda c: f"Added {c.name}.")
    fs.error_summary()
    contact_form(fs, "Add contact")


def _edit_contact(db: Database, user: User, person: Contact) -> None:
    fs = contact_state(f"contact_edit_{person.id}")
    update = partial(contacts.update, db, user, person.id)
    get = partial(contacts.get, db, person.id)
    save_record_edits(fs, person, update, get, as_widgets, lambda saved: f"Saved {saved.name}.")
    contact_form(fs, "Save contact")


def _erase(db: Database, user: User, person: Contact) -> None:
    contact_id = person.id
    fs = FormState(f"erase_{contact_id}", ())
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
            save(
                fs,
                lambda: contacts.erase(db, user, contact_id, person.version),
                lambda erased: f"Contact erased; it now reads “{erased.name}”.",
            )
        if c2.button("Cancel", key=f"erase_cancel_{contact_id}"):
            st.session_state.pop(erase_key, None)
            st.rerun()
    show_refusal(fs)
