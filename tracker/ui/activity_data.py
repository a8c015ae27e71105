"""Cached readers for the activity log, and the widgets-to-filters step as a pure function."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from tracker.domain.enums import ReferenceKind
from tracker.services import activities
from tracker.services import reference as reference_service

from .cache import TTL_SECONDS
from .db import get_db

KINDS = {"all": "All", "awareness": "Awareness", "influencing": "Influencing"}


def log_filters(
    date_from: dt.date | None,
    date_to: dt.date | None,
    types: list[str],
    issue_id: int | None,
    organisation_id: int | None,
    funding_sources: list[str],
    kind: str,
    search: str,
) -> dict[str, Any]:
    """The log's widget values as the service's filter dict (hashable parts only)."""
    return {
        "date_from": date_from,
        "date_to": date_to,
        "types": sorted(types),
        "issue_id": issue_id,
        "organisation_id": organisation_id,
        "funding_sources": sorted(funding_sources),
        "influencing": {"awareness": False, "influencing": True}.get(kind),
        "search": search.strip() or None,
    }


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def log(filters: dict[str, Any], sort: str) -> Any:
    return activities.search(get_db(), filters, sort=sort)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def totals(filters: dict[str, Any]) -> dict[str, Any]:
    return activities.totals(get_db(), filters)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def follow_ups(today: dt.date) -> tuple[dt.date, dt.date, Any]:
    """Keyed by today's date so the week rolls over with the calendar."""
    return activities.follow_ups_this_week(get_db())


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def activity_types() -> list[str]:
    return reference_service.values(get_db(), ReferenceKind.ACTIVITY_TYPE)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def funding_sources() -> list[str]:
    return reference_service.values(get_db(), ReferenceKind.FUNDING_SOURCE)
