"""The drill-downs: the issues behind one chart element, with a line of detail each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..database import Database
from .scope import ACT_ISSUE, BOUNDS, CONS, FAR_FUTURE, LABELS, MOVES, ORG, SIGNED, STAY_ROWS, Scope, read

DRILL_LIMIT = 500
_ISSUE_COLS = "i.id AS issue_id, i.title, s.stage, i.policy_area, i.owner, i.lifecycle"
_MOVE_DETAIL = (
    "SELECT mv.issue_id, string_agg(list_extract(?::VARCHAR[], mv.from_stage + 1) || ' → ' || "
    "list_extract(?::VARCHAR[], mv.to_stage + 1) || ' on ' || "
    "strftime(mv.day, '%-d %b %Y'), '; ' ORDER BY mv.day) AS detail, -max(epoch(mv.day)) AS k "
    "FROM mv JOIN fi ON fi.id = mv.issue_id WHERE mv.from_stage IS NOT NULL AND {where} "
    "AND mv.day BETWEEN ? AND ? AND (fi.archived_on IS NULL OR mv.day <= fi.archived_on) GROUP BY mv.issue_id"
)
_CONS_DETAIL = (
    "SELECT ci.issue_id, string_agg(c.title || ' (closes ' || strftime(c.closes, '%-d %b %Y') || ', ' "
    "|| replace(c.response_status, '_', ' ') || ')', '; ' ORDER BY c.closes) AS detail, "
    "min(epoch(c.closes)) AS k FROM cons c JOIN consultation_issues ci ON ci.consultation_id = c.id "
    "JOIN fi ON fi.id = ci.issue_id WHERE {where} GROUP BY ci.issue_id"
)
_OUTCOME = {
    "submitted": "c.response_status = 'submitted'",
    "skipped": "c.response_status = 'skipped'",
    "missed": "c.response_status NOT IN ('submitted', 'skipped')",
}


def drill(
    db: Database, scope: Scope, kind: str, args: Sequence[Any], *, start: dt.date, end: dt.date, today: dt.date
) -> pd.DataFrame:
    """The issues behind one chart element (at most DRILL_LIMIT + 1 rows, so callers can
    tell the list was cut). ``kind`` and ``args`` are a services.metrics.DrillTarget's.

    Columns: issue_id, title, stage (current), policy_area, owner, lifecycle, detail.
    """
    ctes: tuple[str, ...] = ()
    cte_params: list[Any] = []
    if kind == "stage":
        inner = (
            "SELECT fi.id AS issue_id, NULL AS detail, 0 AS k FROM fi JOIN issue_stage s ON s.issue_id = fi.id "
            "WHERE fi.archived_on IS NULL AND s.stage = ?"
        )
        p: list[Any] = [args[0]]
    elif kind == "month_stage":
        at = args[0]
        inner = (
            "SELECT s.issue_id, 'on this rung since ' || strftime(s.since, '%-d %b %Y') AS detail, "
            "-date_diff('day', s.since, ?::DATE) AS k FROM stays s JOIN fi ON fi.id = s.issue_id "
            "WHERE s.stage = ? AND s.since <= ?::DATE AND coalesce(s.until, ?::DATE) > ?::DATE "
            "AND (fi.archived_on IS NULL OR fi.archived_on > ?::DATE)"
        )
        p = [at, args[1], at, FAR_FUTURE, at, at]
    elif kind == "moves":
        ctes = (MOVES,)
        cond = "mv.to_stage > mv.from_stage" if args[1] == "up" else "mv.to_stage < mv.from_stage"
        inner = _MOVE_DETAIL.format(where=f"{cond} AND date_trunc('month', mv.day) = ?::DATE")
        p = [LABELS, LABELS, args[0], start, end]
    elif kind == "transition":
        ctes = (MOVES,)
        inner = _MOVE_DETAIL.format(where="mv.from_stage = ? AND mv.to_stage = ?")
        p = [LABELS, LABELS, args[0], args[1], start, end]
    elif kind == "stay":
        ctes, cte_params = (BOUNDS, STAY_ROWS), [start, end]
        inner = (
            "SELECT st.issue_id, date_diff('day', st.since, st.left_on) || ' days on this rung so far' AS detail, "
            "-date_diff('day', st.since, st.left_on) AS k FROM st WHERE st.ongoing AND st.stage = ?"
        )
        p = [args[0]]
    elif kind == "relevance":
        inner = (
            "SELECT fi.id AS issue_id, NULL AS detail, 0 AS k FROM fi JOIN issue_stage s ON s.issue_id = fi.id "
            "WHERE fi.archived_on IS NULL AND fi.member_relevance = ? AND s.stage = ?"
        )
        p = [args[0], args[1]]
    elif kind == "deadline_week":
        ctes = (CONS,)
        inner = _CONS_DETAIL.format(where="date_trunc('week', c.closes) = ?::DATE AND c.closes >= ?")
        p = [args[0], today]
    elif kind == "response_year":
        ctes = (CONS,)
        outcome = _OUTCOME.get(str(args[1]) if len(args) > 1 else "", "TRUE")
        inner = _CONS_DETAIL.format(
            where=f"c.linked AND year(c.closes) = ? AND c.closes <= ? AND c.closes < ? AND {outcome}"
        )
        p = [args[0], end, today]
    elif kind == "partner":
        ctes, cte_params = (ORG, SIGNED), [end, scope.narrowed]
        inner = (
            "SELECT jpi.issue_id, string_agg(DISTINCT j.title, '; ') AS detail, 0 AS k FROM signed "
            "JOIN joint_positions j ON j.id = signed.jp JOIN joint_position_issues jpi ON jpi.joint_position_id = j.id "
            "JOIN fi ON fi.id = jpi.issue_id WHERE signed.org = ? GROUP BY jpi.issue_id"
        )
        p = [args[0]]
    elif kind == "effort":
        ctes, cte_params = ACT_ISSUE, [start, end]
        inner = (
            "SELECT issue_id, round(sum(effort), 2) || ' person-days' AS detail, -sum(effort) AS k FROM rung "
            "WHERE funding = ? AND stage IS NOT DISTINCT FROM ? GROUP BY issue_id"
        )
        p = [args[0], args[1]]
    elif kind == "activity_month":
        inner = (
            "SELECT x.issue_id, count(*) || ' activities' AS detail, -count(*) AS k FROM activities a "
            "JOIN activity_issues x ON x.activity_id = a.id JOIN fi ON fi.id = x.issue_id "
            "WHERE a.deleted_at IS NULL AND date_trunc('month', a.activity_date) = ?::DATE "
            "AND a.activity_date <= ? AND a.is_influencing = ? GROUP BY x.issue_id"
        )
        p = [args[0], end, bool(args[1])]
    else:
        raise ValueError(f"unknown drill-down: {kind}")
    return read(
        db,
        scope,
        f"SELECT {_ISSUE_COLS}, d.detail FROM d JOIN issues i ON i.id = d.issue_id "
        "LEFT JOIN issue_stage s ON s.issue_id = i.id ORDER BY d.k, i.title, i.id LIMIT ?",
        [*cte_params, *p, DRILL_LIMIT + 1],
        [*ctes, f"d AS ({inner})"],
    )
