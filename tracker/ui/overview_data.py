"""Cached readers for the overview, keyed by the filters' URL parameters and today's date.

The aggregates are the same for every signed-in user, so a shared cache is right here; the
key is the canonical query-parameter form of the filters, so two links to the same view hit
the same entry. Writes clear everything through ``tracker.ui.cache.after_write``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from tracker import charts
from tracker.services import metrics

from . import cache
from .db import get_db

ParamsKey = tuple[tuple[str, tuple[str, ...]], ...]


def params_key(filters: metrics.Filters) -> ParamsKey:
    """A hashable, canonical key for ``filters``."""
    return tuple(sorted((k, tuple(v)) for k, v in metrics.filters_to_params(filters).items()))


def _filters(key: ParamsKey, today: dt.date) -> metrics.Filters:
    return metrics.filters_from_params({k: list(v) for k, v in key}, today)


@st.cache_data(ttl=cache.TTL_SECONDS, show_spinner=False, max_entries=64)
def overview(key: ParamsKey, today_iso: str) -> metrics.Overview:
    today = dt.date.fromisoformat(today_iso)
    return metrics.overview(get_db(), _filters(key, today), today)


@st.cache_resource(ttl=cache.TTL_SECONDS * 2, show_spinner=False, max_entries=32)
def figures(token: str, _ov: metrics.Overview) -> dict[str, go.Figure | None]:
    """The charts of one computed overview (``token`` names it). Building Plotly figures costs
    more than the cached queries, so reruns reuse them; they are only read afterwards
    (st.plotly_chart copies a figure before sending it), never changed."""
    return charts.overview_figures(_ov)


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
