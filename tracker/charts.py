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

A builder returns None when there is nothing to draw; :data:`EMPTY` says so in words.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from tracker.domain.clock import format_date
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


def _month(day: Any) -> str:
    d = pd.Timestamp(day)
    return d.strftime("%b %Y")


def _hist_label(ov: Overview) -> str:
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


def _figure(
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


def _counts(top: float) -> dict[str, Any]:
    """Whole numbers on a count axis: small counts get a tick per unit, never 0.5."""
    return {"tickformat": ",d", "rangemode": "tozero", "dtick": 1 if top <= 8 else None}


def _cd(target: DrillTarget, label: str) -> list[str]:
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


def ladder(df: pd.DataFrame, today: dt.date) -> go.Figure | None:
    """Issues per rung today, as a ladder: rung 0 at the bottom."""
    if df.empty or int(df["issues"].sum()) == 0:
        return None
    counts = {int(r.stage): int(r.issues) for r in df.itertuples()}
    total = sum(counts.values())
    stages = list(Stage)
    bar = go.Bar(
        y=[s.label for s in stages],
        x=[counts.get(s.value, 0) for s in stages],
        orientation="h",
        marker_color=[s.colour for s in stages],
        text=[f"{counts.get(s.value, 0):,}" for s in stages],
        textposition="auto",
        insidetextfont={"color": [readable_on(s.colour) for s in stages], "size": 13},
        outsidetextfont={"size": 13},
        customdata=[_cd(DrillTarget("stage", (s.value,)), f"Issues on {s.label} today") for s in stages],
        hovertemplate="%{y}: %{x:,} issues<extra></extra>",
        showlegend=False,
    )
    return _figure(
        [bar],
        "Issues on each rung of the ladder today",
        f"{total:,} issues on {format_date(today)}; archived issues left out",
        "Issues",
        "Rung",
        xaxis=_counts(max(counts.values())),
        yaxis={"categoryorder": "array", "categoryarray": [s.label for s in stages]},
    )


def progression(df: pd.DataFrame, points: list[dt.date], period_label: str) -> go.Figure | None:
    """Issues on each rung at each month end, stacked."""
    if df.empty:
        return None
    table = df.pivot_table(index="at", columns="stage", values="issues", aggfunc="sum", fill_value=0)
    idx = pd.to_datetime(pd.Series(points)).dt.normalize()
    table.index = pd.to_datetime(table.index).normalize()
    table = table.reindex(idx, fill_value=0)
    traces = []
    for s in Stage:
        ys = table[s.value] if s.value in table.columns else pd.Series(0, index=table.index)
        traces.append(
            go.Scatter(
                x=list(table.index),
                y=[int(v) for v in ys],
                name=s.label,
                mode="lines+markers",
                stackgroup="ladder",
                line={"color": s.colour, "width": 1},
                marker={"color": s.colour, "size": 5},
                fillcolor=s.colour,
                customdata=[
                    _cd(
                        DrillTarget("month_stage", (d.date(), s.value)),
                        f"Issues on {s.label} on {format_date(d.date())}",
                    )
                    for d in table.index
                ],
                hovertemplate=f"{s.label}: %{{y:,}} issues on %{{x|%-d %b %Y}}<extra></extra>",
            )
        )
    return _figure(
        traces,
        "Issues on each rung, month by month",
        f"At each month's end, {period_label}, replayed from the stage events",
        "Month end",
        "Issues",
        yaxis=_counts(float(table.sum(axis=1).max())),
        hovermode="closest",
        legend={"traceorder": "reversed"},
    )


def moves(df: pd.DataFrame, period_label: str) -> go.Figure | None:
    """Stage moves up (above the axis) and down (below) per month."""
    if df.empty or int(df["up"].sum() + df["down"].sum()) == 0:
        return None
    months = [pd.Timestamp(m).date() for m in df["month"]]
    labels = [_month(m) for m in months]
    traces = []
    for direction, col, sign, colour in (("up", "up", 1, UP_COLOUR), ("down", "down", -1, DOWN_COLOUR)):
        traces.append(
            go.Bar(
                x=labels,
                y=[sign * int(v) for v in df[col]],
                name=f"Moves {direction}",
                marker_color=colour,
                text=[f"{int(v):,}" if v else "" for v in df[col]],
                textposition="auto",
                insidetextfont={"color": readable_on(colour), "size": 13},
                outsidetextfont={"size": 13},
                customdata=[
                    _cd(DrillTarget("moves", (m, direction)), f"Issues that moved {direction} in {_month(m)}")
                    for m in months
                ],
                hovertemplate=f"%{{x}}: %{{text}} moves {direction}<extra></extra>",
            )
        )
    return _figure(
        traces,
        "Moves up and down per month",
        f"Stage moves recorded {period_label}",
        "Month",
        "Moves (down below zero)",
        xaxis={"type": "category"},
        yaxis={"tickformat": ",d", "dtick": 1 if int(max(df["up"].max(), df["down"].max())) <= 4 else None},
        barmode="relative",
    )


def transitions(df: pd.DataFrame, period_label: str) -> go.Figure | None:
    """From → to rung moves as horizontal bars, coloured by the rung reached; downward moves hatched."""
    if df.empty:
        return None
    d = df.sort_values(["from_stage", "to_stage"], ascending=[False, False]).reset_index(drop=True)
    labels = [f"{stage_name(a)} → {stage_name(b)}" for a, b in zip(d["from_stage"], d["to_stage"], strict=True)]
    down = [int(b) < int(a) for a, b in zip(d["from_stage"], d["to_stage"], strict=True)]
    bar = go.Bar(
        y=labels,
        x=[int(v) for v in d["moves"]],
        orientation="h",
        marker={
            "color": [STAGE_COLOURS[Stage(int(b))] for b in d["to_stage"]],
            "pattern": {"shape": ["/" if x else "" for x in down], "fgcolor": "rgba(0,0,0,0.45)"},
        },
        text=[f"{int(v):,}" for v in d["moves"]],
        textposition="outside",
        outsidetextfont={"size": 13},
        cliponaxis=False,
        customdata=[
            _cd(DrillTarget("transition", (int(a), int(b))), f"Issues that moved {lab}")
            for a, b, lab in zip(d["from_stage"], d["to_stage"], labels, strict=True)
        ],
        hovertemplate="%{y}: %{x:,} moves<extra></extra>",
        showlegend=False,
    )
    return _figure(
        [bar],
        "Moves from rung to rung",
        f"{period_label} · hatched bars: moves down",
        "Moves",
        "From → to",
        height=max(320, 60 + 26 * len(labels)),
        xaxis=_counts(int(d["moves"].max())),
        yaxis={"categoryorder": "array", "categoryarray": labels},
    )


def time_on_rung(df: pd.DataFrame, period_label: str) -> go.Figure | None:
    """Median days per stay on each rung, the whiskers spanning the middle half of stays."""
    if df.empty:
        return None
    d = df.sort_values("stage")
    stages = [Stage(int(s)) for s in d["stage"]]
    med = [float(v) for v in d["median"]]
    bar = go.Bar(
        x=[s.label for s in stages],
        y=med,
        marker_color=[s.colour for s in stages],
        error_y={
            "type": "data",
            "symmetric": False,
            "array": [float(h) - m for h, m in zip(d["p75"], med, strict=True)],
            "arrayminus": [m - float(lo) for lo, m in zip(d["p25"], med, strict=True)],
            "color": NEUTRAL_COLOUR,
        },
        customdata=[
            [
                DrillTarget("stay", (s.value,)).encode(),
                f"Issues on {s.label} now, longest there first",
                int(n),
                int(o),
                float(p10),
                float(p25),
                float(p75),
                float(p90),
            ]
            for s, n, o, p10, p25, p75, p90 in zip(
                stages, d["stays"], d["ongoing"], d["p10"], d["p25"], d["p75"], d["p90"], strict=True
            )
        ],
        hovertemplate=(
            "%{x}: median %{y:,.0f} days<br>middle half %{customdata[5]:,.0f}–%{customdata[6]:,.0f} days, "
            "most (10–90%%) %{customdata[4]:,.0f}–%{customdata[7]:,.0f}<br>"
            "%{customdata[2]:,} stays, %{customdata[3]:,} still running<extra></extra>"
        ).replace("%%", "%"),
        showlegend=False,
    )
    return _figure(
        [bar],
        "Time spent on each rung",
        f"Days per stay: median (bar) and middle half (whisker)<br>Stays that ended {period_label} or were still running",
        "Rung",
        "Days on the rung",
        xaxis={"categoryorder": "array", "categoryarray": [s.label for s in Stage]},
    )


def relevance(df: pd.DataFrame) -> go.Figure | None:
    """Current issues by member relevance and rung, as sized markers (selectable, unlike a heatmap)."""
    if df.empty:
        return None
    n = [int(v) for v in df["issues"]]
    biggest = max(n)
    stages = [Stage(int(s)) for s in df["stage"]]
    markers = go.Scatter(
        x=[s.label for s in stages],
        y=[int(r) for r in df["relevance"]],
        mode="markers+text",
        text=[f"{v:,}" for v in n],
        textposition="middle center",
        textfont={"color": [readable_on(s.colour) for s in stages]},
        marker={
            "size": [14 + 40 * math.sqrt(v / biggest) for v in n],
            "color": [s.colour for s in stages],
            "opacity": 0.85,
            "line": {"width": 0},
        },
        customdata=[
            _cd(DrillTarget("relevance", (int(r), s.value)), f"Issues of relevance {int(r)} on {s.label}")
            for r, s in zip(df["relevance"], stages, strict=True)
        ],
        hovertemplate="%{x}, member relevance %{y}: %{text} issues<extra></extra>",
        showlegend=False,
    )
    return _figure(
        [markers],
        "Member relevance × rung",
        "Issues today: do the issues members care about most climb highest?",
        "Rung today",
        "Member relevance (5 = highest)",
        xaxis={"categoryorder": "array", "categoryarray": [s.label for s in Stage], "type": "category"},
        yaxis={"tickvals": [1, 2, 3, 4, 5], "range": [0.4, 5.6], "zeroline": False},
    )


# ------------------------------------------------------------------ consultations


def deadlines(df: pd.DataFrame, today: dt.date, until: dt.date) -> go.Figure | None:
    """Consultation deadlines per week ahead on a time axis, stacked by our response status."""
    if df.empty:
        return None
    # The axis ends a week after the last deadline (at least four weeks out), not at the end of
    # the window: empty weeks at the end would squeeze the bars into a corner of the chart.
    last = max(pd.Timestamp(w).date() for w in df["week"])
    first = today - dt.timedelta(days=today.weekday())
    end = min(until, max(last + dt.timedelta(days=7), first + dt.timedelta(weeks=4)))
    weeks: list[dt.date] = []
    w = first
    while w <= end:
        weeks.append(w)
        w += dt.timedelta(days=7)
    later = "" if end >= until else f"; none closes later, up to {format_date(until)}"
    traces = []
    for status in ResponseStatus:
        sub = df[df["response_status"] == status.value]
        if sub.empty:
            continue
        counts = {pd.Timestamp(w).date(): int(c) for w, c in zip(sub["week"], sub["consultations"], strict=True)}
        traces.append(
            go.Bar(
                x=weeks,
                y=[counts.get(w, 0) for w in weeks],
                name=status.label,
                marker_color=STATUS_COLOURS[status.value],
                xperiod=7 * 24 * 3600 * 1000,
                xperiod0=weeks[0],
                xperiodalignment="middle",
                customdata=[
                    _cd(DrillTarget("deadline_week", (w,)), f"Consultations closing in the week of {format_date(w)}")
                    for w in weeks
                ],
                hovertemplate=f"Week of %{{x|%-d %b %Y}}: %{{y}} {status.label.lower()}<extra></extra>",
            )
        )
    top = int(df.groupby("week")["consultations"].sum().max())
    return _figure(
        traces,
        "Consultation deadlines ahead",
        f"Per week, by our response status, from {format_date(today)}{later}",
        "Week",
        "Consultations closing",
        # A tick per week (Plotly's own choice left a short axis with a single date).
        xaxis={"type": "date", "tickformat": "%-d %b", "tick0": weeks[0], "dtick": 7 * 24 * 3600 * 1000},
        yaxis=_counts(top),
        barmode="stack",
        bargap=0.2,
    )


def response(df: pd.DataFrame) -> go.Figure | None:
    """Per year: submitted and missed (stacked), skipped beside them, the response rate on top."""
    if df.empty:
        return None
    years = [int(y) for y in df["year"]]
    rates: list[float | None] = []
    for s, m in zip(df["submitted"], df["missed"], strict=True):
        rates.append(int(s) / (int(s) + int(m)) if int(s) + int(m) else None)
    # The rate is printed under its year, not on the line: a label over the bars is unreadable
    # where it crosses them.
    xs = [f"{y}<br>rate {r:.0%}" if r is not None else str(y) for y, r in zip(years, rates, strict=True)]
    traces: list[Any] = []
    for outcome, colour, group in (
        ("submitted", UP_COLOUR, "rate"),
        ("missed", DOWN_COLOUR, "rate"),
        ("skipped", NEUTRAL_COLOUR, "skipped"),
    ):
        traces.append(
            go.Bar(
                x=xs,
                y=[int(v) for v in df[outcome]],
                name=outcome.capitalize(),
                marker_color=colour,
                offsetgroup=group,
                customdata=[
                    _cd(DrillTarget("response_year", (y, outcome)), f"Consultations {outcome} in {y}") for y in years
                ],
                hovertemplate=[f"{y}: %{{y}} {outcome}<extra></extra>" for y in years],
            )
        )
    traces.append(
        go.Scatter(
            x=xs,
            y=[r * 100 if r is not None else None for r in rates],
            name="Response rate",
            mode="lines+markers",
            text=[f"{r:.0%}" if r is not None else "" for r in rates],
            line={"color": STAGE_COLOURS[Stage.POSITIONING], "width": 2},
            yaxis="y2",
            hovertemplate="Response rate %{text}<extra></extra>",
        )
    )
    top = int((df["submitted"] + df["missed"]).max())
    # Whole numbers on the count axis only: the rate axis has its own percent ticks.
    counts = {k: v for k, v in _counts(max(top, int(df["skipped"].max()))).items() if v is not None}
    return _figure(
        traces,
        "Consultation response rate per year",
        "Consultations linked to our issues, by closing year<br>Rate: submitted ÷ (submitted + missed); skipped shown apart",
        "Year the consultation closed",
        "Consultations",
        xaxis={"type": "category"},
        yaxis=counts,
        barmode="relative",
        yaxis2={
            "title": {"text": "Response rate"},
            "overlaying": "y",
            "side": "right",
            "range": [0, 115],
            "tickvals": [0, 25, 50, 75, 100],
            "ticksuffix": "%",
            "showgrid": False,
        },
    )


# ------------------------------------------------------------------ partners


def circle_layout(n: int) -> list[tuple[float, float]]:
    """Evenly spaced points on the unit circle, the first at the top, clockwise."""
    return [(math.sin(2 * math.pi * i / n), math.cos(2 * math.pi * i / n)) for i in range(n)] if n else []


def circle_order(ranked: list[int], edges: list[tuple[int, int, int]]) -> list[int]:
    """Seat partners around the circle so that those who co-sign together sit side by side:
    from the top partner, walk to its strongest unseated co-signer; when there is none, go on
    with the best-ranked partner not seated yet. Shorter lines, fewer crossings."""
    weight: dict[int, dict[int, int]] = {n: {} for n in ranked}
    for a, b, w in edges:
        if a in weight and b in weight:
            weight[a][b] = weight[b][a] = w
    rank = {n: i for i, n in enumerate(ranked)}
    seated: list[int] = []
    left = set(ranked)
    current: int | None = None
    while left:
        options = [n for n in weight[current] if n in left] if current is not None else []
        if options:
            current = max(options, key=lambda n: (weight[current][n], -rank[n]))  # type: ignore[index]
        else:
            current = min(left, key=rank.__getitem__)
        seated.append(current)
        left.discard(current)
    return seated


def network(nodes: pd.DataFrame, edges: pd.DataFrame, total: int, cap: int, end: dt.date) -> go.Figure | None:
    """Organisations as nodes on a circle, co-signed positions as edges (wider: more positions)."""
    if nodes.empty:
        return None
    order = circle_order(
        [int(o) for o in nodes["org_id"]],
        [(int(a), int(b), int(w)) for a, b, w in edges[["a", "b", "positions"]].itertuples(index=False)]
        if not edges.empty
        else [],
    )
    pos = dict(zip(order, circle_layout(len(order)), strict=True))
    traces: list[Any] = []
    if not edges.empty:
        top = max(int(v) for v in edges["positions"])
        for weight in sorted({int(v) for v in edges["positions"]}):
            xs: list[float | None] = []
            ys: list[float | None] = []
            for a, b in edges[edges["positions"] == weight][["a", "b"]].itertuples(index=False):
                (x0, y0), (x1, y1) = pos[int(a)], pos[int(b)]
                xs += [x0, x1, None]
                ys += [y0, y1, None]
            traces.append(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={"width": 0.6 + 4 * weight / top, "color": NEUTRAL_COLOUR},
                    opacity=0.3 + 0.5 * weight / top,
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
    biggest = max(int(v) for v in nodes["cosigned"])
    xy = [pos[int(o)] for o in nodes["org_id"]]
    traces.append(
        go.Scatter(
            x=[p[0] for p in xy],
            y=[p[1] for p in xy],
            mode="markers+text",
            text=[safe(short(str(n))) for n in nodes["name"]],
            textposition=[_radial(px, py) for px, py in xy],
            textfont={"size": 11},
            marker={
                "size": [10 + 22 * math.sqrt(int(v) / biggest) for v in nodes["cosigned"]],
                "color": UP_COLOUR,
                # A light rim: the teal alone is dim on a dark page.
                "line": {"width": 1.5, "color": "rgba(255, 255, 255, 0.75)"},
            },
            customdata=[
                [
                    DrillTarget("partner", (int(o),)).encode(),
                    f"Issues behind the positions {n} signed",
                    int(c),
                    int(p),
                    safe(t or "organisation"),
                    safe(n),
                ]
                for o, n, c, p, t in zip(
                    nodes["org_id"], nodes["name"], nodes["cosigned"], nodes["positions"], nodes["type"], strict=True
                )
            ],
            hovertemplate=(
                "%{customdata[5]} (%{customdata[4]})<br>%{customdata[2]} co-signed positions, "
                "%{customdata[3]} signed in all<extra></extra>"
            ),
            showlegend=False,
        )
    )
    shown = f"top {len(nodes)} of {total:,} by co-signatures" if total > len(nodes) else f"all {total:,}"
    return _figure(
        traces,
        "Partner network: who co-signs with whom",
        f"Organisations that co-signed up to {format_date(end)} ({shown}); thicker line: more positions together",
        None,
        None,
        height=620,
        # Room beside the circle for the labels, which keep their size when the chart narrows.
        xaxis={"visible": False, "range": [-2.6, 2.6]},
        yaxis={"visible": False, "range": [-1.2, 1.2]},
    )


def _radial(x: float, y: float) -> str:
    """Put a node's label outside the circle: above or below at the poles, else beside it."""
    if abs(x) < 0.05:
        return "top center" if y > 0 else "bottom center"
    return "middle right" if x > 0 else "middle left"


NODE_LABEL_CHARS = 16  # a label beside a node stays inside a phone-wide chart; hover has the full name


def short(name: str, width: int = NODE_LABEL_CHARS) -> str:
    return name if len(name) <= width else name[: width - 1].rstrip() + "…"


# ------------------------------------------------------------------ effort and activities


def effort(df: pd.DataFrame, period_label: str) -> go.Figure | None:
    """Person-days by funding source (rows), stacked by the rung of the issue worked on."""
    if df.empty or float(df["person_days"].sum()) == 0:
        return None
    totals = df.groupby("funding")["person_days"].sum().sort_values()
    fundings = list(totals.index)
    traces = []
    groups: list[tuple[int | None, str, str]] = [(s.value, s.label, s.colour) for s in Stage]
    groups.append((None, "Not linked to an issue", NEUTRAL_COLOUR))
    for stage, label, colour in groups:
        sub = df[df["stage"].isna()] if stage is None else df[df["stage"] == stage]
        if sub.empty:
            continue
        days = {f: float(v) for f, v in zip(sub["funding"], sub["person_days"], strict=True)}
        traces.append(
            go.Bar(
                y=[safe(f) for f in fundings],
                x=[days.get(f, 0.0) for f in fundings],
                orientation="h",
                name=f"{label} ({sum(days.values()):,.1f} d)",
                marker_color=colour,
                customdata=[
                    _cd(DrillTarget("effort", (f, stage)), f"Issues behind {label} effort funded by {f}")
                    for f in fundings
                ],
                hovertemplate=f"%{{y}} · {label}: %{{x:,.1f}} person-days<extra></extra>",
            )
        )
    return _figure(
        traces,
        "Effort by funding source and rung",
        f"Person-days {period_label}; rung of the issue worked on, on the activity's date",
        "Person-days",
        "Funding source",
        height=max(340, 140 + 34 * len(fundings)),
        barmode="stack",
    )


def activities(df: pd.DataFrame, period_label: str) -> go.Figure | None:
    """Activities per month, awareness-raising and influencing stacked."""
    if df.empty:
        return None
    months = sorted({pd.Timestamp(m).date() for m in df["month"]})
    traces = []
    for influencing, name, colour in (
        (False, "Awareness-raising", AWARENESS_COLOUR),
        (True, "Influencing", INFLUENCING_COLOUR),
    ):
        sub = df[df["influencing"] == influencing]
        counts = {pd.Timestamp(m).date(): int(c) for m, c in zip(sub["month"], sub["activities"], strict=True)}
        days = {pd.Timestamp(m).date(): float(v) for m, v in zip(sub["month"], sub["person_days"], strict=True)}
        traces.append(
            go.Bar(
                x=months,
                y=[counts.get(m, 0) for m in months],
                name=name,
                marker_color=colour,
                xperiod="M1",
                xperiodalignment="middle",
                customdata=[
                    [
                        DrillTarget("activity_month", (m, influencing)).encode(),
                        f"Issues behind {name.lower()} activities in {_month(m)}",
                        days.get(m, 0.0),
                    ]
                    for m in months
                ],
                hovertemplate=(
                    f"%{{x|%b %Y}} · {name}: %{{y:,}} activities, %{{customdata[2]:,.1f}} person-days<extra></extra>"
                ),
            )
        )
    return _figure(
        traces,
        "Awareness-raising vs influencing",
        f"Activities per month, {period_label}",
        "Month",
        "Activities",
        xaxis={"type": "date", "tickformat": "%b %Y", "ticklabelmode": "period"},
        yaxis=_counts(int(df.groupby("month")["activities"].sum().max())),
        barmode="stack",
        bargap=0.15,
    )


def warm_up() -> None:
    """Build and drop a tiny figure with the trace and layout parts the charts use. Plotly
    imports those classes and builds their validators on first use; a server calls this once it
    is up, so the first page run does not pay for it. No data is read."""
    _figure(
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
        "progression": lambda: progression(ov.progression, p.month_points(), _hist_label(ov)),
        "moves": lambda: moves(ov.moves, p.label),
        "transitions": lambda: transitions(ov.transitions, p.label),
        "time_on_rung": lambda: time_on_rung(ov.time_on_rung, p.label),
        "deadlines": lambda: deadlines(ov.deadlines, ov.today, ov.deadline_until),
        "response": lambda: response(ov.response_years),
        "network": lambda: network(ov.network_nodes, ov.network_edges, ov.network_total, ov.network_cap, p.end),
        "effort": lambda: effort(ov.effort, p.label),
        "activities": lambda: activities(ov.activity_months, _hist_label(ov)),
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
