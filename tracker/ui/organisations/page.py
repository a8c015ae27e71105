"""The Organisations page: one organisation when the link names one, else the directory's tabs."""

from __future__ import annotations

from functools import partial

from tracker.domain.enums import Role
from tracker.domain.models import User
from tracker.store import Database
from tracker.ui.kit.feedback import record_or_list
from tracker.ui.kit.lazy_tabs import lazy_tabs
from tracker.ui.organisations.contacts import contacts_tab
from tracker.ui.organisations.detail import organisation_detail
from tracker.ui.organisations.directory import directory
from tracker.ui.organisations.saving import merge_form, new_organisation


def organisations_page(db: Database, user: User) -> None:
    if record_or_list("Organisations", "organisation", "an organisation", partial(organisation_detail, db, user)):
        return
    can_edit = user.role.allows(Role.EDITOR)
    names = ["Directory", "Contacts"] + (["New organisation", "Merge duplicates"] if can_edit else [])
    tabs = lazy_tabs(names, "org_tab")
    if "Directory" in tabs:
        with tabs["Directory"]:
            directory()
    if "Contacts" in tabs:
        with tabs["Contacts"]:
            contacts_tab(db, user)
    if "New organisation" in tabs:
        with tabs["New organisation"]:
            new_organisation(db, user)
    if "Merge duplicates" in tabs:
        with tabs["Merge duplicates"]:
            merge_form(db, user, None)
