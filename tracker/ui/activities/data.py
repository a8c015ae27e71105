"""Cached readers for the activity log, and the widgets-to-filters step as a pure function."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain.enums import ReferenceKind
from tracker.services import accounts, activities, joint_positions
from tracker.services import reference as reference_service
from tracker.ui.kit.cells import EMPTY, dashes
from tracker.ui.kit.records import date_cell
from tracker.ui.shell.cache import TTL_SECONDS, shared
from tracker.ui.shell.db import get_db

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


@shared
def issue_choices() -> dict[int, str]:
    """The live issues by title, shared read-only (not copied per call: at scale L the form and
    the log's filter would otherwise unpickle every title on each rerun)."""
    return dict(joint_positions.issue_choices(get_db()))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def people() -> dict[str, str]:
    """User name → display name, for who recorded an activity."""
    return accounts.display_names(get_db())


def person(username: str | None) -> str:
    """The name people know a user by ("—" for nobody)."""
    if not username:
        return EMPTY
    return people().get(username, username)


def kind_of(influencing: bool) -> str:
    return "Influencing" if influencing else "Awareness"


def label_of(row: Any) -> str:
    """How one activity is named in the "Open an activity" box."""
    return f"{date_cell(row.activity_date)} · {row.type} · {str(row.summary)[:80]}"


@dataclass(frozen=True)
class Log:
    """One filtered log, built once and shared read-only by every rerun and session."""

    rows: pd.DataFrame  # as the service returns them (exports, opening a row)
    shown: pd.DataFrame  # the same rows as displayed
    labels: dict[int, str]  # id → name, for the "Open an activity" box
    totals: dict[str, Any]  # over every matching activity, not only the rows shown


@shared
def log(filters: dict[str, Any], sort: str) -> Log:
    db = get_db()
    rows = activities.search(db, filters, sort=sort)
    shown = rows.assign(
        activity_date=rows["activity_date"].map(date_cell),
        follow_up=rows["follow_up"].map(date_cell),
        is_influencing=rows["is_influencing"].map(kind_of),
        effort_days=rows["effort_days"].astype(float),
        created_by=rows["created_by"].map(person),
    )
    shown = dashes(shown, ("follow_up", "outcome", "funding_source", "issues", "organisations", "contacts"))
    labels = {int(r.id): label_of(r) for r in rows.itertuples()}
    return Log(rows, shown, labels, activities.totals(db, filters))


@dataclass(frozen=True)
class FollowUps:
    start: dt.date  # Monday of this week
    end: dt.date  # its Sunday
    rows: pd.DataFrame
    shown: pd.DataFrame
    labels: dict[int, str]


@shared
def follow_ups(today: dt.date) -> FollowUps:
    """Keyed by today's date so the week rolls over with the calendar."""
    start, end, rows = activities.follow_ups_this_week(get_db())
    shown = pd.DataFrame(
        {
            "id": rows["id"],
            "Due": rows["follow_up"].map(date_cell),
            "Activity": rows["activity_date"].map(date_cell) + " · " + rows["type"],
            "Summary": rows["summary"],
            "Issues": rows["issues"],
            "By": rows["created_by"].map(person),
        }
    )
    labels = {int(r.id): f"Due {date_cell(r.follow_up)} · {label_of(r)}" for r in rows.itertuples()}
    return FollowUps(start, end, rows, dashes(shown, ("Issues",)), labels)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def activity_types() -> list[str]:
    return reference_service.values(get_db(), ReferenceKind.ACTIVITY_TYPE)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def funding_sources() -> list[str]:
    return reference_service.values(get_db(), ReferenceKind.FUNDING_SOURCE)
