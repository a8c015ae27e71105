"""Cached readers for organisations and contacts (ids and filters in, plain data out)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain.enums import ReferenceKind
from tracker.services import contacts, organisations
from tracker.services import reference as reference_service
from tracker.ui.kit.cells import dashes
from tracker.ui.shell.cache import TTL_SECONDS, shared
from tracker.ui.shell.db import get_db


@dataclass(frozen=True)
class Directory:
    """The organisations matching the filters, built once and shared read-only."""

    rows: pd.DataFrame  # as the service returns them (exports)
    shown: pd.DataFrame  # the same rows as displayed: empty cells read "—"
    names: dict[int, str]  # id → name, for the "Open an organisation" box


@shared
def directory(search: str, org_type: str | None, country: str | None, partners_only: bool, sort: str) -> Directory:
    rows = organisations.directory(
        get_db(),
        {"search": search, "type": org_type, "country": country, "partners_only": partners_only, "sort": sort},
    )
    shown = dashes(rows, ("type", "country", "transparency_register"))
    return Directory(rows, shown, dict(zip(rows["id"].astype(int), rows["name"], strict=True)))


# The choice lists are shared, not copied per call: at scale L every picker and filter on a rerun
# would otherwise unpickle thousands of names. Callers read them only (copy before adding to one).
@shared
def organisation_choices() -> dict[int, str]:
    return dict(organisations.choices(get_db()))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def countries() -> list[str]:
    return organisations.countries(get_db())


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def organisation_types() -> list[str]:
    return reference_service.values(get_db(), ReferenceKind.ORGANISATION_TYPE)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def positions_of(org_id: int) -> Any:
    return organisations.signed_positions(get_db(), org_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def activities_of(org_id: int) -> Any:
    return organisations.activities(get_db(), org_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def link_counts(org_id: int) -> dict[str, int]:
    return organisations.link_counts(get_db(), org_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def contact_table(search: str, organisation_id: int | None, institution: str | None) -> Any:
    return contacts.search(get_db(), {"search": search, "organisation_id": organisation_id, "institution": institution})


@shared
def contact_choices() -> dict[int, str]:
    return dict(contacts.choices(get_db()))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def institutions() -> list[str]:
    return contacts.institutions(get_db())


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def meetings_of(contact_id: int) -> Any:
    return contacts.meetings(get_db(), contact_id)
