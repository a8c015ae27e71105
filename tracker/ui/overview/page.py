"""The Overview: are we climbing the ladder? Filters in the sidebar, then the figures by theme."""

from __future__ import annotations

import streamlit as st

from tracker.domain import clock
from tracker.domain.models import User
from tracker.ui.kit.text import md

from . import data, widgets
from .filters import sidebar_filters


def overview_page(user: User) -> None:
    today = clock.today()
    filters = sidebar_filters(today)
    pkey = data.params_key(filters)
    view = data.view(pkey, today.isoformat())
    ov, period = view.ov, filters.period

    def chart(name: str) -> None:
        widgets.chart(name, view.figures[name], ov, pkey)

    def pair(left: str, right: str) -> None:
        one, two = st.columns(2)
        with one:
            chart(left)
        with two:
            chart(right)

    head, action = st.columns([4, 1], vertical_alignment="bottom")
    with head:
        st.title("Overview")
        st.caption(
            f"{md(period.label)}, compared with {md(period.prev_label)} · Issues: {md(filters.describe())} · "
            f"Figures as of {md(clock.format_date(today))}"
        )
    with action:
        widgets.report_download(ov, user.name)

    widgets.kpi_tiles(ov.kpis)

    st.header("Where we stand", divider="gray")
    pair("ladder", "relevance")

    st.header("Are we climbing?", divider="gray")
    chart("progression")
    pair("moves", "transitions")
    pair("time_on_rung", "activities")

    st.header("Consultations", divider="gray")
    left, right = st.columns(2)
    with left:
        chart("deadlines")
    with right:
        chart("response")
        widgets.response_area_table(view.response_areas, period.label)
    st.markdown("**Next deadlines**")
    widgets.upcoming_table(view.upcoming)

    st.header("Partners", divider="gray")
    chart("network")
    st.subheader("Who co-signs most often")
    widgets.pairs_table(view.pairs)

    st.header("Effort and funding", divider="gray")
    chart("effort")
