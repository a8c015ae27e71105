"""The director's Overview: every chart drawn, filters move the tiles, drill down, board report."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tracker.charts import CHARTS

from .helpers import choose, click_bar, main, settle, visit

LADDER = CHARTS["ladder"].name


def _tiles(page: Page) -> list[str]:
    return [t.replace("\n", " ") for t in page.get_by_test_id("stMetric").all_inner_texts()]


def _open_overview(page: Page, base_url: str) -> None:
    visit(page, base_url, "/", user="director")
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(len(CHARTS))


def test_every_overview_chart_is_drawn(page: Page, base_url: str):
    _open_overview(page, base_url)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    drawn = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot')
    expect(drawn).to_have_count(len(CHARTS))
    for spec in CHARTS.values():
        expect(main(page).get_by_text(spec.empty, exact=True)).to_have_count(0)
    expect(page.get_by_test_id("stMetric")).to_have_count(7)


def test_a_filter_changes_the_kpi_tiles(page: Page, base_url: str):
    _open_overview(page, base_url)
    expect(page.get_by_test_id("stMetric").first).to_contain_text(re.compile(r"\d"))
    before = _tiles(page)
    choose(page.get_by_test_id("stSidebar"), "Policy area", "Public health")
    expect(main(page)).to_contain_text("Issues: policy area: Public health")
    after = _tiles(page)
    assert after != before
    assert re.search(r"area=Public(\+|%20)health", page.url), page.url


def test_clicking_a_bar_lists_its_issues_and_a_link_opens_the_issue(page: Page, base_url: str):
    _open_overview(page, base_url)
    ladder = page.get_by_test_id("stPlotlyChart").filter(has_text=LADDER)
    links = main(page).get_by_role("link").filter(has=page.get_by_text(re.compile(r" — Policy uptake")))
    click_bar(page, ladder, "Policy uptake", until=links.first)
    title = links.first.inner_text().split("\n")[-1].rsplit(" — ", 1)[0]
    links.first.click()
    settle(page)
    expect(page).to_have_url(re.compile(r"/issues\?issue=\d+$"))
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()


def test_board_report_downloads_as_html(page: Page, base_url: str):
    _open_overview(page, base_url)
    with page.expect_download() as info:
        page.get_by_role("button", name="Board report (HTML)").click()
    download = info.value
    assert re.fullmatch(r"board-report_\d{4}-\d\d-\d\d_to_\d{4}-\d\d-\d\d\.html", download.suggested_filename)
    html = open(download.path(), encoding="utf-8").read()
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "</html>" in html.lower()
    assert LADDER in html
