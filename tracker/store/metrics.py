"""All aggregate SQL of the product: the overview's KPIs, charts and drill-downs.

Every query starts from the same two common table expressions:

* ``fi`` — the issues the filters select (archived ones included: history keeps them up to
  their archive date; "today" views drop them);
* ``ev`` — one row per issue and day with the rung at the end of that day (the latest event
  of the day by id), the same rule as the ``issue_stage`` view; ``stays`` turns it into
  intervals ``[since, until)`` on one rung (``until`` NULL: still there).

Only aggregates leave this module (plus capped issue lists for drill-downs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from tracker.domain.enums import STAGE_LABELS, Stage

from .database import Database

FAR_FUTURE = dt.date(9999, 12, 31)
DRILL_LIMIT = 500
_LABELS = [STAGE_LABELS[s] for s in Stage]


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


def _with(scope: Scope, *extra: str) -> tuple[str, list[Any]]:
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
_CONS = (
    "cons AS (SELECT c.id, c.title, c.closes, c.response_status, c.type, "
    "c.id IN (SELECT ci.consultation_id FROM consultation_issues ci JOIN fi ON fi.id = ci.issue_id) AS linked "
    "FROM consultations c WHERE c.deleted_at IS NULL)"
)
_JP_LINKED = "(SELECT jpi.joint_position_id FROM joint_position_issues jpi JOIN fi ON fi.id = jpi.issue_id)"
_ACT_LINKED = "(SELECT ai.activity_id FROM activity_issues ai JOIN fi ON fi.id = ai.issue_id)"


def _only_linked(scope: Scope, column: str, linked: str) -> str:
    """``column IN linked`` when a filter narrows the scope, else TRUE. Written into the SQL, not
    passed as a ``(NOT ? OR …)`` parameter: with a parameter DuckDB still builds the whole
    semi-join (all 200,000 activity links at scale L) only to ignore it."""
    return f"{column} IN {linked}" if scope.narrowed else "TRUE"


# An organisation merged into another counts as the one it was merged into.
_ORG = (
    "orgs AS (SELECT o.id, coalesce(o.merged_into, o.id) AS org FROM organisations o), "
    "live_orgs AS (SELECT o.id, o.name, o.type FROM organisations o WHERE o.deleted_at IS NULL)"
)


# ------------------------------------------------------------------ KPI tiles


def kpis(
    db: Database,
    scope: Scope,
    periods: Sequence[tuple[str, dt.date, dt.date, dt.date]],
    today: dt.date,
) -> pd.DataFrame:
    """One row per ``(name, start, end, anchor)`` period with every KPI's raw counts.

    ``anchor`` is the day "due in the next 30 days" is measured from (today for the current
    period). Columns: name, issues, active, top_rungs, moved_up, moved_down, due_30,
    submitted, missed, skipped, published, active_partners.
    """
    values = ", ".join("(?, ?::DATE, ?::DATE, ?::DATE)" for _ in periods)
    prefix, params = _with(
        scope,
        f"p(name, p_start, p_end, anchor) AS (VALUES {values})",
        _CONS,
        _ORG,
        # Each issue's rung at the period's end (or its archive date, if earlier), just before
        # the period, and when first recorded (issues identified during the period start there).
        "ends AS (SELECT p.name, ev.issue_id, arg_max(ev.stage, ev.day) AS s_end, "
        "arg_max(ev.stage, ev.day) FILTER (WHERE ev.day < p.p_start) AS s_before, "
        "arg_min(ev.first_stage, ev.day) AS s_first, any_value(fi.lifecycle) AS lifecycle, "
        "any_value(fi.archived_on) AS archived_on, any_value(p.p_end) AS p_end "
        "FROM p JOIN ev ON ev.day <= p.p_end JOIN fi ON fi.id = ev.issue_id "
        "WHERE fi.archived_on IS NULL OR (fi.archived_on >= p.p_start AND ev.day <= fi.archived_on) "
        "GROUP BY p.name, ev.issue_id)",
        "ladder AS (SELECT name, count(*) FILTER (WHERE archived_on IS NULL OR archived_on > p_end) AS issues, "
        "count(*) FILTER (WHERE lifecycle = 'active' AND (archived_on IS NULL OR archived_on > p_end)) AS active, "
        "count(*) FILTER (WHERE lifecycle = 'active' AND (archived_on IS NULL OR archived_on > p_end) "
        "AND s_end >= 4) AS top_rungs, "
        "count(*) FILTER (WHERE s_end > coalesce(s_before, s_first)) AS moved_up, "
        "count(*) FILTER (WHERE s_end < coalesce(s_before, s_first)) AS moved_down FROM ends GROUP BY name)",
        "cons_k AS (SELECT p.name, "
        "count(*) FILTER (WHERE c.closes BETWEEN p.anchor AND p.anchor + 30 AND (NOT ? OR c.linked)) AS due_30, "
        "count(*) FILTER (WHERE c.linked AND c.closes BETWEEN p.p_start AND p.p_end AND c.closes < ?::DATE "
        "AND c.response_status = 'submitted') AS submitted, "
        "count(*) FILTER (WHERE c.linked AND c.closes BETWEEN p.p_start AND p.p_end AND c.closes < ?::DATE "
        "AND c.response_status NOT IN ('submitted', 'skipped')) AS missed, "
        "count(*) FILTER (WHERE c.linked AND c.closes BETWEEN p.p_start AND p.p_end AND c.closes < ?::DATE "
        "AND c.response_status = 'skipped') AS skipped "
        "FROM p CROSS JOIN cons c GROUP BY p.name)",
        "pub AS (SELECT p.name, count(j.id) AS published FROM p LEFT JOIN joint_positions j "
        "ON j.deleted_at IS NULL AND j.status = 'published' AND j.published_on BETWEEN p.p_start AND p.p_end "
        f"AND {_only_linked(scope, 'j.id', _JP_LINKED)} GROUP BY p.name)",
        "active_orgs AS ("
        "SELECT p.name, orgs.org FROM p JOIN signatories s ON s.status = 'agreed' "
        "AND s.status_date BETWEEN p.p_start AND p.p_end "
        "JOIN joint_positions j ON j.id = s.joint_position_id AND j.deleted_at IS NULL "
        f"AND {_only_linked(scope, 'j.id', _JP_LINKED)} JOIN orgs ON orgs.id = s.organisation_id "
        "UNION "
        "SELECT p.name, orgs.org FROM p JOIN activities a ON a.deleted_at IS NULL "
        "AND a.activity_date BETWEEN p.p_start AND p.p_end "
        f"AND {_only_linked(scope, 'a.id', _ACT_LINKED)} "
        "JOIN activity_organisations ao ON ao.activity_id = a.id JOIN orgs ON orgs.id = ao.organisation_id)",
        "partners AS (SELECT ao.name, count(DISTINCT ao.org) AS active_partners FROM active_orgs ao "
        "JOIN live_orgs lo ON lo.id = ao.org GROUP BY ao.name)",
    )
    for name, start, end, anchor in periods:
        params += [name, start, end, anchor]
    params += [scope.narrowed, today, today, today]
    sql = (
        prefix + " SELECT p.name, coalesce(l.issues, 0) AS issues, coalesce(l.active, 0) AS active, "
        "coalesce(l.top_rungs, 0) AS top_rungs, coalesce(l.moved_up, 0) AS moved_up, "
        "coalesce(l.moved_down, 0) AS moved_down, coalesce(c.due_30, 0) AS due_30, "
        "coalesce(c.submitted, 0) AS submitted, coalesce(c.missed, 0) AS missed, coalesce(c.skipped, 0) AS skipped, "
        "coalesce(pub.published, 0) AS published, coalesce(pa.active_partners, 0) AS active_partners "
        "FROM p LEFT JOIN ladder l USING (name) LEFT JOIN cons_k c USING (name) LEFT JOIN pub USING (name) "
        "LEFT JOIN partners pa USING (name)"
    )
    return db.read_df(sql, params)


# ------------------------------------------------------------------ the ladder


def ladder_today(db: Database, scope: Scope) -> pd.DataFrame:
    """Issues per current rung (archived issues left out): stage, issues."""
    prefix, params = _with(scope)
    sql = (
        prefix + " SELECT s.stage, count(*) AS issues FROM fi JOIN issue_stage s ON s.issue_id = fi.id "
        "WHERE fi.archived_on IS NULL GROUP BY s.stage ORDER BY s.stage"
    )
    return db.read_df(sql, params)


def progression(db: Database, scope: Scope, points: Sequence[dt.date]) -> pd.DataFrame:
    """Issues on each rung at each of ``points`` (month ends), replayed from the events.

    An issue counts from its first event until its archive date. Columns: at, stage, issues.
    """
    prefix, params = _with(scope, "pts AS (SELECT unnest(?::DATE[]) AS at)")
    params.append(list(points))
    sql = (
        prefix + " SELECT pts.at, s.stage, count(*) AS issues FROM pts JOIN stays s "
        "ON s.since <= pts.at AND coalesce(s.until, ?::DATE) > pts.at "
        "JOIN fi ON fi.id = s.issue_id WHERE fi.archived_on IS NULL OR fi.archived_on > pts.at "
        "GROUP BY pts.at, s.stage ORDER BY pts.at, s.stage"
    )
    return db.read_df(sql, [*params, FAR_FUTURE])


_MOVES = (
    "mv AS (SELECT e.issue_id, e.event_date AS day, e.to_stage, "
    "lag(e.to_stage) OVER (PARTITION BY e.issue_id ORDER BY e.event_date, e.id) AS from_stage "
    "FROM stage_events e WHERE e.issue_id IN (SELECT id FROM fi))"
)


def moves_by_month(db: Database, scope: Scope, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Stage moves up and down recorded per month between ``start`` and ``end``: month, up, down."""
    prefix, params = _with(scope, _MOVES)
    sql = (
        prefix + " SELECT date_trunc('month', mv.day)::DATE AS month, "
        "count(*) FILTER (WHERE mv.to_stage > mv.from_stage) AS up, "
        "count(*) FILTER (WHERE mv.to_stage < mv.from_stage) AS down "
        "FROM mv JOIN fi ON fi.id = mv.issue_id WHERE mv.from_stage IS NOT NULL AND mv.to_stage <> mv.from_stage "
        "AND mv.day BETWEEN ? AND ? AND (fi.archived_on IS NULL OR mv.day <= fi.archived_on) "
        "GROUP BY 1 ORDER BY 1"
    )
    return db.read_df(sql, [*params, start, end])


