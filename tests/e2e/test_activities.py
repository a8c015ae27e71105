"""Recording an activity in the browser: the pickers add whom the user clicks, typed dates are kept."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from .helpers import choose, expect_cells, main, settle, tab_panel, visit


def _quick_entry(page: Page, base_url: str) -> Locator:
    visit(page, base_url, "/activities", user="officer")
    form = main(page)
    expect(form.get_by_label("Find contacts met")).to_be_visible()
    return form


def _chips(form: Locator, label: str) -> Locator:
    picker = form.get_by_test_id("stMultiSelect").filter(has=form.page.get_by_role("combobox", name=label, exact=True))
    return picker.get_by_role("button", name=re.compile("^Remove "))


def test_one_click_on_the_first_row_of_a_picker_adds_one_person(page: Page, base_url: str):
    form = _quick_entry(page, base_url)
    find = form.get_by_label("Find contacts met")
    find.fill("jans")
    find.press("Enter")
    settle(page)
    box = form.get_by_role("combobox", name="Contacts met", exact=True)
    box.click()
    rows = page.get_by_role("option")
    expect(rows.first).to_be_visible()
    assert not [t for t in rows.all_inner_texts() if t.lower().startswith("select")]
    first = rows.first.inner_text()
    rows.first.click()
    page.keyboard.press("Escape")
    settle(page)
    expect(_chips(form, "Contacts met")).to_have_count(1)
    expect(_chips(form, "Contacts met").first).to_have_accessible_name(f"Remove {first}")


def _type_date(field: Locator, digits: str) -> None:
    """Type a date as a person does: into its day, month and year segments, then leave the field."""
    field.get_by_role("spinbutton").first.click()
    field.page.keyboard.type(digits)
    field.page.keyboard.press("Tab")
    settle(field.page)


def _date_shown(field: Locator) -> str:
    return re.sub(r"\s", "", field.inner_text())


def test_a_typed_future_date_is_refused_at_the_field_and_stays_as_typed(page: Page, base_url: str):
    form = _quick_entry(page, base_url)
    date = form.get_by_label("Date", exact=True)
    _type_date(date, "04122026")  # a week after the server's today (27 Nov 2026)
    choose(form, "Type", "Meeting")
    form.get_by_label("Summary", exact=True).fill("E2E: dated in the future")
    form.get_by_role("button", name="Save activity").click()
    settle(page)
    expect(main(page)).to_contain_text("Not saved")
    expect(main(page)).to_contain_text("must be today (27 Nov 2026) or earlier")
    assert _date_shown(date) == "04/12/2026"
    expect(main(page)).not_to_contain_text("Recorded the")


def test_a_typed_follow_up_years_ahead_is_saved_as_typed(page: Page, base_url: str):
    form = _quick_entry(page, base_url)
    choose(form, "Type", "Meeting")
    form.get_by_label("Summary", exact=True).fill("E2E: follow up in 2040")
    follow = form.get_by_label("Follow-up date", exact=True)
    _type_date(follow, "01032040")
    assert _date_shown(follow) == "01/03/2040"
    form.get_by_role("button", name="Save activity").click()
    settle(page)
    expect(main(page)).to_contain_text("Recorded the ")
    log = tab_panel(page, "Log")
    cells = expect_cells(page, "E2E: follow up in 2040", scope=log)
    assert any("2040" in c for c in cells), cells
