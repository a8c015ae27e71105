"""The rest of the portfolio's charts: consultation deadlines and responses, the partners who
co-sign, and the effort spent in activities."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..database import Database
from .scope import ACT_ISSUE, ACT_LINKED, CONS, ORG, SIGNED, Scope, only_linked, read, scoped

# ------------------------------------------------------------------ consultations


def deadlines_by_week(db: Database, scope: Scope, today: dt.date, until: dt.date) -> pd.DataFrame:
    """Consultations closing between today and ``until``, per week (Monday) and response
    status: week, response_status, consultations."""
    return read(
        db,
        scope,
        "SELECT date_trunc('week', c.closes)::DATE AS week, c.response_status, count(*) AS consultations "
        "FROM cons c WHERE c.closes BETWEEN ? AND ? AND (NOT ? OR c.linked) GROUP BY 1, 2 ORDER BY 1, 2",
        [today, until, scope.narrowed],
        [CONS],
    )


def upcoming_deadlines(db: Database, scope: Scope, today: dt.date, limit: int = 15) -> pd.DataFrame:
    """The next consultations to close: id, title, closes, type, response_status, issues."""
    return read(
        db,
        scope,
        "SELECT c.id, c.title, c.closes, c.type, c.response_status, "
        "(SELECT string_agg(i.title, '; ' ORDER BY i.id) FROM consultation_issues ci JOIN issues i "
        "ON i.id = ci.issue_id WHERE ci.consultation_id = c.id) AS issues "
        "FROM cons c WHERE c.closes >= ? AND (NOT ? OR c.linked) ORDER BY c.closes, c.id LIMIT ?",
        [today, scope.narrowed, limit],
        [CONS],
    )


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
    return read(
        db,
        scope,
        f"SELECT {key} AS key, "
        "count(DISTINCT c.id) FILTER (WHERE c.response_status = 'submitted') AS submitted, "
        "count(DISTINCT c.id) FILTER (WHERE c.response_status NOT IN ('submitted', 'skipped')) AS missed, "
        "count(DISTINCT c.id) FILTER (WHERE c.response_status = 'skipped') AS skipped "
        f"FROM cons c{join} WHERE c.linked AND c.closes >= ? AND c.closes <= ? AND c.closes < ? "
        "GROUP BY 1 ORDER BY 1",
        [start or dt.date.min, end, today],
        [CONS],
    )


def response_by_year(db: Database, scope: Scope, until: dt.date, today: dt.date) -> pd.DataFrame:
    """Closed consultations linked to the selected issues, per closing year:
    year, submitted, missed, skipped."""
    return response_counts(db, scope, "year", None, until, today).rename(columns={"key": "year"})


# ------------------------------------------------------------------ partners


def partner_network(db: Database, scope: Scope, end: dt.date, cap: int) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """The co-signing network up to ``end``: the ``cap`` organisations with the most
    co-signatures (nodes: org_id, name, type, positions, cosigned, cosignatures), the pairs
    among them (edges: a, b, positions) and how many organisations co-signed at all."""
    prefix, params = scoped(
        scope,
        ORG,
        SIGNED,
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
    return read(
        db,
        scope,
        "SELECT x.org AS a_id, any_value(la.name) AS a, y.org AS b_id, any_value(lb.name) AS b, "
        "count(*) AS positions FROM signed x JOIN signed y "
        "ON x.jp = y.jp AND x.org < y.org JOIN live_orgs la ON la.id = x.org JOIN live_orgs lb ON lb.id = y.org "
        "GROUP BY x.org, y.org ORDER BY positions DESC, a, b, a_id, b_id LIMIT ?",
        [end, scope.narrowed, limit if limit is not None else 2**62],
        [ORG, SIGNED],
    )


# ------------------------------------------------------------------ effort and activities


def effort(db: Database, scope: Scope, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Person-days in the period by funding source and rung (of the linked issue on the
    activity's date; NULL: not linked to any issue, shown only without filters).
    Columns: funding, stage, person_days, activities."""
    return read(
        db,
        scope,
        "SELECT funding, stage, sum(effort) AS person_days, count(DISTINCT id) AS activities FROM rung "
        "GROUP BY 1, 2 UNION ALL "
        "SELECT funding, NULL, sum(effort), count(*) FROM act WHERE ? AND id NOT IN (SELECT activity_id FROM links) "
        "GROUP BY 1 ORDER BY 1, 2 NULLS LAST",
        [start, end, not scope.narrowed],
        ACT_ISSUE,
    )


def activities_by_month(db: Database, scope: Scope, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Activities per month, awareness vs influencing: month, influencing, activities, person_days."""
    return read(
        db,
        scope,
        "SELECT date_trunc('month', a.activity_date)::DATE AS month, a.is_influencing AS influencing, "
        "count(*) AS activities, sum(a.effort_days)::DOUBLE AS person_days FROM activities a "
        f"WHERE a.deleted_at IS NULL AND a.activity_date BETWEEN ? AND ? AND {only_linked(scope, 'a.id', ACT_LINKED)} "
        "GROUP BY 1, 2 ORDER BY 1, 2",
        [start, end],
    )
