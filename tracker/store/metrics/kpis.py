"""The overview's KPI tiles: every tile's raw counts for several periods in one query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..database import Database
from .scope import ACT_LINKED, CONS, JP_LINKED, ORG, Scope, only_linked, read


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
    ctes = (
        f"p(name, p_start, p_end, anchor) AS (VALUES {values})",
        CONS,
        ORG,
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
        # Due soon counts only what is still to answer: a submitted or skipped one is done.
        "count(*) FILTER (WHERE c.closes BETWEEN p.anchor AND p.anchor + 30 AND (NOT ? OR c.linked) "
        "AND c.response_status NOT IN ('submitted', 'skipped')) AS due_30, "
        "count(*) FILTER (WHERE c.linked AND c.closes BETWEEN p.p_start AND p.p_end AND c.closes < ?::DATE "
        "AND c.response_status = 'submitted') AS submitted, "
        "count(*) FILTER (WHERE c.linked AND c.closes BETWEEN p.p_start AND p.p_end AND c.closes < ?::DATE "
        "AND c.response_status NOT IN ('submitted', 'skipped')) AS missed, "
        "count(*) FILTER (WHERE c.linked AND c.closes BETWEEN p.p_start AND p.p_end AND c.closes < ?::DATE "
        "AND c.response_status = 'skipped') AS skipped "
        "FROM p CROSS JOIN cons c GROUP BY p.name)",
        "pub AS (SELECT p.name, count(j.id) AS published FROM p LEFT JOIN joint_positions j "
        "ON j.deleted_at IS NULL AND j.status = 'published' AND j.published_on BETWEEN p.p_start AND p.p_end "
        f"AND {only_linked(scope, 'j.id', JP_LINKED)} GROUP BY p.name)",
        "active_orgs AS ("
        "SELECT p.name, orgs.org FROM p JOIN signatories s ON s.status = 'agreed' "
        "AND s.status_date BETWEEN p.p_start AND p.p_end "
        "JOIN joint_positions j ON j.id = s.joint_position_id AND j.deleted_at IS NULL "
        f"AND {only_linked(scope, 'j.id', JP_LINKED)} JOIN orgs ON orgs.id = s.organisation_id "
        "UNION "
        "SELECT p.name, orgs.org FROM p JOIN activities a ON a.deleted_at IS NULL "
        "AND a.activity_date BETWEEN p.p_start AND p.p_end "
        f"AND {only_linked(scope, 'a.id', ACT_LINKED)} "
        "JOIN activity_organisations ao ON ao.activity_id = a.id JOIN orgs ON orgs.id = ao.organisation_id)",
        "partners AS (SELECT ao.name, count(DISTINCT ao.org) AS active_partners FROM active_orgs ao "
        "JOIN live_orgs lo ON lo.id = ao.org GROUP BY ao.name)",
    )
    params: list[Any] = [x for period in periods for x in period]
    params += [scope.narrowed, today, today, today]
    select = (
        "SELECT p.name, coalesce(l.issues, 0) AS issues, coalesce(l.active, 0) AS active, "
        "coalesce(l.top_rungs, 0) AS top_rungs, coalesce(l.moved_up, 0) AS moved_up, "
        "coalesce(l.moved_down, 0) AS moved_down, coalesce(c.due_30, 0) AS due_30, "
        "coalesce(c.submitted, 0) AS submitted, coalesce(c.missed, 0) AS missed, coalesce(c.skipped, 0) AS skipped, "
        "coalesce(pub.published, 0) AS published, coalesce(pa.active_partners, 0) AS active_partners "
        "FROM p LEFT JOIN ladder l USING (name) LEFT JOIN cons_k c USING (name) LEFT JOIN pub USING (name) "
        "LEFT JOIN partners pa USING (name)"
    )
    return read(db, scope, select, params, ctes)
