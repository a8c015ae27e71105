"""The director's Overview: every chart drawn, filters move the tiles, drill down, board report."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tracker.charts import CHARTS
from tracker.ui.overview.page import FIRST, LATER

from .helpers import choose, click_bar, main, settle, sign_in, sign_in_form_shown, visit

LADDER = CHARTS["ladder"].name
ALL_OPEN = "?" + "&".join(f"{s.key}=true" for s in LATER)


def _tiles(page: Page) -> list[str]:
    return [t.replace("\n", " ") for t in page.get_by_test_id("stMetric").all_inner_texts()]


def _open_overview(page: Page, base_url: str, path: str = "/" + ALL_OPEN) -> None:
    visit(page, base_url, path, user="director")
    charts = len(CHARTS) if path.endswith(ALL_OPEN) else len(FIRST.charts)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(charts)


def _issue_links(page: Page, stage: str) -> Locator:
    """The drill-down's links to issues on ``stage`` (in the dialog the selection opens)."""
    return (
        page.get_by_role("dialog")
        .get_by_role("link")
        .filter(has=page.get_by_text(re.compile(f" — {re.escape(stage)}")))
    )


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
    links = _issue_links(page, "Policy uptake")
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


def test_a_selection_survives_back_forward_and_reload_and_its_list_is_brought_into_view(page: Page, base_url: str):
    _open_overview(page, base_url, "/")
    ladder = page.get_by_test_id("stPlotlyChart").filter(has_text=LADDER)
    links = _issue_links(page, "Formal input")
    click_bar(page, ladder, "Formal input", until=links.first)
    expect(page).to_have_url(re.compile(r"drill=ladder"))
    expect(links.first).to_be_in_viewport()  # the list opens in a dialog, wherever the chart is
    count = links.count()

    page.go_back()
    settle(page)
    expect(links).to_have_count(0)
    expect(page).not_to_have_url(re.compile(r"drill="))

    page.go_forward()
    settle(page)
    expect(links).to_have_count(count)
    expect(page).to_have_url(re.compile(r"drill=ladder"))

    page.reload()
    settle(page)
    if sign_in_form_shown(page):  # the sign-in keeps the address, and with it the selection
        sign_in(page, "director")
    expect(links).to_have_count(count)
    expect(page.get_by_role("dialog")).to_contain_text("Issues on Formal input today")

    page.keyboard.press("Escape")  # closing the list ends the selection
    settle(page)
    expect(links).to_have_count(0)
    expect(page).not_to_have_url(re.compile(r"drill="))
