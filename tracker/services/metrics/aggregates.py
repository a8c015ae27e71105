"""The whole Overview, its first screen (the headline), and the aggregates other pages and the board report read."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from tracker.domain import clock
from tracker.store import Database
from tracker.store import metrics as store
from tracker.store.metrics import Scope

from .kpis import Kpi, build_kpis
from .periods import DEADLINE_WEEKS, NETWORK_CAP, Filters

# ------------------------------------------------------------------ the whole overview


@dataclass
class Overview:
    """Every aggregate the overview shows, for one set of filters."""

    filters: Filters
    today: dt.date
    kpis: list[Kpi]
    ladder: pd.DataFrame
    progression: pd.DataFrame
    moves: pd.DataFrame
    transitions: pd.DataFrame
    time_on_rung: pd.DataFrame
    relevance: pd.DataFrame
    deadlines: pd.DataFrame
    deadline_until: dt.date
    upcoming: pd.DataFrame
    response_years: pd.DataFrame
    response_areas: pd.DataFrame  # key (policy area), submitted, missed, skipped, rate — for the period
    network_nodes: pd.DataFrame
    network_edges: pd.DataFrame
    network_total: int
    top_pairs: pd.DataFrame
    effort: pd.DataFrame
    activity_months: pd.DataFrame
    network_cap: int = NETWORK_CAP
    # Identifies this computation, so derived objects (figures) can be cached alongside it.
    token: str = field(default_factory=lambda: uuid.uuid4().hex)


@dataclass
class Headline:
    """What the overview shows first (the tiles and "Where we stand"): three queries, so the page
    is drawn before the other sections' aggregates are computed."""

    filters: Filters
    today: dt.date
    kpis: list[Kpi]
    ladder: pd.DataFrame
    relevance: pd.DataFrame


def _kpis_for(db: Database, filters: Filters, today: dt.date) -> list[Kpi]:
    p, scope = filters.period, filters.scope
    shift = today - p.end  # "due" is measured from today; the comparison from as far before
    k = store.kpis(
        db,
        scope,
        [("cur", p.start, p.end, today), ("prev", p.prev_start, p.prev_end, p.prev_end + shift)],
        today,
    )
    rows = {r["name"]: r for r in k.to_dict("records")}
    return build_kpis(rows["cur"], rows["prev"])


def headline(db: Database, filters: Filters, today: dt.date | None = None) -> Headline:
    """The KPI tiles, the ladder today and the relevance matrix (as :func:`overview` has them)."""
    today = today or clock.today()
    scope = filters.scope
    return Headline(
        filters=filters,
        today=today,
        kpis=_kpis_for(db, filters, today),
        ladder=store.ladder_today(db, scope),
        relevance=store.relevance_matrix(db, scope),
    )


def overview(db: Database, filters: Filters, today: dt.date | None = None) -> Overview:
    """All the overview's aggregates: a fixed number of set-wise queries, whatever the data size."""
    today = today or clock.today()
    p, scope = filters.period, filters.scope
    nodes, edges, total = store.partner_network(db, scope, p.end, NETWORK_CAP)
    until = today + dt.timedelta(weeks=DEADLINE_WEEKS) - dt.timedelta(days=1)
    return Overview(
        filters=filters,
        today=today,
        kpis=_kpis_for(db, filters, today),
        ladder=store.ladder_today(db, scope),
        progression=store.progression(db, scope, p.month_points()),
        moves=store.moves_by_month(db, scope, p.start, p.end),
        transitions=store.transitions(db, scope, p.start, p.end),
        time_on_rung=store.time_on_rung(db, scope, p.start, p.end),
        relevance=store.relevance_matrix(db, scope),
        deadlines=store.deadlines_by_week(db, scope, today, until),
        deadline_until=until,
        upcoming=store.upcoming_deadlines(db, scope, today),
        response_years=store.response_by_year(db, scope, p.end, today),
        response_areas=response_rates(db, by="area", scope=scope, start=p.start, end=p.end, today=today),
        network_nodes=nodes,
        network_edges=edges,
        network_total=total,
        top_pairs=store.top_pairs(db, scope, p.end),
        effort=store.effort(db, scope, p.start, p.end),
        activity_months=store.activities_by_month(db, scope, p.history_start, p.end),
    )


# ------------------------------------------------------------------ aggregates for other pages
#
# Every page that needs a count across many rows asks here, so each definition lives once.


def response_rates(
    db: Database,
    *,
    by: Literal["year", "area"],
    scope: Scope | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Response rate of consultations linked to our issues (those of ``scope``) that closed
    between ``start`` (default: ever) and ``end`` (default: today), before today; per closing
    year or per policy area of the linked issue.

    Columns: key (year or area), submitted, missed, skipped, rate. Missed: closed and neither
    submitted nor skipped. Rate: submitted ÷ (submitted + missed), None when both are zero;
    skipped ones are counted apart and left out of the rate.
    """
    if by not in ("year", "area"):
        raise ValueError("by must be 'year' or 'area'")
    today = today or clock.today()
    df = store.response_counts(db, scope or Scope(), by, start, end or today, today)
    denominator = df["submitted"] + df["missed"]
    rates = [int(s) / int(d) if int(d) else None for s, d in zip(df["submitted"], denominator, strict=True)]
    df["rate"] = pd.Series(rates, index=df.index, dtype=object)  # None, not NaN: "no rate" is not a number
    return df


def cosigning_pairs(
    db: Database, *, scope: Scope | None = None, until: dt.date | None = None, limit: int | None = 10
) -> pd.DataFrame:
    """Organisation pairs and how many joint positions both signed (signatories with status
    agreed, dated up to ``until``; merged organisations count as the one they were merged
    into; deleted positions and organisations left out). Columns: a_id, a, b_id, b, positions."""
    return store.top_pairs(db, scope or Scope(), until or clock.today(), limit)


def cosigning_network(
    db: Database, *, scope: Scope | None = None, until: dt.date | None = None, cap: int = NETWORK_CAP
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """The ``cap`` organisations with most co-signatures (nodes), the pairs among them (edges)
    and how many organisations co-signed at all; see :func:`tracker.store.metrics.partner_network`."""
    return store.partner_network(db, scope or Scope(), until or clock.today(), cap)


def activities_per_month(db: Database, *, start: dt.date, end: dt.date, scope: Scope | None = None) -> pd.DataFrame:
    """Activities per month, awareness vs influencing: month, influencing, activities, person_days."""
    return store.activities_by_month(db, scope or Scope(), start, end)


def effort_by_rung_and_funding(
    db: Database, *, start: dt.date, end: dt.date, scope: Scope | None = None
) -> pd.DataFrame:
    """Person-days between ``start`` and ``end`` by funding source and by the rung the linked
    issue stood on at the activity's date (reconstructed from the stage events); an activity
    linked to several issues is split evenly between them; stage NULL: linked to no issue.
    Columns: funding, stage, person_days, activities. Sum over one column for either split."""
    return store.effort(db, scope or Scope(), start, end)
