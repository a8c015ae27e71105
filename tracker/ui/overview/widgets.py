"""Pieces of the overview page: KPI tiles, a chart with its drill-down, tables, the report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from tracker import charts
from tracker.domain import clock
from tracker.services import metrics, report
from tracker.ui.kit.text import md
from tracker.ui.overview import data, selection
from tracker.ui.overview.data import ParamsKey

LINKS_SHOWN = 50  # issues listed as links under a chart; the rest in a table
TILE_WIDTH = 176  # px: two tiles side by side on a 400 px phone


def kpi_tiles(kpis: list[metrics.Kpi]) -> None:
    """The figures as small tiles that wrap: five a row on a desktop, two on a phone, so they do
    not push every chart a screen down. The label is drawn as text above the number so that it
    wraps in a narrow tile (a metric's own label is cut off with an ellipsis); the previous
    period's value sits beside the change ("from 23"), and a note only when the tile has one."""
    with st.container(horizontal=True, gap="small", key="ov_kpis"):
        for k in kpis:
            with st.container(border=True, width=TILE_WIDTH, gap=None):
                st.markdown(f":small[**{md(k.label)}**]", help=k.help)
                st.metric(
                    k.label,
                    k.value_text,
                    delta=k.delta_text,
                    delta_color=k.delta_color if k.delta_text not in (None, "no change") else "off",
                    delta_arrow="off" if k.delta_text == "no change" else "auto",
                    delta_description=f"from {k.previous_text}" if k.delta_text and k.previous is not None else None,
                    help=k.help,
                    label_visibility="collapsed",
                )
                if k.note:
                    st.caption(k.note)


def chart(
    key: str,
    fig: go.Figure | None,
    ov: metrics.Overview | metrics.Headline,
    pkey: ParamsKey,
    sel: selection.Selection,
) -> None:
    """Draw one chart (or say in words that there is nothing to draw) and, when the address holds
    a selection on it, list the issues behind it."""
    spec = charts.CHARTS[key]
    if fig is None:
        st.info(spec.empty, icon=":material/info:")
        return
    st.plotly_chart(
        fig,
        key=selection.widget_key(key, pkey),
        on_select="rerun",
        selection_mode="points",
        config=charts.png_config(charts.filename(key, ov)),
        theme="streamlit",
    )
    targets = selection.targets(sel, fig) if sel.chart == key else []
    if not targets:
        st.caption("Click a bar or point to list the issues behind it.")
        return
    st.caption("The issues behind the selection are listed in the window on top of the page.")
    # A dialog is in view wherever the chart is on the page (a list drawn under a chart near
    # the bottom of the screen would open unseen). Closing it ends the selection.
    st.dialog(charts.CHARTS[key].name, width="large", icon=":material/list:", on_dismiss=selection.forget)(
        _drill_lists
    )(key, targets, ov, pkey)


def _drill_lists(
    key: str, targets: list[metrics.DrillTarget], ov: metrics.Overview | metrics.Headline, pkey: ParamsKey
) -> None:
    with st.container(key=f"ov_drill_{key}"):
        for target in targets[:3]:
            drill_list(target, ov, pkey)
        if len(targets) > 3:
            st.caption(f"{len(targets) - 3} more selected elements not listed: select fewer to see them.")


def drill_list(target: metrics.DrillTarget, ov: metrics.Overview | metrics.Headline, pkey: ParamsKey) -> None:
    result = data.drill(pkey, ov.today.isoformat(), target.encode(), target.label)
    title = target.label or "Issues behind the selection"
    if result is None or result.rows.empty:
        st.markdown(f"**{md(title)}**")
        st.caption("No issues behind this selection.")
        return
    rows = result.rows
    n = len(rows)
    more = f" (first {n:,})" if result.truncated else ""
    st.markdown(f"**{md(title)}** · {n:,} issue{'s' if n != 1 else ''}{more}")
    box = st.container(height=min(320, 44 * min(n, LINKS_SHOWN) + 16))
    with box:
        for r in rows.head(LINKS_SHOWN).to_dict("records"):
            detail = f" · {r['detail']}" if r["detail"] else ""
            st.page_link(
                "pages/issues.py",
                label=md(f"{r['title']} — {r['stage_label']}{detail}"),
                query_params={"issue": str(int(r["issue_id"]))},
            )
    if n > LINKS_SHOWN:
        with st.expander(f"All {n:,} issues as a table"):
            table = pd.DataFrame(
                {
                    "Issue": [f"issues?issue={int(i)}" for i in rows["issue_id"]],
                    "Title": rows["title"],
                    "Rung today": rows["stage_label"],
                    "Policy area": rows["policy_area"],
                    "Owner": rows["owner"],
                    "Detail": rows["detail"],
                }
            )
            st.dataframe(
                table,
                hide_index=True,
                column_config={"Issue": st.column_config.LinkColumn("Issue", display_text=r"issue=(\d+)")},
            )


def _table(table: pd.DataFrame, **columns: Any) -> None:
    """A table whose first column stays pinned: on a phone the rest scrolls sideways under it, so
    each row still says what it is about."""
    first = str(table.columns[0])
    config = {first: st.column_config.Column(pinned=True), **columns}
    st.dataframe(table, hide_index=True, column_config=config)


def upcoming_table(table: pd.DataFrame) -> None:
    st.markdown(f"**{md(report.UPCOMING_TITLE)}**")
    if table.empty:
        st.info("No consultation closes from today on.", icon=":material/info:")
        return
    _table(table, Consultation=st.column_config.TextColumn(width="large"))


def response_area_table(table: pd.DataFrame, period_label: str) -> None:
    st.markdown(f"**{md(report.RESPONSE_AREA_TITLE)}, {md(period_label)}**")
    if table.empty:
        st.info("No consultation linked to these issues closed in this period.", icon=":material/info:")
        return
    rate = report.RESPONSE_AREA_HEADERS[-1]
    # A full bar is good news: drawn in the "submitted" colour, not the theme's alarm red.
    bar = st.column_config.ProgressColumn(
        rate,
        min_value=0,
        max_value=100,
        format="%.0f%%",
        help=metrics.KPI_HELP["response"],
        color=charts.UP_COLOUR,
    )
    _table(table, **{rate: bar})


def pairs_table(table: pd.DataFrame) -> None:
    st.markdown(f"**{md(report.PAIRS_TITLE)}**")
    if table.empty:
        st.info("No joint position has been co-signed by two organisations yet.", icon=":material/info:")
        return
    _table(table)


def report_builder(ov: metrics.Overview, generated_by: str) -> Callable[[], str]:
    """A callable that builds the board report only when the download is clicked."""

    def build() -> str:
        figures = charts.overview_figures(ov)
        items = []
        for key, spec in charts.CHARTS.items():
            fig = figures[key]
            if fig is None:
                items.append(report.ReportChart(key, spec.name, None, spec.empty))
                continue
            title, subtitle, figure_json = charts.for_report(fig)
            items.append(report.ReportChart(key, title, figure_json, spec.empty, subtitle=tuple(subtitle)))
        return report.board_report_html(ov, items, generated_by=generated_by, generated_at=clock.now())

    return build


def report_download(p: metrics.Period, build: Callable[[], str]) -> None:
    """The board report's button; ``build`` runs only when it is clicked (every section, drawn
    or not, is in the report)."""
    st.download_button(
        "Board report (HTML)",
        data=build,
        file_name=f"board-report_{p.start.isoformat()}_to_{p.end.isoformat()}.html",
        mime="text/html",
        on_click="ignore",
        icon=":material/download:",
        help="This view (figures, charts, tables) as one HTML file that opens without internet and prints well.",
        key="ov_report",
    )
