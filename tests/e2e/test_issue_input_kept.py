"""On an issue, what the officer did stays in view: the tab they used, the date they typed.

Only the browser shows these: which tab is selected is the frontend's, and a date outside a
date field's range is refused there (the field turns red and the old value is sent)."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from .helpers import TODAY, create_issue, main, open_page, settle, submit, tab_panel, visit

RANGE = re.compile(r"Date — must be between \d{1,2} \w{3} \d{4} \(the previous stage change\) and today, 27 Nov 2026")


def _selected(page: Page, name: str) -> None:
    expect(page.get_by_role("tab", name=name, exact=True)).to_have_attribute("aria-selected", "true")


def _type_date(field: Locator, ddmmyyyy: str) -> None:
    """Type a date into a date field as a person would (select what is there, type over it)."""
    field.click()
    field.press("Control+a")
    field.press_sequentially(ddmmyyyy, delay=20)
    field.press("Enter")
    field.page.keyboard.press("Escape")
    settle(field.page)


def _new_issue(page: Page, base_url: str, title: str) -> int:
    visit(page, base_url, "/", user="officer")
    open_page(page, "Issues")
    return create_issue(page, title)


def test_after_a_save_then_an_invalid_link_the_edit_tab_stays_open_with_the_error(page: Page, base_url: str):
    _new_issue(page, base_url, "E2E tabs: edit twice")
    edit = tab_panel(page, "Edit")
    edit.get_by_label("Summary", exact=True).fill("First wording")
    submit(page, edit.get_by_role("button", name="Save changes"))
    expect(main(page)).to_contain_text("Saved: Summary.")
    _selected(page, "Edit")

    edit = page.get_by_role("tabpanel", name="Edit", exact=True)
    edit.get_by_label("Reference link", exact=True).fill("not a link")
    submit(page, edit.get_by_role("button", name="Save changes"))
    _selected(page, "Edit")
    expect(edit.get_by_text(re.compile("Not saved. Please check: Reference link"))).to_be_visible()


def test_after_a_move_then_a_move_down_without_reason_the_move_tab_stays_open_with_the_error(page: Page, base_url: str):
    _new_issue(page, base_url, "E2E tabs: move up then down")
    move = tab_panel(page, "Move to stage…")
    move.get_by_label("Evidence reference", exact=True).fill("Briefing note BN-1")
    submit(page, move.get_by_role("button", name="Record stage change"))
    expect(main(page)).to_contain_text("Moved from Watching to Awareness-raising")
    _selected(page, "Move to stage…")

    move = page.get_by_role("tabpanel", name="Move to stage…", exact=True)
    move.get_by_role("combobox", name="New stage", exact=True).click()
    page.get_by_role("option", name="↓ Watching", exact=True).click()
    settle(page)
    submit(page, move.get_by_role("button", name="Record stage change"))
    _selected(page, "Move to stage…")
    expect(move.get_by_text("a move down the ladder needs the reason", exact=True)).to_be_visible()


def test_a_move_dated_before_the_previous_change_is_refused_with_the_range_and_not_saved(page: Page, base_url: str):
    _new_issue(page, base_url, "E2E dates: too early")
    move = tab_panel(page, "Move to stage…")
    move.get_by_label("Evidence reference", exact=True).fill("Briefing note BN-2")
    _type_date(move.get_by_label("Date", exact=True), "01/01/2020")
    submit(page, move.get_by_role("button", name="Record stage change"))
    expect(move.get_by_text(RANGE).first).to_be_visible()
    # The field still shows the refused date (never swapped for today).
    expect(move.get_by_test_id("stDateInput").locator("input[type=date]")).to_have_value(re.compile("^2020-"))
    expect(main(page)).not_to_contain_text("Moved from Watching")
    timeline = tab_panel(page, "Timeline")
    expect(timeline).not_to_contain_text("Awareness-raising")


def test_a_move_dated_in_the_future_is_refused_with_the_range_and_not_saved(page: Page, base_url: str):
    _new_issue(page, base_url, "E2E dates: future")
    move = tab_panel(page, "Move to stage…")
    move.get_by_label("Evidence reference", exact=True).fill("Briefing note BN-3")
    _type_date(move.get_by_label("Date", exact=True), "01/01/2027")
    submit(page, move.get_by_role("button", name="Record stage change"))
    expect(move.get_by_text(RANGE).first).to_be_visible()
    expect(main(page)).not_to_contain_text("Moved from Watching")


def test_a_review_date_out_of_range_is_refused_at_the_field_and_not_saved(page: Page, base_url: str):
    _new_issue(page, base_url, "E2E dates: review")
    edit = tab_panel(page, "Edit")
    _type_date(edit.get_by_label("Next review", exact=True), "01/01/2090")
    submit(page, edit.get_by_role("button", name="Save changes"))
    expect(edit.get_by_text(re.compile(r"Next review — must be between 1 Jan 2000 and")).first).to_be_visible()
    expect(main(page)).not_to_contain_text("Saved:")


def test_a_typed_review_date_is_saved_as_typed(page: Page, base_url: str):
    _new_issue(page, base_url, "E2E dates: review kept")
    edit = tab_panel(page, "Edit")
    _type_date(edit.get_by_label("Next review", exact=True), "15/03/2031")
    submit(page, edit.get_by_role("button", name="Save changes"))
    expect(main(page)).to_contain_text("Saved: Next review.")
    expect(main(page)).to_contain_text("Next review: 15 Mar 2031")
    assert TODAY == "2026-11-27"
