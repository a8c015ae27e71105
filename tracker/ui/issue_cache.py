"""Cached readers for the Issues page: keyed by ids and filters only, cleared after every write."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain.enums import ReferenceKind
from tracker.services import accounts, reference
from tracker.services import issues as svc

from .cache import TTL_SECONDS
from .db import get_db


def query_key(query: svc.IssueQuery) -> str:
    """A hashable, stable form of a query for the cached readers."""
    return query.model_dump_json()


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def search(query_json: str) -> pd.DataFrame:
    return svc.search(get_db(), svc.IssueQuery.model_validate_json(query_json))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def counts(query_json: str) -> dict[str, Any]:
    return svc.counts(get_db(), svc.IssueQuery.model_validate_json(query_json))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def timeline(issue_id: int) -> pd.DataFrame:
    return svc.timeline(get_db(), issue_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def history(issue_id: int) -> list[dict[str, Any]]:
    return svc.history(get_db(), issue_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def links(issue_id: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    db = get_db()
    return svc.linked_consultations(db, issue_id), svc.linked_positions(db, issue_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def choices() -> list[tuple[int, str]]:
    return svc.choices(get_db())


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def options() -> dict[str, list[str]]:
    """Choices for filters and forms: reference lists plus values already in use."""
    db = get_db()
    return {
        "areas": _merge(reference.values(db, ReferenceKind.POLICY_AREA), svc.areas_in_use(db)),
        "segments": reference.values(db, ReferenceKind.MEMBER_SEGMENT),
        "owners": _merge(accounts.owner_choices(db), svc.owners_in_use(db)),
        "tags": svc.tags_in_use(db),
    }


def _merge(first: list[str], more: list[str]) -> list[str]:
    seen = {v.lower() for v in first}
    return first + [v for v in more if v.lower() not in seen]
