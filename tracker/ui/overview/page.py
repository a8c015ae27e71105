"""The Overview: are we climbing the ladder? Filters in the sidebar, then the figures by theme.

The first section ("Where we stand") is drawn at once; the others are expanders whose charts
are built and sent only once opened, so signing in shows a drawn page fast. Which sections are
open is part of the address (like the filters and the drill-down), so Back, a reload or a
shared link reopens them.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from tracker import charts
from tracker.domain import clock
from tracker.domain.models import User
from tracker.ui.kit.text import md

from . import data, selection, widgets
from .filters import sidebar_filters


@dataclass(frozen=True)
class Section:
    key: str  # also its query parameter when open
    title: str
    charts: tuple[str, ...]


FIRST = Section("stand", "Where we stand", ("ladder", "relevance"))
LATER = (
    Section(
        "climbing",
        "Are we climbing? · month by month, moves, time on each rung, activities",
        ("progression", "moves", "transitions", "time_on_rung", "activities"),
    ),
    Section("consultations", "Consultations · deadlines ahead, response rate", ("deadlines", "response")),
    Section("partners", "Partners · who co-signs with whom", ("network",)),
    Section("effort", "Effort and funding", ("effort",)),
)
SECTIONS = (FIRST, *LATER)
assert sorted(c for s in SECTIONS for c in s.charts) == sorted(charts.CHARTS), "every chart in one section"


def overview_page(user: User) -> None:
    today = clock.today()
    filters = sidebar_filters(today)
    pkey = data.params_key(filters)
    head, period = data.head(pkey, today.isoformat()), filters.period
    sel = selection.current(charts.CHARTS, pkey)

    def full() -> data.View:  # the other sections' aggregates: only once one of them is open
        return data.view(pkey, today.isoformat())

    for section in LATER:  # a link to a selection opens the section that shows it
        if sel.chart in section.charts and not st.session_state.get(section.key):
            st.session_state[section.key] = True

    def chart(name: str) -> None:
        ov = head if name in charts.FIRST else full().ov
        widgets.chart(name, data.figure(pkey, today.isoformat(), name), ov, pkey, sel)

    def pair(left: str, right: str) -> None:
        one, two = st.columns(2)
        with one:
            chart(left)
        with two:
            chart(right)

    title, action = st.columns([4, 1], vertical_alignment="bottom")
    with title:
        st.title("Overview")
        st.caption(
            f"{md(period.label)}, compared with {md(period.prev_label)} · Issues: {md(filters.describe())} · "
            f"Figures as of {md(clock.format_date(today))}"
        )
    with action:
        widgets.report_download(period, lambda: widgets.report_builder(full().ov, user.name)())

    widgets.kpi_tiles(head.kpis)

    st.header(FIRST.title, divider="gray")
    pair("ladder", "relevance")

    st.caption("Open a section to see its charts.")
    climbing, consultations, partners, effort = (
        st.expander(s.title, key=s.key, bind="query-params", icon=":material/bar_chart:") for s in LATER
    )
    if climbing.open:
        with climbing:
            chart("progression")
            pair("moves", "transitions")
            pair("time_on_rung", "activities")
    if consultations.open:
        with consultations:
            chart("deadlines")
            chart("response")
            widgets.response_area_table(full().response_areas, period.label)
            widgets.upcoming_table(full().upcoming)
    if partners.open:
        with partners:
            chart("network")
            widgets.pairs_table(full().pairs)
    if effort.open:
        with effort:
            chart("effort")
