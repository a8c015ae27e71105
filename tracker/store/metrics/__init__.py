"""All aggregate SQL of the product: the overview's KPIs, charts and drill-downs.

Only aggregates leave this package (plus capped issue lists for drill-downs). Every query is the
scope's ``WITH`` prefix (:mod:`.scope`) and one ``SELECT``; the queries live in :mod:`.kpis`,
:mod:`.ladder`, :mod:`.portfolio` and :mod:`.drill`.
"""

from __future__ import annotations

from .drill import DRILL_LIMIT, drill
from .kpis import kpis
from .ladder import ladder_today, moves_by_month, progression, relevance_matrix, time_on_rung, transitions
from .portfolio import (
    activities_by_month,
    deadlines_by_week,
    effort,
    partner_network,
    response_by_year,
    response_counts,
    top_pairs,
    upcoming_deadlines,
)
from .scope import FAR_FUTURE, Scope, filter_choices

__all__ = [
    "DRILL_LIMIT",
    "FAR_FUTURE",
    "Scope",
    "activities_by_month",
    "deadlines_by_week",
    "drill",
    "effort",
    "filter_choices",
    "kpis",
    "ladder_today",
    "moves_by_month",
    "partner_network",
    "progression",
    "relevance_matrix",
    "response_by_year",
    "response_counts",
    "time_on_rung",
    "top_pairs",
    "transitions",
    "upcoming_deadlines",
]
