"""Editors at work on the Issues page: create, climb the ladder, collide with a colleague."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tracker.charts import CHARTS

from .helpers import click_bar, create_issue, expect_cells, kpi, ladder_total, main, open_page, submit, tab_panel, visit

TITLE = "E2E: Notified body fees for SMEs"
LADDER = CHARTS["ladder"].name


def test_officer_creates_an_issue_and_moves_it_up_a_rung_with_evidence(page: Page, base_url: str):
    visit(page, base_url, "/", user="officer")  # an officer lands on My work
    open_page(page, "Overview")
    expect(page.get_by_test_id("stMetric").first).to_be_visible()
    active, on_ladder = kpi(page, "Active issues"), ladder_total(page)
    open_page(page, "Issues")
    issue_id = create_issue(page, TITLE)
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(main(page)).to_contain_text(f"#{issue_id} · Stage: Watching")

    move = tab_panel(page, "Move to stage…")
    expect(move.get_by_label("New stage")).to_have_value("↑ Awareness-raising")
    move.get_by_label("Evidence reference", exact=True).fill("Briefing note BN-2026-41 to members")
    submit(page, move.get_by_role("button", name="Record stage change"))
    expect(main(page)).to_contain_text("Moved from Watching to Awareness-raising")
    expect(main(page)).to_contain_text(f"#{issue_id} · Stage: Awareness-raising since")

    timeline = tab_panel(page, "Timeline")
    expect_cells(
        page,
        "Stage ↑ Watching → Awareness-raising",
        "Briefing note BN-2026-41 to members",
        "Olivia Officer",
        scope=timeline,
    )

    open_page(page, "Overview")
    expect(page.get_by_test_id("stMetric").first).to_be_visible()
    assert (kpi(page, "Active issues"), ladder_total(page)) == (active + 1, on_ladder + 1)
    # The issues behind the bar open in a dialog over the page.
    ours = page.get_by_role("dialog").get_by_role("link", name=re.compile(re.escape(TITLE) + " — Awareness-raising"))
    click_bar(page, page.get_by_test_id("stPlotlyChart").filter(has_text=LADDER), "Awareness-raising", until=ours)


def _open_edit(page: Page, base_url: str, user: str, issue_id: int):
    visit(page, base_url, f"/issues?issue={issue_id}", user=user)
    return tab_panel(page, "Edit")


def test_second_save_of_the_same_issue_shows_the_conflict_and_keeps_the_first_edit(
    new_page: Callable[[], Page], base_url: str
):
    first, second = new_page(), new_page()
    issue_id = 7
    edit_first = _open_edit(first, base_url, "officer", issue_id)
    edit_second = _open_edit(second, base_url, "admin", issue_id)
    before = edit_first.get_by_label("Title", exact=True).input_value()

    edit_first.get_by_label("Title", exact=True).fill(before + " (officer's wording)")
    submit(first, edit_first.get_by_role("button", name="Save changes"))
    expect(main(first)).to_contain_text("Saved: Title.")

    edit_second.get_by_label("Title", exact=True).fill(before + " (admin's wording)")
    submit(second, edit_second.get_by_role("button", name="Save changes"))
    expect(main(second)).to_contain_text(
        re.compile(
            r"This issue was changed by Olivia Officer at \d{1,2} \w{3} \d{4} \d\d:\d\d — review their changes\."
        )
    )
    # The page now shows the saved issue, read back from the database: the first edit.
    expect(second.get_by_role("heading", name=before + " (officer's wording)")).to_be_visible()
    expect(second.get_by_role("heading", name=re.compile("admin's wording"))).to_have_count(0)
