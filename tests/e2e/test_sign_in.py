"""Sign-in in a real browser: each demo role sees exactly its pages; a wrong password is refused neutrally."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import ROLE_PAGES, main, nav, nav_labels, open_page, submit_sign_in, visit

NEUTRAL = "Unknown user or wrong password."


@pytest.mark.parametrize("username", list(ROLE_PAGES))
def test_each_demo_role_signs_in_and_sees_exactly_its_pages(page: Page, base_url: str, username: str):
    # Signed in on its last page (not the chart-heavy Overview) to keep the run short.
    last = ROLE_PAGES[username][-1]
    visit(page, base_url, "/admin" if last == "Admin" else "/import_export", user=username)
    expect(page.get_by_role("heading", name=last, exact=True)).to_be_visible()
    assert nav_labels(page) == ROLE_PAGES[username]
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Signed in as")
    expect(main(page).get_by_text("page needs the")).to_have_count(0)
    open_page(page, "Joint positions")
    expect(main(page).get_by_text("page needs the")).to_have_count(0)


def test_director_opening_the_admin_url_is_refused(page: Page, base_url: str):
    visit(page, base_url, "/admin", user="director")
    expect(main(page)).to_contain_text("The Admin page needs the Admin role; you are signed in as")
    assert "Admin" not in nav_labels(page)


@pytest.mark.parametrize("username", ["officer", "nobody"])
def test_wrong_password_or_unknown_user_shows_the_same_neutral_message(page: Page, base_url: str, username: str):
    visit(page, base_url, "/")
    submit_sign_in(page, username, "not-the-password")
    expect(page.get_by_test_id("stAlertContentError")).to_have_text(NEUTRAL)
    expect(nav(page)).to_have_count(0)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