def transitions(db: Database, scope: Scope, start: dt.date, end: dt.date) -> pd.DataFrame:
    """From → to rung moves between ``start`` and ``end``: from_stage, to_stage, moves, issues."""
    prefix, params = _with(scope, _MOVES)
    sql = (
        prefix + " SELECT mv.from_stage, mv.to_stage, count(*) AS moves, count(DISTINCT mv.issue_id) AS issues "
        "FROM mv JOIN fi ON fi.id = mv.issue_id WHERE mv.from_stage IS NOT NULL AND mv.to_stage <> mv.from_stage "
        "AND mv.day BETWEEN ? AND ? AND (fi.archived_on IS NULL OR mv.day <= fi.archived_on) "
        "GROUP BY 1, 2 ORDER BY moves DESC, 1, 2"
    )
    return db.read_df(sql, [*params, start, end])


_BOUNDS = "b AS (SELECT ?::DATE AS p_start, ?::DATE AS p_end)"
# Stays that ended within the period, or were still running at its end (counted to the
# period's end or the archive date, whichever comes first). Needs the ``b`` bounds CTE.
_STAY_ROWS = (
    "st AS (SELECT s.issue_id, s.stage, s.since, "
    "least(coalesce(s.until, b.p_end), b.p_end, coalesce(fi.archived_on, b.p_end)) AS left_on, "
    "(s.until IS NULL OR s.until > b.p_end) AND (fi.archived_on IS NULL OR fi.archived_on > b.p_end) AS ongoing "
    "FROM stays s CROSS JOIN b JOIN fi ON fi.id = s.issue_id "
    "WHERE s.since <= b.p_end AND (fi.archived_on IS NULL OR s.since <= fi.archived_on))"
)


