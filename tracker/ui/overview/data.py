"""Cached readers for the overview, keyed by the filters' URL parameters and today's date.

The aggregates are the same for every signed-in user, so a shared cache is right here; the
key is the canonical query-parameter form of the filters, so two links to the same view hit
the same entry. Every committed write clears everything (``tracker.ui.shell.cache.watch``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from tracker import charts
from tracker.services import metrics
from tracker.ui.overview import tables
from tracker.ui.shell import cache
from tracker.ui.shell.db import get_db

ParamsKey = tuple[tuple[str, tuple[str, ...]], ...]


def params_key(filters: metrics.Filters) -> ParamsKey:
    """A hashable, canonical key for ``filters``."""
    return tuple(sorted((k, tuple(v)) for k, v in metrics.filters_to_params(filters).items()))


def _filters(key: ParamsKey, today: dt.date) -> metrics.Filters:
    return metrics.filters_from_params({k: list(v) for k, v in key}, today)


@dataclass(frozen=True)
class View:
    """One computed overview with its figures and tables, ready to draw."""

    ov: metrics.Overview
    upcoming: pd.DataFrame
    response_areas: pd.DataFrame
    pairs: pd.DataFrame


@cache.shared
def view(key: ParamsKey, today_iso: str) -> View:
    """Every aggregate, built once per filter set and day when a later section is opened (or the
    board report asked for), shared read-only (figures apart: see :func:`figure`)."""
    today = dt.date.fromisoformat(today_iso)
    ov = metrics.overview(get_db(), _filters(key, today), today)
    return View(
        ov=ov,
        upcoming=tables.upcoming(ov.upcoming),
        response_areas=tables.response_areas(ov.response_areas),
        pairs=tables.pairs(ov.top_pairs),
    )


@cache.shared
def head(key: ParamsKey, today_iso: str) -> metrics.Headline:
    """The tiles' and the first section's aggregates: what the page draws at once."""
    today = dt.date.fromisoformat(today_iso)
    return metrics.headline(get_db(), _filters(key, today), today)


@cache.shared
def figure(key: ParamsKey, today_iso: str, name: str) -> go.Figure | None:
    """One chart, built the first time a section showing it is opened, then shared read-only:
    building Plotly figures costs more than the queries, and a rerun then only hands them to
    Streamlit (st.plotly_chart copies a figure before sending it, never changes it). The first
    section's charts need only the headline, so they never wait for the other sections' queries."""
    if name in charts.FIRST:
        return charts.headline_figure(head(key, today_iso), name)
    return charts.overview_figure(view(key, today_iso).ov, name)


@st.cache_data(ttl=cache.TTL_SECONDS, show_spinner=False, max_entries=256)
def drill(key: ParamsKey, today_iso: str, target: str, label: str) -> metrics.DrillResult | None:
    today = dt.date.fromisoformat(today_iso)
    t = metrics.DrillTarget.decode(target, label)
    if t is None:
        return None
    return metrics.drill_issues(get_db(), _filters(key, today), t, today)


@st.cache_data(ttl=cache.TTL_SECONDS, show_spinner=False)
def choices() -> dict[str, list[Any]]:
    return metrics.filter_choices(get_db())
