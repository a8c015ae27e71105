"""What every overview query starts from: the scope's issues, their rungs over time, and the
shared common table expressions of consultations, positions, activities and organisations.

Every query starts from the same two common table expressions:

* ``fi`` — the issues the filters select (archived ones included: history keeps them up to
  their archive date; "today" views drop them);
* ``ev`` — one row per issue and day with the rung at the end of that day (the latest event
  of the day by id), the same rule as the ``issue_stage`` view; ``stays`` turns it into
  intervals ``[since, until)`` on one rung (``until`` NULL: still there).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tracker.domain.enums import STAGE_LABELS, Stage

from ..database import Database

FAR_FUTURE = dt.date(9999, 12, 31)
LABELS = [STAGE_LABELS[s] for s in Stage]


@dataclass(frozen=True)
class Scope:
    """Which issues the overview looks at (empty tuple: no restriction)."""

    areas: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    lifecycles: tuple[str, ...] = ()

    @property
    def narrowed(self) -> bool:
        """True when a filter is set: consultations, positions and activities then count
        only through their links to the selected issues."""
        return any((self.areas, self.levels, self.owners, self.tags, self.lifecycles))


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join('?' for _ in values)})"


def scoped(scope: Scope, *extra: str) -> tuple[str, list[Any]]:
    """The ``WITH fi, ev, stays`` prefix for ``scope``, plus any extra CTEs, and its parameters."""
    where: list[str] = []
    params: list[Any] = []
    for column, values in (
        ("i.policy_area", scope.areas),
        ("i.level", scope.levels),
        ("i.owner", scope.owners),
        ("i.lifecycle", scope.lifecycles),
    ):
        if values:
            where.append(_in(column, values))
            params.extend(values)
    if scope.tags:
        where.append("list_has_any(i.tags, ?::VARCHAR[])")
        params.append(list(scope.tags))
    sql = (
        "WITH fi AS (SELECT i.id, i.title, i.policy_area, i.owner, i.lifecycle, i.member_relevance, "
        "i.archived_at::DATE AS archived_on FROM issues i"
        + (" WHERE " + " AND ".join(where) if where else "")
        # One row per issue and day: where it stood at the day's end, and where the day's first
        # event put it (an issue identified and moved on the same day started on the first).
        + "), ev AS (SELECT e.issue_id, e.event_date AS day, arg_max(e.to_stage, e.id) AS stage, "
        "arg_min(e.to_stage, e.id) AS first_stage "
        "FROM stage_events e WHERE e.issue_id IN (SELECT id FROM fi) GROUP BY e.issue_id, e.event_date), "
        "stays AS (SELECT issue_id, stage, day AS since, "
        "lead(day) OVER (PARTITION BY issue_id ORDER BY day) AS until FROM ev)"
    )
    for cte in extra:
        sql += ", " + cte
    return sql, params


# The consultations, joint positions and activities the scope reaches: all of them when no
# filter is set, else those linked to a selected issue.
CONS = (
    "cons AS (SELECT c.id, c.title, c.closes, c.response_status, c.type, "
    "c.id IN (SELECT ci.consultation_id FROM consultation_issues ci JOIN fi ON fi.id = ci.issue_id) AS linked "
    "FROM consultations c WHERE c.deleted_at IS NULL)"
)
JP_LINKED = "(SELECT jpi.joint_position_id FROM joint_position_issues jpi JOIN fi ON fi.id = jpi.issue_id)"
ACT_LINKED = "(SELECT ai.activity_id FROM activity_issues ai JOIN fi ON fi.id = ai.issue_id)"


def only_linked(scope: Scope, column: str, linked: str) -> str:
    """``column IN linked`` when a filter narrows the scope, else TRUE. Written into the SQL, not
    passed as a ``(NOT ? OR …)`` parameter: with a parameter DuckDB still builds the whole
    semi-join (all 200,000 activity links at scale L) only to ignore it."""
    return f"{column} IN {linked}" if scope.narrowed else "TRUE"


# An organisation merged into another counts as the one it was merged into.
ORG = (
    "orgs AS (SELECT o.id, coalesce(o.merged_into, o.id) AS org FROM organisations o), "
    "live_orgs AS (SELECT o.id, o.name, o.type FROM organisations o WHERE o.deleted_at IS NULL)"
)


# Every stage event with the rung it left (NULL: the issue's first event).
MOVES = (
    "mv AS (SELECT e.issue_id, e.event_date AS day, e.to_stage, "
    "lag(e.to_stage) OVER (PARTITION BY e.issue_id ORDER BY e.event_date, e.id) AS from_stage "
    "FROM stage_events e WHERE e.issue_id IN (SELECT id FROM fi))"
)


BOUNDS = "b AS (SELECT ?::DATE AS p_start, ?::DATE AS p_end)"
# Stays that ended within the period, or were still running at its end (counted to the
# period's end or the archive date, whichever comes first). Needs the ``b`` bounds CTE.
STAY_ROWS = (
    "st AS (SELECT s.issue_id, s.stage, s.since, "
    "least(coalesce(s.until, b.p_end), b.p_end, coalesce(fi.archived_on, b.p_end)) AS left_on, "
    "(s.until IS NULL OR s.until > b.p_end) AND (fi.archived_on IS NULL OR fi.archived_on > b.p_end) AS ongoing "
    "FROM stays s CROSS JOIN b JOIN fi ON fi.id = s.issue_id "
    "WHERE s.since <= b.p_end AND (fi.archived_on IS NULL OR s.since <= fi.archived_on))"
)


# Who signed what (agreed, dated up to ?), one row per position and organisation.
SIGNED = (
    "signed AS (SELECT DISTINCT s.joint_position_id AS jp, orgs.org FROM signatories s "
    "JOIN joint_positions j ON j.id = s.joint_position_id AND j.deleted_at IS NULL "
    "JOIN orgs ON orgs.id = s.organisation_id JOIN live_orgs lo ON lo.id = orgs.org "
    f"WHERE s.status = 'agreed' AND s.status_date <= ? AND (NOT ? OR j.id IN {JP_LINKED}))"
)


# Activities in [?, ?] with each linked issue's share of the effort (split evenly across the
# issues an activity is linked to) and that issue's rung on the activity's date.
ACT_ISSUE = (
    "act AS (SELECT a.id, a.activity_date, a.effort_days::DOUBLE AS effort, "
    "coalesce(nullif(trim(a.funding_source), ''), 'Not recorded') AS funding, a.is_influencing "
    "FROM activities a WHERE a.deleted_at IS NULL AND a.activity_date BETWEEN ? AND ?)",
    "links AS (SELECT x.activity_id, x.issue_id, count(*) OVER (PARTITION BY x.activity_id) AS n "
    "FROM activity_issues x WHERE x.activity_id IN (SELECT id FROM act))",
    "first_stage AS (SELECT issue_id, arg_min(stage, day) AS stage FROM ev GROUP BY issue_id)",
    "ai AS (SELECT a.id, a.activity_date, a.effort / l.n AS effort, a.funding, l.issue_id "
    "FROM act a JOIN links l ON l.activity_id = a.id JOIN fi ON fi.id = l.issue_id)",
    "rung AS (SELECT ai.id, ai.issue_id, ai.effort, ai.funding, coalesce(ev.stage, fs.stage) AS stage "
    "FROM ai ASOF LEFT JOIN ev ON ai.issue_id = ev.issue_id AND ai.activity_date >= ev.day "
    "LEFT JOIN first_stage fs ON fs.issue_id = ai.issue_id)",
)


def read(db: Database, scope: Scope, select: str, params: Sequence[Any] = (), ctes: Sequence[str] = ()) -> pd.DataFrame:
    """``select`` after the scope's ``WITH`` prefix and ``ctes``: the shape of every overview query.
    ``params`` are those of ``ctes`` and ``select``, in order, after the scope's own."""
    prefix, scope_params = scoped(scope, *ctes)
    return db.read_df(prefix + " " + select, [*scope_params, *params])


def filter_choices(db: Database) -> dict[str, list[Any]]:
    """Values the filters can take: areas, owners (username, display name), tags."""
    areas = [
        r[0]
        for r in db.read(
            "SELECT DISTINCT policy_area FROM issues WHERE policy_area IS NOT NULL UNION "
            "SELECT value FROM reference_values WHERE kind = 'policy_area' AND deleted_at IS NULL ORDER BY 1"
        )
    ]
    owners = [
        (r[0], r[1] or r[0])
        for r in db.read(
            "SELECT DISTINCT i.owner, u.display_name FROM issues i LEFT JOIN users u ON u.username = i.owner "
            "WHERE i.owner IS NOT NULL ORDER BY coalesce(u.display_name, i.owner)"
        )
    ]
    tags = [r[0] for r in db.read("SELECT DISTINCT unnest(tags) AS t FROM issues ORDER BY lower(t)")]
    return {"areas": areas, "owners": owners, "tags": tags}
