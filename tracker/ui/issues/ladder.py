"""The influence ladder as a strip of six coloured rungs (Plotly), for one issue or a count per rung."""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go

from tracker.charts import readable_on
from tracker.domain.enums import STAGE_COLOURS, Stage

CONFIG = {"displayModeBar": False, "staticPlot": True}


def pale(hex_colour: str, share: float = 0.22) -> str:
    """The rung's colour mixed into white, opaque: a faded rung looks the same on a light and a
    dark page, so its label can be dark ink on both (a translucent fill took the page's colour,
    and the rung-coloured label vanished on a dark page)."""
    h = hex_colour.lstrip("#")
    mixed = (round(int(h[i : i + 2], 16) * share + 255 * (1 - share)) for i in (0, 2, 4))
    return "#" + "".join(f"{v:02X}" for v in mixed)


def _strip(texts: list[str], strong: list[bool], hover: list[str], height: int) -> go.Figure:
    fig = go.Figure()
    for stage, text, bold, tip in zip(Stage, texts, strong, hover, strict=True):
        fill = STAGE_COLOURS[stage] if bold else pale(STAGE_COLOURS[stage])
        fig.add_trace(
            go.Bar(
                x=[1],
                y=["ladder"],
                orientation="h",
                name=stage.label,
                marker={"color": fill, "line": {"width": 0}},
                text=[text],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": readable_on(fill), "size": 13},
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
