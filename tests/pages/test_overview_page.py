"""The Overview page (AppTest): a director sees every tile and chart; filters live in the URL."""

from __future__ import annotations

import json

from tracker import charts
from tracker.services import metrics, report
from tracker.services.metrics import DrillTarget
from tracker.ui.kit.text import md
from tracker.ui.overview.page import FIRST, LATER

KPI_LABELS = [
    "Active issues",
    "Active issues at rungs 4–5",
    "Issues that moved up",
    "Consultations due in 30 days",
    "Consultation response rate",
    "Joint positions published",
    "Active partner organisations",
]


def _qp(at, key):  # type: ignore[no-untyped-def]
    v = at.query_params.get(key)
    return v if isinstance(v, list) else ([v] if v is not None else [])


ALL_OPEN = {s.key: "true" for s in LATER}


def test_director_sees_every_tile_and_chart(app_for):
    at = app_for("director", query={"period": "12m", **ALL_OPEN})
    assert not at.exception, [e.value for e in at.exception]
    assert [m.label for m in at.metric] == KPI_LABELS
    assert all(m.help for m in at.metric)  # each tile carries its definition
    assert len(at.get("plotly_chart")) == len(charts.CHARTS)
    assert not at.info  # no chart fell back to its empty sentence
    assert [b.proto.label for b in at.get("download_button")] == ["Board report (HTML)"]


def test_filters_are_read_from_the_link(app_for):
    at = app_for("director", query={"period": "12m", "area": "Public health", "status": "active"})
    assert not at.exception
    assert at.selectbox(key="ov_f_period").value == "12m"
    assert at.multiselect(key="ov_f_area").value == ["Public health"]
    assert at.multiselect(key="ov_f_status").value == ["active"]
    assert "Public health" in at.caption[0].value and "Active" in at.caption[0].value


def test_changing_a_filter_updates_the_link(app_for):
    at = app_for("director")
    at.selectbox(key="ov_f_period").set_value("12m").run()
    at.multiselect(key="ov_f_area").select("Environment").run()
    assert not at.exception
    assert _qp(at, "period") == ["12m"]
    assert _qp(at, "area") == ["Environment"]


def test_a_broken_link_still_opens_a_sensible_view(app_for):
    at = app_for("director", query={"period": "decade", "level": "galactic", "from": "yesterday"})
    assert not at.exception
    assert at.selectbox(key="ov_f_period").value == "quarter"
    assert at.multiselect(key="ov_f_level").value == []


def test_custom_period_is_kept_in_the_link(app_for):
    at = app_for("director", query={"period": "custom", "from": "2026-01-01", "to": "2026-06-30"})
    assert not at.exception
    assert "1 Jan 2026 – 30 Jun 2026" in at.caption[0].value
    assert _qp(at, "from") == ["2026-01-01"] and _qp(at, "to") == ["2026-06-30"]


def test_without_data_each_chart_says_so_in_words(app_for, demo_db):
    def wipe(tx):  # type: ignore[no-untyped-def]
        for table in ("stage_events", "activities", "signatories", "consultations"):
            tx.execute(f"DELETE FROM {table}")

    demo_db.write(wipe)
    at = app_for("director", query=ALL_OPEN)
    assert not at.exception
    assert not at.get("plotly_chart")
    said = {i.value for i in at.info}
    assert {charts.CHARTS[k].empty for k in ("ladder", "progression", "network", "effort", "deadlines")} <= said


def _chart_count(at) -> int:  # type: ignore[no-untyped-def]
    return len(at.get("plotly_chart"))


def test_only_the_first_section_is_drawn_until_another_is_opened(app_for):
    at = app_for("director")
    assert not at.exception
    assert _chart_count(at) == len(FIRST.charts)  # the board report still covers every chart
    assert [e.label for e in at.expander][: len(LATER)] == [s.title for s in LATER]
    at = app_for("director", query={"partners": "true"})
    assert _chart_count(at) == len(FIRST.charts) + 1
    assert f"**{md(report.PAIRS_TITLE)}**" in [m.value for m in at.markdown]


def test_an_open_section_stays_open_when_a_filter_changes(app_for):
    at = app_for("director", query={"effort": "true"})
    at.multiselect(key="ov_f_area").select("Environment").run()
    assert not at.exception
    assert _qp(at, "effort") == ["true"] and _qp(at, "area") == ["Environment"]
    assert _chart_count(at) == len(FIRST.charts) + 1


def _issue_links(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.proto.label for e in at.get("page_link") if " — " in e.proto.label]


def test_a_selection_in_the_link_lists_its_issues_with_the_charts_label(app_for):
    pick = DrillTarget("stage", (3,)).encode()
    at = app_for("director", query={"drill": f"ladder~{pick}"})
    assert not at.exception
    links = _issue_links(at)
    assert links and all(" — Formal input" in label for label in links)
    assert any(m.value.startswith("**Issues on Formal input today**") for m in at.markdown)


def test_a_selection_on_a_later_chart_opens_its_section(app_for):
    pick = DrillTarget("transition", (3, 4)).encode()
    at = app_for("director", query={"period": "12m", "drill": f"transitions~{pick}"})
    assert not at.exception
    assert _chart_count(at) == len(FIRST.charts) + len(LATER[0].charts)
    assert _issue_links(at)


def test_changing_a_filter_ends_the_selection(app_for):
    at = app_for("director", query={"drill": "ladder~" + DrillTarget("stage", (3,)).encode()})
    assert _issue_links(at)
    at.selectbox(key="ov_f_period").set_value("12m").run()
    assert not _qp(at, "drill")
    assert not _issue_links(at)


def test_a_broken_selection_in_the_link_is_ignored(app_for):
    at = app_for("director", query={"drill": 'nonsense~["stage", 3]'})
    assert not at.exception
    assert not _issue_links(at)
    at = app_for("director", query={"drill": 'ladder~["stage", "x"]'})
    assert not at.exception
    assert not _issue_links(at)


def test_a_full_response_rate_is_not_drawn_as_an_alarm(app_for):
    at = app_for("director", query={"period": "12m", "consultations": "true"})
    rate = report.RESPONSE_AREA_HEADERS[-1]
    table = next(d for d in at.dataframe if rate in d.value.columns)
    assert table.value[rate].max() == 100  # the demo has a policy area with every consultation answered
    config = json.loads(table.proto.columns)[rate]
    assert config["type_config"]["color"] == charts.UP_COLOUR


def test_the_first_draw_waits_for_no_other_sections_aggregates(app_for, monkeypatch):
    def everything(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the first draw computed every section's aggregates")

    monkeypatch.setattr(metrics, "overview", everything)
    at = app_for("director")
    assert not at.exception, [e.value for e in at.exception]
    assert [m.label for m in at.metric] == KPI_LABELS
    assert _chart_count(at) == len(FIRST.charts)
