"""Cached readers for the Consultations page: ids and filters in, plain data out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import ConsultationType, ReferenceKind, ResponseStatus
from tracker.services import calendar
from tracker.services import consultations as service
from tracker.services import reference as reference_service
from tracker.ui.shell.cache import TTL_SECONDS, shared
from tracker.ui.shell.db import get_db

WARNINGS_LISTED = 10  # deadlines named in a warning; the table lists them all
ALERT_TEXT = {"strong": "Due within 3 days", "warning": "Due within 14 days"}
# Theme colours (in ALERT_TEXT's order): Streamlit keeps the chips readable in light and dark.
ALERT_COLOURS = ("red", "orange")


@dataclass(frozen=True)
class Lists:
    """The consultations matching one set of filters, split by deadline and ready to display."""

    all: pd.DataFrame
    current: pd.DataFrame  # open and upcoming, soonest first
    past: pd.DataFrame  # most recent first
    current_view: pd.DataFrame
    past_view: pd.DataFrame
    # Per alert level ("strong", "warning"): how many, and the first few (title, deadline).
    due_soon: dict[str, tuple[int, list[tuple[str, str]]]]


@shared
def lists(filters: dict[str, Any], today: dt.date) -> Lists:
    """Built once per filter set and shared read-only: a rerun only hands the tables to Streamlit."""
    df = service.search(get_db(), filters, today)
    current, past = service.split_by_deadline(df)
    return Lists(df, current, past, current_view(current), past_view(past), due_soon(current))


def due_soon(current: pd.DataFrame) -> dict[str, tuple[int, list[tuple[str, str]]]]:
    out = {}
    for level in ALERT_TEXT:
        due = current[current["urgency"] == level]
        first = due.head(WARNINGS_LISTED)
        out[level] = (len(due), list(zip(first["title"], first["deadline"], strict=True)))
    return out


def _labels(enum: Any, codes: pd.Series) -> list[str]:
    return [enum(c).label for c in codes]


def _listed(values: pd.Series) -> list[list[str]]:
    return [list(v) if v is not None else [] for v in values]


def current_view(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Deadline": df["deadline"],
            "Alert": [[ALERT_TEXT[u]] if u in ALERT_TEXT else [] for u in df["urgency"]],
            "Closes": df["closes"],
            "Title": df["title"],
            "Status": [
                f"opens {clock.format_date(o)}" if p == "upcoming" else "open"
                for p, o in zip(df["phase"], df["opens"], strict=True)
            ],
            "Our response": _labels(ResponseStatus, df["response_status"]),
            "Authority": df["authority"],
            "Type": _labels(ConsultationType, df["type"]),
            "Policy areas": _listed(df["policy_areas"]),
            "Linked issues": _listed(df["issue_titles"]),
        }
    )


def past_view(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Closed": df["closes"],
            "Title": df["title"],
            "Our response": _labels(ResponseStatus, df["response_status"]),
            "Submitted on": df["submitted_on"],
            "Feedback reference": df["feedback_reference"],
            "Authority": df["authority"],
            "Type": _labels(ConsultationType, df["type"]),
            "Policy areas": _listed(df["policy_areas"]),
            "Linked issues": _listed(df["issue_titles"]),
            "Feedback received": df["total_feedback"],
        }
    )


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def filter_options() -> dict[str, list[Any]]:
    return service.filter_options(get_db())


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def policy_areas() -> list[str]:
    return list(reference_service.values(get_db(), ReferenceKind.POLICY_AREA))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def issue_choices() -> dict[int, str]:
    return dict(service.issue_choices(get_db()))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def joint_position_choices() -> dict[int, str]:
    return dict(service.joint_position_choices(get_db()))


def deadlines_ics(today: dt.date) -> Callable[[], bytes]:
    """The deadlines calendar, built only when the download is clicked (on Streamlit's download
    thread: a plain service call, no cache or page context there)."""
    db = get_db()
    return lambda: calendar.deadlines_ics(db, today)
