"""Cached readers for the Consultations page: ids and filters in, plain data out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import ReferenceKind, ResponseStatus
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
    return Lists(df, current, past, current_view(current), past_view(past, today), due_soon(current))


def due_soon(current: pd.DataFrame) -> dict[str, tuple[int, list[tuple[str, str]]]]:
    out = {}
    for level in ALERT_TEXT:
        due = current[current["urgency"] == level]
        first = due.head(WARNINGS_LISTED)
        out[level] = (len(due), list(zip(first["title"], first["deadline"], strict=True)))
    return out


def _labels(enum: Any, codes: pd.Series) -> list[str]:
    return [enum(c).label for c in codes]


def _deadline_words(df: pd.DataFrame) -> list[str]:
    """'Closes in 5 days', or for one not yet open 'Opens 3 Dec 2026 · closes in 40 days'."""
    return [
        f"Opens {clock.format_date(o)} · {d}" if p == "upcoming" else d.capitalize()
        for p, o, d in zip(df["phase"], df["opens"], df["deadline"], strict=True)
    ]


def current_view(df: pd.DataFrame) -> pd.DataFrame:
    """What matters for deciding what to answer next; type, areas and issues are on the record's page."""
    return pd.DataFrame(
        {
            "Title": df["title"],
            "Closes": df["closes"],
            "Deadline": _deadline_words(df),
            "Alert": [[ALERT_TEXT[u]] if u in ALERT_TEXT else [] for u in df["urgency"]],
            "Our response": _labels(ResponseStatus, df["response_status"]),
            "Authority": df["authority"],
        }
    )


def _responses(df: pd.DataFrame, today: dt.date) -> list[str]:
    return [service.response_word(s, c, today) for s, c in zip(df["response_status"], df["closes"], strict=True)]


def past_view(df: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Title": df["title"],
            "Closed": df["closes"],
            "Our response": _responses(df, today),
            "Submitted on": df["submitted_on"],
            "Feedback reference": df["feedback_reference"],
            "Authority": df["authority"],
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
