"""Chart style shared by every builder: colours, contrast, wrapping, the figure frame, file names."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from tracker.domain.enums import STAGE_COLOURS, STAGE_LABELS, ResponseStatus, Stage
from tracker.services.metrics import DrillTarget, Headline, Overview

UP_COLOUR = "#00798C"
DOWN_COLOUR = "#D1495B"
NEUTRAL_COLOUR = "#7F8C8D"
STATUS_COLOURS = {
    ResponseStatus.NOT_STARTED.value: DOWN_COLOUR,
    ResponseStatus.DRAFTING.value: "#C9A227",
    ResponseStatus.SUBMITTED.value: UP_COLOUR,
    ResponseStatus.SKIPPED.value: NEUTRAL_COLOUR,
}
AWARENESS_COLOUR = STAGE_COLOURS[Stage.AWARENESS]
INFLUENCING_COLOUR = STAGE_COLOURS[Stage.ACTIVE_INFLUENCING]
GRID = "rgba(128, 128, 128, 0.25)"


def safe(text: object) -> str:
    """User text for Plotly labels: Plotly reads a subset of HTML in text, so escape it."""
    return html.escape("" if text is None else str(text), quote=False)


DARK_INK = "#1F2933"
LIGHT_INK = "#FFFFFF"


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a #RRGGBB colour."""
    rgb = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #RRGGBB colours (1 to 21)."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable_on(colour: str) -> str:
    """Dark or light text for a label drawn on a filled bar or marker of ``colour`` (not on the
    page, whose colour the theme decides): whichever contrasts more."""
    return DARK_INK if contrast(colour, DARK_INK) >= contrast(colour, LIGHT_INK) else LIGHT_INK


def stage_name(stage: int) -> str:
    return STAGE_LABELS[Stage(int(stage))]


def month_label(day: Any) -> str:
    d = pd.Timestamp(day)
    return d.strftime("%b %Y")


def history_label(ov: Overview) -> str:
    return ov.filters.period.history_label


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` updated with ``extra``, nested dicts merged key by key (as ``update_layout`` does)."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _axis(title: str | None, **extra: Any) -> dict[str, Any]:
    axis: dict[str, Any] = {"gridcolor": GRID, "zerolinecolor": GRID, "automargin": True}
    if title is not None:
        axis["title"] = {"text": title}
    return _merge(axis, {k: v for k, v in extra.items() if v is not None})


def figure(
    traces: list[Any],
    title: str,
    subtitle: str,
    x: str | None,
    y: str | None,
    *,
    height: int = 400,
    xaxis: Mapping[str, Any] | None = None,
    yaxis: Mapping[str, Any] | None = None,
    **layout: Any,
) -> go.Figure:
    """The figure with its title and subtitle on top, then the legend, then the plot; transparent
    backgrounds; ``xaxis``, ``yaxis`` and ``layout`` add to (or override) the common layout.

    Built in one constructor call: a figure adjusted afterwards with ``update_layout`` and
    ``update_xaxes`` walks and re-validates Plotly's property tree at every call, which made
    those calls most of the Overview's figure-building time.
    """
    subtitle = wrap(subtitle, SUBTITLE_CHARS)
    lines = subtitle.count("<br>") + 1
    entries = [t for t in traces if t.showlegend is not False and t.name]
    # The legend sits at the foot of the figure and takes its own room (Plotly moves the plot
    # up for it), so on a phone, where it wraps to several rows, it never covers the title;
    # the figure grows by about what it needs there (two entries a row).
    legend_room = 0 if len(entries) < 2 else 22 * math.ceil(len(entries) / 2)
    top = 56 + 16 * lines
    base: dict[str, Any] = {
        "title": {
            "text": title,
            "subtitle": {"text": subtitle, "font": {"size": 12}},
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "y": 0.985 if height >= 400 else 0.98,
            "yanchor": "top",
            "yref": "container",
            "font": {"size": 16},
        },
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "height": height + legend_room,
        "margin": {"l": 10, "r": 10, "t": top, "b": 10},
        "legend": {
            "orientation": "h",
            "yref": "container",
            "yanchor": "bottom",
            "y": 0,
            "x": 0,
            "xanchor": "left",
            "traceorder": "normal",
        },
        "clickmode": "event+select",
        "hoverlabel": {"namelength": -1},
        "xaxis": _axis(x, **(xaxis or {})),
        "yaxis": _axis(y, **(yaxis or {})),
    }
    return go.Figure(data=traces, layout=_merge(base, layout))


SUBTITLE_CHARS = 58  # what fits on one line of a chart on a 400 px phone


def wrap(text: str, width: int) -> str:
    """``text`` with Plotly line breaks (<br>) between words so no line is longer than ``width``
    characters (Plotly never wraps a title or subtitle itself, it cuts it off)."""
    out = []
    for line in text.split("<br>"):
        current = ""
        for word in line.split(" "):
            if current and len(current) + 1 + len(word) > width:
                out.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        out.append(current)
    return "<br>".join(out)


def count_axis(top: float) -> dict[str, Any]:
    """Whole numbers on a count axis: small counts get a tick per unit, never 0.5."""
    return {"tickformat": ",d", "rangemode": "tozero", "dtick": 1 if top <= 8 else None}


def drill_data(target: DrillTarget, label: str) -> list[str]:
    return [target.encode(), label]


# ------------------------------------------------------------------ chart specs


@dataclass(frozen=True)
class ChartSpec:
    key: str
    name: str  # a short title, used where the chart cannot be drawn
    empty: str  # said in words when there is nothing to draw


CHARTS: dict[str, ChartSpec] = {
    c.key: c
    for c in (
        ChartSpec("ladder", "Issues on each rung of the ladder today", "No issues match these filters."),
        ChartSpec(
            "progression",
            "Issues on each rung at each month's end",
            "No stage history for these filters in this time range.",
        ),
        ChartSpec("moves", "Stage moves up and down per month", "No issue moved up or down in this period."),
        ChartSpec("transitions", "Moves from one rung to another", "No stage moves in this period."),
        ChartSpec("time_on_rung", "Days spent on each rung per stay", "No stays on any rung in this period."),
        ChartSpec("relevance", "Member relevance × rung", "No current issues match these filters."),
        ChartSpec("deadlines", "Consultation deadlines ahead", "No consultation deadlines in the next weeks."),
        ChartSpec(
            "response",
            "Consultation response rate per year",
            "No closed consultations linked to these issues yet.",
        ),
        ChartSpec("network", "Partner network", "No joint position has been co-signed by two organisations yet."),
        ChartSpec("effort", "Effort by funding source and rung", "No effort recorded in this period."),
        ChartSpec(
            "activities",
            "Activities per month: awareness-raising vs influencing",
            "No activities recorded in this time range.",
        ),
    )
}


def png_config(filename: str) -> dict[str, Any]:
    """The chart toolbar's settings: a PNG download named ``filename``, no Plotly logo."""
    return {"toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2}, "displaylogo": False}


def filename(key: str, ov: Overview | Headline) -> str:
    p = ov.filters.period
    return f"{key.replace('_', '-')}_{p.start.isoformat()}_to_{p.end.isoformat()}"


# ------------------------------------------------------------------ the ladder
