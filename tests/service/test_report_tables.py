"""The board report's tables read as the Overview's: same headings, same column headers."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from tracker.services import metrics, report
from tracker.ui.overview import tables

TODAY = dt.date(2026, 11, 27)


class _Tables(HTMLParser):
    """The header row of every table in a page, with the h2 heading before it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, list[str]] = {}
        self._heading = ""
        self._in: str | None = None
        self._current: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag in ("h2", "th"):
            self._in = tag
            if tag == "h2":
                self._heading = ""
        if tag == "table":
            self._current = []

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == self._in:
            self._in = None
        if tag == "thead":
            self.found[self._heading] = self._current

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._in == "h2":
            self._heading += data
        elif self._in == "th":
            self._current.append(data)


def _report_tables(ov: metrics.Overview) -> dict[str, list[str]]:
    parser = _Tables()
    parser.feed(
        report.board_report_html(ov, [], generated_by="Daniel Director", generated_at=dt.datetime(2026, 11, 27))
    )
    return parser.found


def test_report_tables_have_the_overviews_headers_and_headings(demo_db):
    ov = metrics.overview(demo_db, metrics.Filters(metrics.make_period("12m", TODAY)), TODAY)
    found = _report_tables(ov)
    on_screen = {
        report.UPCOMING_TITLE: tables.upcoming(ov.upcoming),
        f"{report.RESPONSE_AREA_TITLE}, {ov.filters.period.label}": tables.response_areas(ov.response_areas),
        report.PAIRS_TITLE: tables.pairs(ov.top_pairs),
    }
    for heading, table in on_screen.items():
        assert not table.empty, heading  # the demo data fills every table
        assert found[heading] == list(table.columns), heading


def test_no_report_table_repeats_a_header(demo_db):
    ov = metrics.overview(demo_db, metrics.Filters(metrics.make_period("12m", TODAY)), TODAY)
    for heading, headers in _report_tables(ov).items():
        assert len(set(headers)) == len(headers), (heading, headers)