def time_on_rung(db: Database, scope: Scope, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Days spent per stay on each rung, for stays that ended in the period or were still
    running at its end. Columns: stage, stays, ongoing, p10, p25, median, p75, p90."""
    prefix, params = _with(scope, _BOUNDS, _STAY_ROWS)
    params += [start, end]
    sql = (
        prefix + " SELECT stage, count(*) AS stays, count(*) FILTER (WHERE ongoing) AS ongoing, "
        "quantile_cont(d, 0.1) AS p10, quantile_cont(d, 0.25) AS p25, quantile_cont(d, 0.5) AS median, "
        "quantile_cont(d, 0.75) AS p75, quantile_cont(d, 0.9) AS p90 "
        "FROM (SELECT st.stage, st.ongoing, date_diff('day', st.since, st.left_on) AS d FROM st CROSS JOIN b "
        "WHERE st.ongoing OR st.left_on >= b.p_start) GROUP BY stage ORDER BY stage"
    )
    return db.read_df(sql, params)


def relevance_matrix(db: Database, scope: Scope) -> pd.DataFrame:
    """Current issues by member relevance (1–5) and rung: relevance, stage, issues."""
    prefix, params = _with(scope)
    sql = (
        prefix + " SELECT fi.member_relevance AS relevance, s.stage, count(*) AS issues FROM fi "
        "JOIN issue_stage s ON s.issue_id = fi.id WHERE fi.archived_on IS NULL GROUP BY 1, 2 ORDER BY 1, 2"
    )
    return db.read_df(sql, params)


# ------------------------------------------------------------------ consultations


def deadlines_by_week(db: Database, scope: Scope, today: dt.date, until: dt.date) -> pd.DataFrame:
    """Consultations closing between today and ``until``, per week (Monday) and response
    status: week, response_status, consultations."""
    prefix, params = _with(scope, _CONS)
    sql = (
        prefix + " SELECT date_trunc('week', c.closes)::DATE AS week, c.response_status, count(*) AS consultations "
        "FROM cons c WHERE c.closes BETWEEN ? AND ? AND (NOT ? OR c.linked) GROUP BY 1, 2 ORDER BY 1, 2"
    )
    return db.read_df(sql, [*params, today, until, scope.narrowed])


def upcoming_deadlines(db: Database, scope: Scope, today: dt.date, limit: int = 15) -> pd.DataFrame:
    """The next consultations to close: id, title, closes, type, response_status, issues."""
    prefix, params = _with(scope, _CONS)
    sql = (
        prefix + " SELECT c.id, c.title, c.closes, c.type, c.response_status, "
        "(SELECT string_agg(i.title, '; ' ORDER BY i.id) FROM consultation_issues ci JOIN issues i "
        "ON i.id = ci.issue_id WHERE ci.consultation_id = c.id) AS issues "
        "FROM cons c WHERE c.closes >= ? AND (NOT ? OR c.linked) ORDER BY c.closes, c.id LIMIT ?"
    )
    return db.read_df(sql, [*params, today, scope.narrowed, limit])


_RESPONSE_GROUPS = {
    "year": ("year(c.closes)", ""),
    "area": (
        "coalesce(fi.policy_area, 'No policy area')",
        " JOIN consultation_issues ci ON ci.consultation_id = c.id JOIN fi ON fi.id = ci.issue_id",
    ),
}


def response_counts(
    db: Database, scope: Scope, by: str, start: dt.date | None, end: dt.date, today: dt.date
) -> pd.DataFrame:
    """Closed consultations linked to the selected issues (closing between ``start`` and
    ``end``, before today), per closing year or per policy area of the linked issue (one
    consultation linked to issues of two areas counts in both): key, submitted, missed, skipped."""
    key, join = _RESPONSE_GROUPS[by]  # an allow-list: ``by`` never reaches the SQL itself
    prefix, params = _with(scope, _CONS)
    sql = (
        prefix + f" SELECT {key} AS key, "
        "count(DISTINCT c.id) FILTER (WHERE c.response_status = 'submitted') AS submitted, "
        "count(DISTINCT c.id) FILTER (WHERE c.response_status NOT IN ('submitted', 'skipped')) AS missed, "
        "count(DISTINCT c.id) FILTER (WHERE c.response_status = 'skipped') AS skipped "
        f"FROM cons c{join} WHERE c.linked AND c.closes >= ? AND c.closes <= ? AND c.closes < ? "
        "GROUP BY 1 ORDER BY 1"
    )
    return db.read_df(sql, [*params, start or dt.date.min, end, today])


def response_by_year(db: Database, scope: Scope, until: dt.date, today: dt.date) -> pd.DataFrame:
    """Closed consultations linked to the selected issues, per closing year:
    year, submitted, missed, skipped."""
    return response_counts(db, scope, "year", None, until, today).rename(columns={"key": "year"})


# ------------------------------------------------------------------ partners


# Who signed what (agreed, dated up to ?), one row per position and organisation.
_SIGNED = (
    "signed AS (SELECT DISTINCT s.joint_position_id AS jp, orgs.org FROM signatories s "
    "JOIN joint_positions j ON j.id = s.joint_position_id AND j.deleted_at IS NULL "
    "JOIN orgs ON orgs.id = s.organisation_id JOIN live_orgs lo ON lo.id = orgs.org "
    f"WHERE s.status = 'agreed' AND s.status_date <= ? AND (NOT ? OR j.id IN {_JP_LINKED}))"
)


def partner_network(db: Database, scope: Scope, end: dt.date, cap: int) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """The co-signing network up to ``end``: the ``cap`` organisations with the most
    co-signatures (nodes: org_id, name, type, positions, cosigned, cosignatures), the pairs
    among them (edges: a, b, positions) and how many organisations co-signed at all."""
    prefix, params = _with(
        scope,
        _ORG,
        _SIGNED,
        "pairs AS (SELECT x.org AS a, y.org AS b, count(*) AS positions FROM signed x JOIN signed y "
        "ON x.jp = y.jp AND x.org < y.org GROUP BY 1, 2)",
        # Per organisation: positions co-signed with someone, and co-signatures (one per other
        # signer of each position), which ranks the partners.
        "deg AS (SELECT x.org, count(DISTINCT x.jp) AS cosigned, count(*) AS cosignatures "
        "FROM signed x JOIN signed y ON y.jp = x.jp AND y.org <> x.org GROUP BY x.org)",
    )
    params += [end, scope.narrowed]
    nodes = db.read_df(
        prefix + " SELECT d.org AS org_id, lo.name, lo.type, "
        "(SELECT count(*) FROM signed s WHERE s.org = d.org) AS positions, d.cosigned, d.cosignatures "
        "FROM deg d JOIN live_orgs lo ON lo.id = d.org "
        "ORDER BY d.cosignatures DESC, d.cosigned DESC, lo.name, d.org",
        params,
    )
    total = len(nodes)
    nodes = nodes.head(cap).reset_index(drop=True)
    keep = [int(x) for x in nodes["org_id"]]
    edges = db.read_df(
        prefix + " SELECT a, b, positions FROM pairs WHERE list_contains(?::BIGINT[], a) "
        "AND list_contains(?::BIGINT[], b) ORDER BY positions DESC, a, b",
        [*params, keep, keep],
    )
    return nodes, edges, total


def top_pairs(db: Database, scope: Scope, end: dt.date, limit: int | None = 10) -> pd.DataFrame:
    """The organisation pairs that co-signed most positions (agreed signatures dated up to
    ``end``): a_id, a, b_id, b, positions."""
    prefix, params = _with(scope, _ORG, _SIGNED)
    sql = (
        prefix + " SELECT x.org AS a_id, any_value(la.name) AS a, y.org AS b_id, any_value(lb.name) AS b, "
        "count(*) AS positions FROM signed x JOIN signed y "
        "ON x.jp = y.jp AND x.org < y.org JOIN live_orgs la ON la.id = x.org JOIN live_orgs lb ON lb.id = y.org "
        "GROUP BY x.org, y.org ORDER BY positions DESC, a, b, a_id, b_id LIMIT ?"
    )
    return db.read_df(sql, [*params, end, scope.narrowed, limit if limit is not None else 2**62])


# ------------------------------------------------------------------ effort and activities

# Activities in [?, ?] with each linked issue's share of the effort (split evenly across the
# issues an activity is linked to) and that issue's rung on the activity's date.
_ACT_ISSUE = (
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


def effort(db: Database, scope: Scope, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Person-days in the period by funding source and rung (of the linked issue on the
    activity's date; NULL: not linked to any issue, shown only without filters).
    Columns: funding, stage, person_days, activities."""
    prefix, params = _with(scope, *_ACT_ISSUE)
    params += [start, end]
    sql = (
        prefix + " SELECT funding, stage, sum(effort) AS person_days, count(DISTINCT id) AS activities FROM rung "
        "GROUP BY 1, 2 UNION ALL "
        "SELECT funding, NULL, sum(effort), count(*) FROM act WHERE ? AND id NOT IN (SELECT activity_id FROM links) "
        "GROUP BY 1 ORDER BY 1, 2 NULLS LAST"
    )
    return db.read_df(sql, [*params, not scope.narrowed])


def activities_by_month(db: Database, scope: Scope, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Activities per month, awareness vs influencing: month, influencing, activities, person_days."""
    prefix, params = _with(scope)
    sql = (
        prefix + " SELECT date_trunc('month', a.activity_date)::DATE AS month, a.is_influencing AS influencing, "
        "count(*) AS activities, sum(a.effort_days)::DOUBLE AS person_days FROM activities a "
        f"WHERE a.deleted_at IS NULL AND a.activity_date BETWEEN ? AND ? AND {_only_linked(scope, 'a.id', _ACT_LINKED)} "
        "GROUP BY 1, 2 ORDER BY 1, 2"
    )
    return db.read_df(sql, [*params, start, end])


# ------------------------------------------------------------------ drill-downs

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
        ctes = (_MOVES,)
        cond = "mv.to_stage > mv.from_stage" if args[1] == "up" else "mv.to_stage < mv.from_stage"
        inner = _MOVE_DETAIL.format(where=f"{cond} AND date_trunc('month', mv.day) = ?::DATE")
        p = [_LABELS, _LABELS, args[0], start, end]
    elif kind == "transition":
        ctes = (_MOVES,)
        inner = _MOVE_DETAIL.format(where="mv.from_stage = ? AND mv.to_stage = ?")
        p = [_LABELS, _LABELS, args[0], args[1], start, end]
    elif kind == "stay":
        ctes, cte_params = (_BOUNDS, _STAY_ROWS), [start, end]
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
        ctes = (_CONS,)
        inner = _CONS_DETAIL.format(where="date_trunc('week', c.closes) = ?::DATE AND c.closes >= ?")
        p = [args[0], today]
    elif kind == "response_year":
        ctes = (_CONS,)
        outcome = _OUTCOME.get(str(args[1]) if len(args) > 1 else "", "TRUE")
        inner = _CONS_DETAIL.format(
            where=f"c.linked AND year(c.closes) = ? AND c.closes <= ? AND c.closes < ? AND {outcome}"
        )
        p = [args[0], end, today]
    elif kind == "partner":
        ctes, cte_params = (_ORG, _SIGNED), [end, scope.narrowed]
        inner = (
            "SELECT jpi.issue_id, string_agg(DISTINCT j.title, '; ') AS detail, 0 AS k FROM signed "
            "JOIN joint_positions j ON j.id = signed.jp JOIN joint_position_issues jpi ON jpi.joint_position_id = j.id "
            "JOIN fi ON fi.id = jpi.issue_id WHERE signed.org = ? GROUP BY jpi.issue_id"
        )
        p = [args[0]]
    elif kind == "effort":
        ctes, cte_params = _ACT_ISSUE, [start, end]
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
    prefix, params = _with(scope, *ctes, f"d AS ({inner})")
    sql = (
        prefix + f" SELECT {_ISSUE_COLS}, d.detail FROM d JOIN issues i ON i.id = d.issue_id "
        "LEFT JOIN issue_stage s ON s.issue_id = i.id ORDER BY d.k, i.title, i.id LIMIT ?"
    )
    return db.read_df(sql, [*params, *cte_params, *p, DRILL_LIMIT + 1])


# ------------------------------------------------------------------ filter choices


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
