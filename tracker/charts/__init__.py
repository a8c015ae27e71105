"""Pure Plotly builders for the overview: aggregated DataFrames in, Figures out.

Conventions every figure follows:

* one colour per rung (``STAGE_COLOURS``) on every chart;
* transparent backgrounds and no fixed font colours, so the app's light or dark theme shows
  through (the board report sets its own light template);
* a title that says what is shown and for when, labelled axes;
* drillable elements are bars or markers whose ``customdata`` starts with an encoded
  :class:`~tracker.services.metrics.DrillTarget` and its label; :func:`selection_targets`
  maps a Streamlit selection event back to targets (heatmaps and Sankey diagrams return no
  selection in Streamlit, so none is used).

A builder returns None when there is nothing to draw; :data:`EMPTY` says so in words."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

from tracker.services.metrics import DrillTarget, Headline, Overview

from .partners import (
    NODE_LABEL_CHARS,
    activities,
    circle_layout,
    circle_order,
    deadlines,
    effort,
    network,
    response,
    short,
)
from .portfolio import ladder, moves, progression, relevance, time_on_rung, transitions
from .style import (
    AWARENESS_COLOUR,
    CHARTS,
    DARK_INK,
    DOWN_COLOUR,
    GRID,
    INFLUENCING_COLOUR,
    LIGHT_INK,
    NEUTRAL_COLOUR,
    STATUS_COLOURS,
    SUBTITLE_CHARS,
    UP_COLOUR,
    ChartSpec,
    contrast,
    figure,
    filename,
    history_label,
    png_config,
    readable_on,
    safe,
    stage_name,
    wrap,
)


def warm_up() -> None:
    """Build and drop a tiny figure with the trace and layout parts the charts use. Plotly
    imports those classes and builds their validators on first use; a server calls this once it
    is up, so the first page run does not pay for it. No data is read."""
    figure(
        [
            go.Bar(
                x=["a"],
                y=[1],
                marker={"color": [UP_COLOUR], "pattern": {"shape": [""]}},
                error_y={"type": "data", "array": [0]},
                text=["1"],
                textposition="auto",
                customdata=[["", ""]],
            ),
            go.Scatter(x=["a"], y=[1], mode="lines+markers+text", line={"color": UP_COLOUR}, textfont={"size": 11}),
        ],
        "",
        "",
        "x",
        "y",
        yaxis2={"overlaying": "y", "side": "right"},
    ).to_json()


# ------------------------------------------------------------------ the overview's charts


FIRST = ("ladder", "relevance")  # what a :class:`~tracker.services.metrics.Headline` can draw


def headline_figure(head: Headline | Overview, key: str) -> go.Figure | None:
    """One of the charts drawn first (:data:`FIRST`), from the headline's aggregates."""
    if key == "ladder":
        return ladder(head.ladder, head.today)
    if key == "relevance":
        return relevance(head.relevance)
    raise KeyError(key)


def overview_figure(ov: Overview, key: str) -> go.Figure | None:
    """One overview chart by its :data:`CHARTS` key (None: nothing to draw)."""
    p = ov.filters.period
    if key in FIRST:
        return headline_figure(ov, key)
    build = {
        "progression": lambda: progression(ov.progression, p.month_points(), history_label(ov)),
        "moves": lambda: moves(ov.moves, p.label),
        "transitions": lambda: transitions(ov.transitions, p.label),
        "time_on_rung": lambda: time_on_rung(ov.time_on_rung, p.label),
        "deadlines": lambda: deadlines(ov.deadlines, ov.today, ov.deadline_until),
        "response": lambda: response(ov.response_years),
        "network": lambda: network(ov.network_nodes, ov.network_edges, ov.network_total, ov.network_cap, p.end),
        "effort": lambda: effort(ov.effort, p.label),
        "activities": lambda: activities(ov.activity_months, history_label(ov)),
    }
    return build[key]()


def overview_figures(ov: Overview) -> dict[str, go.Figure | None]:
    """Every overview chart, keyed as in :data:`CHARTS` (None: nothing to draw)."""
    return {key: overview_figure(ov, key) for key in CHARTS}


def title_of(fig: go.Figure | None) -> str:
    if fig is None:
        return ""
    return str(fig.layout.title.text or "")


def for_report(fig: go.Figure) -> tuple[str, list[str], str]:
    """``fig`` ready for the printed board report: its title and subtitle lines (the report
    prints them as text) and the figure's JSON with a light template and no title inside."""
    title = title_of(fig)
    sub = str(fig.layout.title.subtitle.text or "")
    lines = [line for line in sub.split("<br>") if line]
    top = int(fig.layout.margin.t or 56) - (56 + 16 * max(1, len(lines))) + 24
    copy = go.Figure(fig)
    copy.update_layout(template="plotly_white", clickmode="event", title=None, margin={"t": max(24, top)})
    return title, [html.unescape(line) for line in lines], copy.to_json()


# ------------------------------------------------------------------ drill-down


def _point_customdata(point: Mapping[str, Any]) -> tuple[str, str] | None:
    cd = point.get("customdata")
    if isinstance(cd, str):
        return cd, ""
    if isinstance(cd, (list, tuple)) and cd and isinstance(cd[0], str):
        label = cd[1] if len(cd) > 1 and isinstance(cd[1], str) else ""
        return cd[0], label
    return None


def selection_targets(selection: Mapping[str, Any] | None) -> list[DrillTarget]:
    """The drill-down targets behind the points of a Streamlit Plotly selection event
    (``event.selection``), in selection order, without duplicates; points without a
    target (edges, lines) are skipped."""
    if not selection:
        return []
    out: list[DrillTarget] = []
    for point in selection.get("points") or []:
        if not isinstance(point, Mapping):
            continue
        found = _point_customdata(point)
        if found is None:
            continue
        target = DrillTarget.decode(found[0], label=found[1])
        if target is not None and target not in out:
            out.append(target)
    return out


__all__ = [
    "AWARENESS_COLOUR",
    "CHARTS",
    "DARK_INK",
    "DOWN_COLOUR",
    "FIRST",
    "GRID",
    "INFLUENCING_COLOUR",
    "LIGHT_INK",
    "NEUTRAL_COLOUR",
    "NODE_LABEL_CHARS",
    "STATUS_COLOURS",
    "SUBTITLE_CHARS",
    "UP_COLOUR",
    "ChartSpec",
    "activities",
    "circle_layout",
    "circle_order",
    "contrast",
    "deadlines",
    "effort",
    "filename",
    "for_report",
    "headline_figure",
    "ladder",
    "moves",
    "network",
    "overview_figure",
    "overview_figures",
    "png_config",
    "progression",
    "readable_on",
    "relevance",
    "response",
    "safe",
    "selection_targets",
    "short",
    "stage_name",
    "time_on_rung",
    "title_of",
    "transitions",
    "warm_up",
    "wrap",
]
