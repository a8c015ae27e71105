"""The board report download: one valid, self-contained HTML file with every chart and escaped user text."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest

from tests.conftest import DemoTemplate, copy_of
from tracker import charts
from tracker.services import metrics
from tracker.store import Database
from tracker.ui.overview.widgets import report_builder

TODAY = dt.date(2026, 11, 27)
EVIL = '<script>alert("x")</script> **bold** & co'
VOID = {"meta", "br", "img", "input", "link", "hr", "col", "area", "base", "source", "wbr", "track", "embed"}


class _Checker(HTMLParser):
    """Collects text and checks that every non-void element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.scripts: list[dict] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag == "script":
            self.scripts.append(dict(attrs))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with {self.stack[-3:]} open")
        else:
            self.stack.pop()

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if not self.stack or self.stack[-1] != "script":
            self.text.append(data)


@pytest.fixture(scope="module")
def report(
    tmp_path_factory: pytest.TempPathFactory, demo_template: DemoTemplate
) -> Iterator[tuple[str, metrics.Overview]]:
    """Built once: the report of the last 12 months on demo data with hostile names."""
    db = Database.open(copy_of(demo_template(), tmp_path_factory.mktemp("report") / "demo.duckdb"))
    db.write(lambda tx: tx.execute("UPDATE consultations SET title = ? WHERE id = 1", [EVIL]))
    db.write(
        lambda tx: tx.execute(
            "UPDATE organisations SET name = ? WHERE id IN "
            "(SELECT organisation_id FROM signatories WHERE status = 'agreed' LIMIT 1)",
            [EVIL],
        )
    )
    ov = metrics.overview(db, metrics.Filters(metrics.make_period("12m", TODAY)), TODAY)
    yield report_builder(ov, "Daniel <Director>")(), ov
    db.close()


def test_report_is_well_formed_html(report):
    html, _ = report
    assert html.startswith("<!DOCTYPE html>")
    checker = _Checker()
    checker.feed(html)
    checker.close()
    assert checker.errors == [] and checker.stack == []


def test_report_contains_every_chart_title_and_kpi(report):
    html, ov = report
    figures = charts.overview_figures(ov)
    checker = _Checker()
    checker.feed(html)
    text = " ".join(checker.text)
    for key, fig in figures.items():
        title = charts.title_of(fig) or charts.CHARTS[key].name
        assert title in text, key
    for k in ov.kpis:
        assert k.label in text and k.value_text in text
    assert ov.filters.period.label in text


def test_report_draws_every_chart_interactively_without_internet(report):
    html, ov = report
    checker = _Checker()
    checker.feed(html)
    assert all("src" not in attrs for attrs in checker.scripts)  # nothing fetched from elsewhere
    assert "Plotly.newPlot" in html and len(html) > 3_000_000  # plotly.js itself is inlined
    drawn = re.findall(r'Plotly\.newPlot\("chart-\d+",', html)
    assert len(drawn) == sum(f is not None for f in charts.overview_figures(ov).values())


def test_user_text_is_escaped_in_tables_and_charts(report):
    html, _ = report
    assert EVIL not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; **bold** &amp; co" in html  # the deadlines table
    assert "Daniel &lt;Director&gt;" in html
    # Inside a chart's JSON no "<" survives, so no label can close the script element.
    for block in re.findall(r"var f=(\{.*?\});Plotly", html):
        assert "<" not in block
        json.loads(block)
