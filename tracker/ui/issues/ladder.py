"""The influence ladder as a strip of six coloured rungs (Plotly), for one issue or a count per rung."""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go

from tracker.domain.enums import STAGE_COLOURS, Stage

CONFIG = {"displayModeBar": False, "staticPlot": True}


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r}, {g}, {b}, {alpha})"


def _strip(texts: list[str], strong: list[bool], hover: list[str], height: int) -> go.Figure:
    fig = go.Figure()
    for stage, text, bold, tip in zip(Stage, texts, strong, hover, strict=True):
        fig.add_trace(
            go.Bar(
                x=[1],
                y=["ladder"],
                orientation="h",
                name=stage.label,
                # Faded rungs: a translucent fill with the text in the rung's own colour, so the
                # label stays readable on light and dark themes alike.
                marker={
                    "color": STAGE_COLOURS[stage] if bold else _rgba(STAGE_COLOURS[stage], 0.18),
                    "line": {"width": 0},
                },
                text=[text],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": "#FFFFFF" if bold else STAGE_COLOURS[stage], "size": 13},
                hovertext=[tip],
                hoverinfo="text",
            )
        )
    fig.update_layout(
        barmode="stack",
        height=height,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        showlegend=False,
        xaxis={"visible": False, "range": [0, len(Stage)], "fixedrange": True},
        yaxis={"visible": False, "fixedrange": True},
        bargap=0.05,
        uniformtext={"minsize": 9, "mode": "hide"},
    )
    return fig


def issue_ladder(current: Stage, target: Stage | None = None) -> go.Figure:
    """Every rung, the current one in full colour; the target rung marked with a flag."""
    texts = []
    for s in Stage:
        label = s.label
        if s == current:
            label = f"<b>{label}</b>"
        if target is not None and s == target and s != current:
            label = f"{label} ⚑"
        texts.append(label)
    strong = [s <= current for s in Stage]
    hover = [f"{s.value} · {s.label}" for s in Stage]
    return _strip(texts, strong, hover, height=56)


def count_ladder(by_stage: Mapping[int, int]) -> go.Figure:
    """How many issues stand on each rung."""
    texts = [f"{s.label}: <b>{by_stage.get(int(s), 0):,}</b>" for s in Stage]
    strong = [by_stage.get(int(s), 0) > 0 for s in Stage]
    hover = [f"{s.label}: {by_stage.get(int(s), 0):,} issues" for s in Stage]
    return _strip(texts, strong, hover, height=48)
