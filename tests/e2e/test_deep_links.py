"""On a fresh server, a signed-out deep link shows only the sign-in; signing in keeps the URL."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tracker.store import Database

from .helpers import PAGE_PATHS, Server, build_demo_db, main, nav, settle, sign_in

DATA_ELEMENTS = ["stDataFrame", "stTable", "stPlotlyChart", "stMetric", "stDownloadButton", "stFileUploader"]


def _demo_text(db_path: Path) -> tuple[list[str], str]:
    """Every issue title and organisation name, and issue 3's title."""
    db = Database.open(db_path)
    try:
        titles = [r[0] for r in db.read("SELECT title FROM issues ORDER BY id")]
        names = [r[0] for r in db.read("SELECT name FROM organisations ORDER BY id")]
        issue3 = db.read("SELECT title FROM issues WHERE id = 3")[0][0]
    finally:
        db.close()
    return titles + names, issue3


def test_signed_out_deep_links_show_only_the_sign_in_then_land_on_the_linked_issue(
    page: Page, start_server: Callable[..., Server], tmp_path: Path
):
    db_path = build_demo_db(tmp_path / "fresh.duckdb")
    secrets, issue3 = _demo_text(db_path)
    server = start_server(db_path)

    # The first request this server ever sees is a deep link (pitfall 1).
    for path in ["/issues?issue=3", *[p for p in PAGE_PATHS if p != "/"]]:
        page.goto(server.url + path)
        settle(page)
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        expect(page.get_by_label(re.compile("^Username"))).to_be_visible()
        expect(page.get_by_label(re.compile("^Password"))).to_be_visible()
        expect(nav(page)).to_have_count(0)
        for testid in DATA_ELEMENTS:
            expect(page.get_by_test_id(testid), f"{testid} on {path}").to_have_count(0)
        body = page.inner_text("body")
        leaked = [s for s in secrets if s in body]
        assert leaked == [], f"{path} shows data while signed out: {leaked[:3]}"

    page.goto(server.url + "/issues?issue=3")
    settle(page)
    sign_in(page, "officer")
    assert re.search(r"/issues\?(.*&)?issue=3\b", page.url), page.url
    expect(page.get_by_role("heading", name=issue3, exact=True)).to_be_visible()
    expect(main(page)).to_contain_text("#3 · Stage:")
