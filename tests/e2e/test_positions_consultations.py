"""Typed dates in the browser on Joint positions and Consultations: a date a person types is
saved or refused in words at the field, never replaced; the page stays on the tab used."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tracker.domain import clock
from tracker.services import accounts
from tracker.services import consultations as consultation_service
from tracker.services import joint_positions as jp
from tracker.store import Database

from .helpers import TODAY, Server, build_demo_db, main, settle, tab_panel, visit

DAY = dt.date.fromisoformat(TODAY)


def _type_date(field: Locator, digits: str) -> None:
    """Type a date as a person does: into its day, month and year segments, then close the
    calendar that opened and leave the field."""
    field.get_by_role("spinbutton").first.click()
    field.page.keyboard.type(digits)
    field.page.keyboard.press("Escape")
    field.page.evaluate("() => document.activeElement instanceof HTMLElement && document.activeElement.blur()")
    settle(field.page)


def _date_shown(field: Locator) -> str:
    return re.sub(r"\s", "", field.inner_text())


def _selected_tab(page: Page) -> str:
    return page.get_by_role("tab", selected=True).inner_text().strip()


@pytest.fixture
def prepared(tmp_path: Path, start_server: Callable[..., Server]) -> tuple[Server, int, int]:
    """A server on a demo database with a position ready to publish and an open consultation."""
    path = build_demo_db(tmp_path / "tracker.duckdb")
    clock.set_today(DAY)
    db = Database.open(path)
    try:
        officer = accounts.get_user(db, "officer")
        assert officer is not None
        position = jp.create(db, officer, {"title": "E2E: paper to publish"})
        jp.add_signatory(db, officer, position.id, {"organisation_id": 2, "status": "agreed", "status_date": DAY})
        consultation = consultation_service.create(
            db,
            officer,
            {
                "title": "E2E: consultation to answer",
                "authority": "European Commission",
                "opens": DAY - dt.timedelta(days=20),
                "closes": DAY + dt.timedelta(days=20),
            },
        )
    finally:
        db.close()
    return start_server(path), position.id, consultation.id


def test_a_typed_publication_date_is_refused_in_words_then_saved_as_typed(page: Page, prepared):
    server, position_id, _ = prepared
    visit(page, server.url, f"/joint_positions?position={position_id}", user="officer")
    status = tab_panel(page, "Status")
    published_on = status.get_by_label("Published on", exact=True)
    _type_date(published_on, "04122026")  # a week after the server's today (27 Nov 2026)
    assert _date_shown(published_on) == "04/12/2026"
    status.get_by_role("button", name="Publish…").click()
    settle(page)
    expect(status).to_contain_text("cannot be undone")
    status.get_by_role("button", name="Yes, publish").click()
    settle(page)
    expect(status).to_contain_text("4 Dec 2026 is in the future: it must be today (27 Nov 2026) or earlier")
    assert _date_shown(status.get_by_label("Published on", exact=True)) == "04/12/2026"
    assert _selected_tab(page) == "Status"
    expect(main(page)).not_to_contain_text("Published 27 Nov 2026")

    _type_date(status.get_by_label("Published on", exact=True), "09032014")  # twelve years back
    status.get_by_role("button", name="Publish…").click()
    settle(page)
    status.get_by_role("button", name="Yes, publish").click()
    settle(page)
    expect(main(page)).to_contain_text("Published 9 Mar 2014")
    assert _selected_tab(page) == "Status"


def test_a_typed_submission_date_is_refused_in_words_then_saved_as_typed(page: Page, prepared):
    server, _, consultation_id = prepared
    visit(page, server.url, f"/consultations?consultation={consultation_id}", user="officer")
    response = tab_panel(page, "Our response")
    response.get_by_role("combobox", name="Our response", exact=True).click()
    page.get_by_role("option", name="Submitted", exact=True).click()
    submitted_on = response.get_by_label("Submitted on", exact=True)
    _type_date(submitted_on, "01122026")
    response.get_by_label("Feedback reference", exact=True).fill("F2026")
    response.get_by_role("button", name="Save response").click()
    settle(page)
    expect(response).to_contain_text("1 Dec 2026 is in the future: it must be between 7 Nov 2026 (the opening date)")
    assert _date_shown(response.get_by_label("Submitted on", exact=True)) == "01/12/2026"
    assert _selected_tab(page) == "Our response"

    _type_date(response.get_by_label("Submitted on", exact=True), "20112026")
    response.get_by_role("button", name="Save response").click()
    settle(page)
    expect(main(page)).to_contain_text("Response saved")
    expect(main(page)).to_contain_text("20 Nov 2026")
    assert _selected_tab(page) == "Our response"
