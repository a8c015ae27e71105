"""The Plotly builders: titled, labelled, theme-neutral, one colour per rung, words when empty."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest

from tests.conftest import DemoTemplate, copy_of
from tracker import charts
from tracker.domain.enums import STAGE_COLOURS, Stage
from tracker.services import metrics
from tracker.services.metrics import DrillTarget
from tracker.store import Database

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def overview(tmp_path_factory: pytest.TempPathFactory, demo_template: DemoTemplate) -> Iterator[metrics.Overview]:
    db = Database.open(copy_of(demo_template(), tmp_path_factory.mktemp("charts") / "demo.duckdb"))
    yield metrics.overview(db, metrics.Filters(metrics.make_period("12m", TODAY)), TODAY)
    db.close()


@pytest.fixture(scope="module")
def figures(overview) -> dict:  # type: ignore[no-untyped-def]
    return charts.overview_figures(overview)


def test_every_chart_is_drawn_from_demo_data(figures):
    assert set(figures) == set(charts.CHARTS)
    assert all(f is not None for f in figures.values())


def test_every_chart_has_a_title_a_subtitle_and_labelled_axes(figures):
    for key, fig in figures.items():
        assert fig.layout.title.text and fig.layout.title.subtitle.text, key
        for axis in (fig.layout.xaxis, fig.layout.yaxis):
            if axis.visible is not False:
                assert axis.title.text, key


def test_charts_leave_backgrounds_and_text_colours_to_the_theme(figures):
    for key, fig in figures.items():
        assert fig.layout.paper_bgcolor == "rgba(0,0,0,0)" and fig.layout.plot_bgcolor == "rgba(0,0,0,0)", key
        assert fig.layout.font.color is None and fig.layout.title.font.color is None, key


def test_rungs_have_the_same_colour_on_every_chart(figures):
    assert list(figures["ladder"].data[0].marker.color) == [STAGE_COLOURS[s] for s in Stage]
    assert {t.name: t.line.color for t in figures["progression"].data} == {s.label: s.colour for s in Stage}
    effort = {t.name.split(" (")[0]: t.marker.color for t in figures["effort"].data}
    assert all(effort[s.label] == s.colour for s in Stage if s.label in effort)
    relevance = figures["relevance"].data[0]
    assert all(c == Stage.from_label(x).colour for x, c in zip(relevance.x, relevance.marker.color, strict=True))


def test_every_selectable_point_carries_a_drill_target(figures):
    for key, fig in figures.items():
        carrying = [t for t in fig.data if t.customdata is not None]
        assert carrying, key
        for trace in carrying:
            for cd in trace.customdata:
                assert DrillTarget.decode(cd[0]) is not None, (key, cd)


def test_png_download_is_named_after_the_chart_and_period(overview):
    p = overview.filters.period
    config = charts.png_config(charts.filename("time_on_rung", overview))
    assert config["toImageButtonOptions"]["filename"] == f"time-on-rung_{p.start}_to_{p.end}"


def test_network_states_its_cap():
    nodes = pd.DataFrame(
        {"org_id": [1, 2], "name": ["A", "B"], "type": ["Cluster", "NGO"], "positions": [3, 2], "cosigned": [2, 2]}
    )
    edges = pd.DataFrame({"a": [1], "b": [2], "positions": [2]})
    fig = charts.network(nodes, edges, total=40, cap=2, end=TODAY)
    assert "top 2 of 40" in fig.layout.title.subtitle.text.replace("<br>", " ")


def test_user_text_in_labels_is_escaped_for_plotly():
    nodes = pd.DataFrame(
        {
            "org_id": [1, 2],
            "name": ['<a href="javascript:x">Evil</a>', "<b>Bold</b>"],
            "type": ["Cluster", "<i>t</i>"],
            "positions": [1, 1],
            "cosigned": [1, 1],
        }
    )
    fig = charts.network(nodes, pd.DataFrame({"a": [1], "b": [2], "positions": [1]}), 2, 25, TODAY)
    dots = fig.data[-1]
    assert [cd[5] for cd in dots.customdata] == [
        '&lt;a href="javascript:x"&gt;Evil&lt;/a&gt;',
        "&lt;b&gt;Bold&lt;/b&gt;",
    ]
    # Shortened, then escaped: no markup survives, even cut in half.
    assert list(dots.text) == [charts.safe(charts.short('<a href="javascript:x">Evil</a>')), "&lt;b&gt;Bold&lt;/b&gt;"]
    assert "<" not in "".join(dots.text)


EMPTY = {
    "ladder": lambda: charts.ladder(pd.DataFrame({"stage": [], "issues": []}), TODAY),
    "progression": lambda: charts.progression(pd.DataFrame({"at": [], "stage": [], "issues": []}), [TODAY], "x"),
    "moves": lambda: charts.moves(pd.DataFrame({"month": [], "up": [], "down": []}), "x"),
    "transitions": lambda: charts.transitions(pd.DataFrame({"from_stage": [], "to_stage": [], "moves": []}), "x"),
    "time_on_rung": lambda: charts.time_on_rung(pd.DataFrame({"stage": []}), "x"),
    "relevance": lambda: charts.relevance(pd.DataFrame({"relevance": [], "stage": [], "issues": []})),
    "deadlines": lambda: charts.deadlines(pd.DataFrame({"week": [], "response_status": []}), TODAY, TODAY),
    "response": lambda: charts.response(pd.DataFrame({"year": []})),
    "network": lambda: charts.network(pd.DataFrame({"org_id": []}), pd.DataFrame(), 0, 25, TODAY),
    "effort": lambda: charts.effort(pd.DataFrame({"funding": [], "stage": [], "person_days": []}), "x"),
    "activities": lambda: charts.activities(pd.DataFrame({"month": []}), "x"),
}


@pytest.mark.parametrize("key", list(EMPTY))
def test_nothing_to_draw_gives_no_figure_and_a_sentence(key):
    assert EMPTY[key]() is None
    assert charts.CHARTS[key].empty.endswith(".")


def test_labels_on_rung_coloured_markers_stay_readable():
    assert charts.readable_on(STAGE_COLOURS[Stage.POLICY_UPTAKE]) == "#FFFFFF"
    assert charts.readable_on(STAGE_COLOURS[Stage.FORMAL_INPUT]) == "#1F2933"


def test_co_signers_sit_side_by_side_on_the_network_circle():
    # 1 signs most with 3, 3 with 4; 2 signs with nobody drawn: it comes last.
    assert charts.circle_order([1, 2, 3, 4], [(1, 3, 2), (3, 4, 1), (1, 4, 1)]) == [1, 3, 4, 2]
    assert charts.circle_order([5, 6], []) == [5, 6]


def test_legends_sit_at_the_foot_and_never_cover_the_title(figures):
    for key, fig in figures.items():
        if sum(1 for t in fig.data if t.showlegend is not False and t.name) < 2:
            continue
        legend = fig.layout.legend
        assert (legend.yref, legend.yanchor, legend.y) == ("container", "bottom", 0), key


def test_titles_and_subtitles_fit_a_phone(figures):
    for key, fig in figures.items():
        assert len(fig.layout.title.text) <= 40, key
        for line in fig.layout.title.subtitle.text.split("<br>"):
            assert len(line) <= charts.SUBTITLE_CHARS, (key, line)


def test_numbers_inside_bars_are_readable_on_their_bar(figures):
    for key in ("ladder", "moves"):
        for bar in figures[key].data:
            fills = bar.marker.color if isinstance(bar.marker.color, (list, tuple)) else [bar.marker.color] * len(bar.x)
            inks = bar.insidetextfont.color
            inks = inks if isinstance(inks, (list, tuple)) else [inks] * len(fills)
            for fill, ink in zip(fills, inks, strict=True):
                # 3:1 is WCAG's bar for large text; the numbers are 13 px on mid-tone rung colours
                # (the purple reaches 3.8:1 with either ink), so this asks for the better ink.
                assert charts.contrast(fill, ink) >= 3.5, (key, fill, ink)
                assert ink == charts.readable_on(fill)


def test_network_nodes_have_a_light_rim_for_dark_pages(figures):
    nodes = figures["network"].data[-1]
    assert nodes.marker.line.width >= 1 and "255, 255, 255" in nodes.marker.line.color


def test_the_response_rate_axis_keeps_its_percent_ticks(figures):
    rate_axis = figures["response"].layout.yaxis2
    assert rate_axis.tickformat is None and rate_axis.dtick is None
    assert list(rate_axis.tickvals) == [0, 25, 50, 75, 100] and rate_axis.ticksuffix == "%"
    assert figures["response"].layout.yaxis.tickformat == ",d"


def test_network_labels_are_short_and_the_hover_names_in_full():
    long_name = "Alpine Health Innovation Cluster of the Eastern Alps"
    nodes = pd.DataFrame(
        {
            "org_id": [1, 2],
            "name": [long_name, "B"],
            "type": ["Cluster", "NGO"],
            "positions": [3, 2],
            "cosigned": [2, 2],
        }
    )
    fig = charts.network(nodes, pd.DataFrame({"a": [1], "b": [2], "positions": [2]}), total=2, cap=2, end=TODAY)
    dots = fig.data[-1]
    assert all(len(t) <= charts.NODE_LABEL_CHARS for t in dots.text)
    assert dots.customdata[0][5] == long_name and "customdata[5]" in dots.hovertemplate


def test_the_response_rate_is_printed_under_its_year_not_over_the_bars(figures):
    fig = figures["response"]
    line = next(t for t in fig.data if t.name == "Response rate")
    assert "text" not in line.mode
    assert all("rate " in x for x in line.x if x)  # the demo has a rate for every year


def test_the_deadlines_axis_ends_after_the_last_deadline_not_at_the_window_end():
    week = dt.date(2026, 11, 30)
    df = pd.DataFrame({"week": [week], "response_status": ["drafting"], "consultations": [1]})
    fig = charts.deadlines(df, TODAY, TODAY + dt.timedelta(weeks=12))
    weeks = list(fig.data[0].x)
    assert weeks[-1] <= week + dt.timedelta(weeks=4)
    assert "none closes later" in fig.layout.title.subtitle.text.replace("<br>", " ")
    assert fig.layout.xaxis.dtick == 7 * 24 * 3600 * 1000  # a labelled tick per week
