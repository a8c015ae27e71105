"""Aggregate metrics: the overview's filters, periods, KPIs, chart data and drill-downs.

Everything here is a read over data every signed-in user may see (the lowest role, viewer,
opens the Overview), so these functions take no actor; the page frame has already checked
the session. All counting happens in SQL (``tracker.store.metrics``); this package picks the
periods (``periods``), names the KPIs (``kpis``), assembles the Overview and the aggregates
other pages read (``aggregates``) and turns selections into issue lists (``drill``).
"""

from __future__ import annotations

from tracker.store.metrics import DRILL_LIMIT, Scope

from .aggregates import (
    Headline,
    Overview,
    activities_per_month,
    cosigning_network,
    cosigning_pairs,
    effort_by_rung_and_funding,
    headline,
    overview,
    response_rates,
)
from .drill import DrillResult, DrillTarget, drill_issues
from .kpis import KPI_HELP, Kpi
from .periods import (
    DEADLINE_WEEKS,
    DEFAULT_PERIOD,
    DUE_DAYS,
    HISTORY_MONTHS,
    LEVEL_LABELS,
    LIFECYCLE_LABELS,
    NETWORK_CAP,
    PERIOD_KINDS,
    Filters,
    Period,
    filter_choices,
    filters_from_params,
    filters_to_params,
    make_period,
)

__all__ = [
    "DEADLINE_WEEKS",
    "DEFAULT_PERIOD",
    "DRILL_LIMIT",
    "DUE_DAYS",
    "HISTORY_MONTHS",
    "KPI_HELP",
    "LEVEL_LABELS",
    "LIFECYCLE_LABELS",
    "NETWORK_CAP",
    "PERIOD_KINDS",
    "DrillResult",
    "DrillTarget",
    "Filters",
    "Headline",
    "Kpi",
    "Overview",
    "Period",
    "Scope",
    "activities_per_month",
    "cosigning_network",
    "cosigning_pairs",
    "drill_issues",
    "effort_by_rung_and_funding",
    "filter_choices",
    "filters_from_params",
    "filters_to_params",
    "headline",
    "make_period",
    "overview",
    "response_rates",
]
