"""Where the portfolio stands and moves: ladder, progression, moves, transitions, time on rung, relevance."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import plotly.graph_objects as go

from tracker.domain.clock import format_date
from tracker.domain.enums import STAGE_COLOURS, Stage
from tracker.services.metrics import DrillTarget

from .style import (
    DOWN_COLOUR,
    NEUTRAL_COLOUR,
    UP_COLOUR,
    count_axis,
    drill_data,
    figure,
    month_label,
    readable_on,
    stage_name,
)


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
        customdata=[drill_data(DrillTarget("stage", (s.value,)), f"Issues on {s.label} today") for s in stages],
        hovertemplate="%{y}: %{x:,} issues<extra></extra>",
        showlegend=False,
    )
    return figure(
        [bar],
        "Issues on each rung of the ladder today",
        f"{total:,} issues on {format_date(today)}; archived issues left out",
        "Issues",
        "Rung",
        xaxis=count_axis(max(counts.values())),
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
                    drill_data(
                        DrillTarget("month_stage", (d.date(), s.value)),
                        f"Issues on {s.label} on {format_date(d.date())}",
                    )
                    for d in table.index
                ],
                hovertemplate=f"{s.label}: %{{y:,}} issues on %{{x|%-d %b %Y}}<extra></extra>",
            )
        )
    return figure(
        traces,
        "Issues on each rung, month by month",
        f"At each month's end, {period_label}, replayed from the stage events",
        "Month end",
        "Issues",
        yaxis=count_axis(float(table.sum(axis=1).max())),
        hovermode="closest",
        legend={"traceorder": "reversed"},
    )


def moves(df: pd.DataFrame, period_label: str) -> go.Figure | None:
    """Stage moves up (above the axis) and down (below) per month."""
    if df.empty or int(df["up"].sum() + df["down"].sum()) == 0:
        return None
    months = [pd.Timestamp(m).date() for m in df["month"]]
    labels = [month_label(m) for m in months]
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
                    drill_data(
                        DrillTarget("moves", (m, direction)), f"Issues that moved {direction} in {month_label(m)}"
                    )
                    for m in months
                ],
                hovertemplate=f"%{{x}}: %{{text}} moves {direction}<extra></extra>",
            )
        )
    return figure(
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
            drill_data(DrillTarget("transition", (int(a), int(b))), f"Issues that moved {lab}")
            for a, b, lab in zip(d["from_stage"], d["to_stage"], labels, strict=True)
        ],
        hovertemplate="%{y}: %{x:,} moves<extra></extra>",
        showlegend=False,
    )
    return figure(
        [bar],
        "Moves from rung to rung",
        f"{period_label} · hatched bars: moves down",
        "Moves",
        "From → to",
        height=max(320, 60 + 26 * len(labels)),
        xaxis=count_axis(int(d["moves"].max())),
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
    return figure(
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
            drill_data(DrillTarget("relevance", (int(r), s.value)), f"Issues of relevance {int(r)} on {s.label}")
            for r, s in zip(df["relevance"], stages, strict=True)
        ],
        hovertemplate="%{x}, member relevance %{y}: %{text} issues<extra></extra>",
        showlegend=False,
    )
    return figure(
        [markers],
        "Member relevance × rung",
        "Issues today: do the issues members care about most climb highest?",
        "Rung today",
        "Member relevance (5 = highest)",
        xaxis={"categoryorder": "array", "categoryarray": [s.label for s in Stage], "type": "category"},
        yaxis={"tickvals": [1, 2, 3, 4, 5], "range": [0.4, 5.6], "zeroline": False},
    )


# ------------------------------------------------------------------ consultations
