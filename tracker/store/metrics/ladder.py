"""The ladder's charts: issues per rung today and over time, moves, time on a rung, relevance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from ..database import Database
from .scope import BOUNDS, FAR_FUTURE, MOVES, STAY_ROWS, Scope, read


def ladder_today(db: Database, scope: Scope) -> pd.DataFrame:
    """Issues per current rung (archived issues left out): stage, issues."""
    return read(
        db,
        scope,
        "SELECT s.stage, count(*) AS issues FROM fi JOIN issue_stage s ON s.issue_id = fi.id "
        "WHERE fi.archived_on IS NULL GROUP BY s.stage ORDER BY s.stage",
    )


def progression(db: Database, scope: Scope, points: Sequence[dt.date]) -> pd.DataFrame:
    """Issues on each rung at each of ``points`` (month ends), replayed from the events.

    An issue counts from its first event until its archive date. Columns: at, stage, issues.
    """
    return read(
        db,
        scope,
        "SELECT pts.at, s.stage, count(*) AS issues FROM pts JOIN stays s "
        "ON s.since <= pts.at AND coalesce(s.until, ?::DATE) > pts.at "
        "JOIN fi ON fi.id = s.issue_id WHERE fi.archived_on IS NULL OR fi.archived_on > pts.at "
        "GROUP BY pts.at, s.stage ORDER BY pts.at, s.stage",
        [list(points), FAR_FUTURE],
        ["pts AS (SELECT unnest(?::DATE[]) AS at)"],
    )


# The moves of the period that changed the rung (recorded before the issue was archived).
_MOVED = (
    "FROM mv JOIN fi ON fi.id = mv.issue_id WHERE mv.from_stage IS NOT NULL AND mv.to_stage <> mv.from_stage "
    "AND mv.day BETWEEN ? AND ? AND (fi.archived_on IS NULL OR mv.day <= fi.archived_on) "
)


def moves_by_month(db: Database, scope: Scope, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Stage moves up and down recorded per month between ``start`` and ``end``: month, up, down."""
    return read(
        db,
        scope,
        "SELECT date_trunc('month', mv.day)::DATE AS month, "
        "count(*) FILTER (WHERE mv.to_stage > mv.from_stage) AS up, "
        "count(*) FILTER (WHERE mv.to_stage < mv.from_stage) AS down " + _MOVED + "GROUP BY 1 ORDER BY 1",
        [start, end],
        [MOVES],
    )


def transitions(db: Database, scope: Scope, start: dt.date, end: dt.date) -> pd.DataFrame:
    """From → to rung moves between ``start`` and ``end``: from_stage, to_stage, moves, issues."""
    return read(
        db,
        scope,
        "SELECT mv.from_stage, mv.to_stage, count(*) AS moves, count(DISTINCT mv.issue_id) AS issues "
        + _MOVED
        + "GROUP BY 1, 2 ORDER BY moves DESC, 1, 2",
        [start, end],
        [MOVES],
    )


def time_on_rung(db: Database, scope: Scope, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Days spent per stay on each rung, for stays that ended in the period or were still
    running at its end. Columns: stage, stays, ongoing, p10, p25, median, p75, p90."""
    return read(
        db,
        scope,
        "SELECT stage, count(*) AS stays, count(*) FILTER (WHERE ongoing) AS ongoing, "
        "quantile_cont(d, 0.1) AS p10, quantile_cont(d, 0.25) AS p25, quantile_cont(d, 0.5) AS median, "
        "quantile_cont(d, 0.75) AS p75, quantile_cont(d, 0.9) AS p90 "
        "FROM (SELECT st.stage, st.ongoing, date_diff('day', st.since, st.left_on) AS d FROM st CROSS JOIN b "
        "WHERE st.ongoing OR st.left_on >= b.p_start) GROUP BY stage ORDER BY stage",
        [start, end],
        [BOUNDS, STAY_ROWS],
    )


def relevance_matrix(db: Database, scope: Scope) -> pd.DataFrame:
    """Current issues by member relevance (1–5) and rung: relevance, stage, issues."""
    return read(
        db,
        scope,
        "SELECT fi.member_relevance AS relevance, s.stage, count(*) AS issues FROM fi "
        "JOIN issue_stage s ON s.issue_id = fi.id WHERE fi.archived_on IS NULL GROUP BY 1, 2 ORDER BY 1, 2",
    )
