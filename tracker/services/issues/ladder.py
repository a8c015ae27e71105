"""The influence ladder's rules and the plausible dates: pure functions, no database."""

from __future__ import annotations

import datetime as dt

from tracker.domain import clock
from tracker.domain.enums import Stage
from tracker.domain.errors import FieldError
from tracker.domain.models import StageMove

HISTORY_FROM = dt.date(2000, 1, 1)


def start_date_errors(day: dt.date, today: dt.date) -> list[FieldError]:
    """A new issue's first event may be dated in the past (its history), never in the future."""
    if HISTORY_FROM <= day <= today:
        return []
    return [
        FieldError("Date", f"must be between {clock.format_date(HISTORY_FROM)} and today, {clock.format_date(today)}")
    ]


def move_date_range(last_date: dt.date | None, today: dt.date) -> str:
    """The dates a stage change may take, in words: from the previous change to today."""
    if last_date is None:
        return f"must be today ({clock.format_date(today)}) or earlier"
    return (
        f"must be between {clock.format_date(last_date)} (the previous stage change) "
        f"and today, {clock.format_date(today)}"
    )


REVIEW_FROM = dt.date(2000, 1, 1)
REVIEW_YEARS_AHEAD = 10


def review_date_errors(day: dt.date | None, today: dt.date) -> list[FieldError]:
    """A next review date must be plausible: a typo like 2090 is refused, never stored."""
    if day is None:
        return []
    latest = _years_after(today, REVIEW_YEARS_AHEAD)
    if REVIEW_FROM <= day <= latest:
        return []
    return [
        FieldError("Next review", f"must be between {clock.format_date(REVIEW_FROM)} and {clock.format_date(latest)}")
    ]


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check_move(current: Stage, last_date: dt.date | None, move: StageMove, today: dt.date) -> list[FieldError]:
    """The ladder's rules for one move; an empty list means allowed."""
    errors: list[FieldError] = []
    if move.to_stage == current:
        errors.append(FieldError("New stage", f"the issue is already at {current.label}"))
    if move.event_date > today or (last_date is not None and move.event_date < last_date):
        errors.append(FieldError("Date", move_date_range(last_date, today)))
    if move.to_stage > current and not (move.evidence_ref or move.evidence_url):
        errors.append(
            FieldError("Evidence reference", "a move up the ladder needs evidence: a reference or a link (or both)")
        )
    if move.to_stage < current and not move.note:
        errors.append(FieldError("Note", "a move down the ladder needs the reason"))
    return errors
