"""Consultations, partners and effort: deadlines, response rate, the co-signing network, effort, activities."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from tracker.domain.clock import format_date
from tracker.domain.enums import STAGE_COLOURS, ResponseStatus, Stage
from tracker.services.metrics import DrillTarget

from .style import (
    AWARENESS_COLOUR,
    DOWN_COLOUR,
    INFLUENCING_COLOUR,
    NEUTRAL_COLOUR,
    STATUS_COLOURS,
    UP_COLOUR,
    count_axis,
    drill_data,
    figure,
    month_label,
    safe,
)


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
                    drill_data(
                        DrillTarget("deadline_week", (w,)), f"Consultations closing in the week of {format_date(w)}"
                    )
                    for w in weeks
                ],
                hovertemplate=f"Week of %{{x|%-d %b %Y}}: %{{y}} {status.label.lower()}<extra></extra>",
            )
        )
    top = int(df.groupby("week")["consultations"].sum().max())
    return figure(
        traces,
        "Consultation deadlines ahead",
        f"Per week, by our response status, from {format_date(today)}{later}",
        "Week",
        "Consultations closing",
        # A tick per week (Plotly's own choice left a short axis with a single date).
        xaxis={"type": "date", "tickformat": "%-d %b", "tick0": weeks[0], "dtick": 7 * 24 * 3600 * 1000},
        yaxis=count_axis(top),
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
                    drill_data(DrillTarget("response_year", (y, outcome)), f"Consultations {outcome} in {y}")
                    for y in years
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
    counts = {k: v for k, v in count_axis(max(top, int(df["skipped"].max()))).items() if v is not None}
    return figure(
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
    return figure(
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
                    drill_data(DrillTarget("effort", (f, stage)), f"Issues behind {label} effort funded by {f}")
                    for f in fundings
                ],
                hovertemplate=f"%{{y}} · {label}: %{{x:,.1f}} person-days<extra></extra>",
            )
        )
    return figure(
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
                        f"Issues behind {name.lower()} activities in {month_label(m)}",
                        days.get(m, 0.0),
                    ]
                    for m in months
                ],
                hovertemplate=(
                    f"%{{x|%b %Y}} · {name}: %{{y:,}} activities, %{{customdata[2]:,.1f}} person-days<extra></extra>"
                ),
            )
        )
    return figure(
        traces,
        "Awareness-raising vs influencing",
        f"Activities per month, {period_label}",
        "Month",
        "Activities",
        xaxis={"type": "date", "tickformat": "%b %Y", "ticklabelmode": "period"},
        yaxis=count_axis(int(df.groupby("month")["activities"].sum().max())),
        barmode="stack",
        bargap=0.15,
    )
