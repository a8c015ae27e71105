"""Overview: the directors' page and the app's entry point. Are we climbing the ladder?"""

import streamlit as st

from tracker.domain import clock
from tracker.ui.kit.text import md
from tracker.ui.overview import data as overview_data
from tracker.ui.overview import widgets as overview_widgets
from tracker.ui.overview.filters import sidebar_filters
from tracker.ui.shell.frame import page_frame

user = page_frame("Overview")

today = clock.today()
filters = sidebar_filters(today)
pkey = overview_data.params_key(filters)
view = overview_data.view(pkey, today.isoformat())
ov, figs = view.ov, view.figures
period = filters.period

head, action = st.columns([4, 1], vertical_alignment="bottom")
with head:
    st.title("Overview")
    st.caption(
        f"{md(period.label)}, compared with {md(period.prev_label)} · Issues: {md(filters.describe())} · "
        f"Figures as of {md(clock.format_date(today))}"
    )
with action:
    overview_widgets.report_download(ov, user.name)

overview_widgets.kpi_tiles(ov.kpis)

st.header("Where we stand", divider="gray")
left, right = st.columns(2)
with left:
    overview_widgets.chart("ladder", figs["ladder"], ov, pkey)
with right:
    overview_widgets.chart("relevance", figs["relevance"], ov, pkey)

st.header("Are we climbing?", divider="gray")
overview_widgets.chart("progression", figs["progression"], ov, pkey)
left, right = st.columns(2)
with left:
    overview_widgets.chart("moves", figs["moves"], ov, pkey)
with right:
    overview_widgets.chart("transitions", figs["transitions"], ov, pkey)
left, right = st.columns(2)
with left:
    overview_widgets.chart("time_on_rung", figs["time_on_rung"], ov, pkey)
with right:
    overview_widgets.chart("activities", figs["activities"], ov, pkey)

st.header("Consultations", divider="gray")
left, right = st.columns(2)
with left:
    overview_widgets.chart("deadlines", figs["deadlines"], ov, pkey)
with right:
    overview_widgets.chart("response", figs["response"], ov, pkey)
    overview_widgets.response_area_table(view.response_areas, period.label)
st.markdown("**Next deadlines**")
overview_widgets.upcoming_table(view.upcoming)

st.header("Partners", divider="gray")
overview_widgets.chart("network", figs["network"], ov, pkey)
st.subheader("Who co-signs most often")
overview_widgets.pairs_table(view.pairs)

st.header("Effort and funding", divider="gray")
overview_widgets.chart("effort", figs["effort"], ov, pkey)
