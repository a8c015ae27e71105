"""The Overview page (AppTest): a director sees every tile and chart; filters live in the URL."""

from __future__ import annotations

from tracker import charts

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


def test_director_sees_every_tile_and_chart(app_for):
    at = app_for("director", query={"period": "12m"})
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
    at = app_for("director")
    assert not at.exception
    assert not at.get("plotly_chart")
    said = {i.value for i in at.info}
    assert {charts.CHARTS[k].empty for k in ("ladder", "progression", "network", "effort", "deadlines")} <= said
