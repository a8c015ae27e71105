"""Cached readers for the Issues page: keyed by ids and filters only, cleared after every write."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from tracker.domain.enums import ReferenceKind
from tracker.services import accounts, reference
from tracker.services import issues as svc
from tracker.ui.issues.format import list_frame
from tracker.ui.issues.ladder import count_ladder
from tracker.ui.shell.cache import TTL_SECONDS, shared
from tracker.ui.shell.db import get_db


def query_key(query: svc.IssueQuery) -> str:
    """A hashable, stable form of a query for the cached readers."""
    return query.model_dump_json()


@dataclass(frozen=True)
class Listing:
    """Everything the list view shows for one query, built once and shared read-only."""

    rows: pd.DataFrame  # the search result, as exported
    table: pd.DataFrame  # the same rows with labels, as displayed
    counts: dict[str, Any]
    ladder: go.Figure | None  # issues per rung; None when nothing matches
    versions: dict[int, int]  # id → version as listed, for bulk actions' conflict checks
    titles: dict[int, str]


@shared
def listing(query_json: str) -> Listing:
    db = get_db()
    query = svc.IssueQuery.model_validate_json(query_json)
    rows = svc.search(db, query)
    counts = svc.counts(db, query)
    return Listing(
        rows=rows,
        table=list_frame(rows, svc.people(db)),
        counts=counts,
        ladder=count_ladder(counts["by_stage"]) if counts["total"] else None,
        versions={int(i): int(v) for i, v in zip(rows["id"], rows["version"], strict=True)},
        titles={int(i): str(t) for i, t in zip(rows["id"], rows["title"], strict=True)},
    )


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
        # By the names people read, as the pickers show them.
        "owners": sorted(_merge(accounts.owner_choices(db), svc.owners_in_use(db)), key=lambda u: person(u).lower()),
        "tags": svc.tags_in_use(db),
    }


def _merge(first: list[str], more: list[str]) -> list[str]:
    seen = {v.lower() for v in first}
    return first + [v for v in more if v.lower() not in seen]


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def people() -> dict[str, str]:
    """User name → display name (owners, authors and editors are shown by the latter)."""
    return svc.people(get_db())


def person(username: str | None) -> str:
    """A user as people know them: the display name, else the user name; "—" for nobody."""
    if not username:
        return "—"
    return people().get(username, username)
