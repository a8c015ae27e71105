"""Sign-in that survives a reload, in a real browser, through ``streamlit run app.py`` (st.App):
an HttpOnly, signed, expiring cookie that sign-out and disabling revoke."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tracker.store import Database

from .helpers import ROOT, TODAY, Server, build_demo_db, main, nav, save_artifacts, settle, sign_in, sign_in_form_shown

COOKIE = "tracker_session"
MARKDOWN_NAME = "**Bold** :red[Red] [link](javascript:alert(1))"


@dataclass
class AppServer(Server):
    """Like the shared server fixture, but ``streamlit run app.py``: the st.App with our routes."""

    def start(self, timeout: float = 60) -> AppServer:
        env = dict(os.environ, TRACKER_DB=str(self.db_path), TRACKER_TODAY=TODAY)
        cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port)]
        cmd += ["--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"]
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"app.py did not become healthy in {timeout:.0f} s:\n{self.log_tail()}")


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    folder = tmp_path_factory.mktemp("e2e-app")
    path = build_demo_db(folder / "tracker.duckdb")
    db = Database.open(path)  # prepared before the server holds the file
    db.write(lambda tx: tx.execute("UPDATE users SET display_name = ? WHERE username = 'director'", [MARKDOWN_NAME]))
    # m.dubois signs in with the demo password too (the disabling test's own account).
    db.write(
        lambda tx: tx.execute(
            "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE username = 'officer') "
            "WHERE username = 'm.dubois'"
        )
    )
    db.close()
    server = AppServer(path, folder / "streamlit.log").start()
    yield server
    server.stop()


@pytest.fixture
def contexts(browser: Browser, request: pytest.FixtureRequest) -> Iterator[list[BrowserContext]]:
    made: list[BrowserContext] = []
    yield made
    failed = getattr(getattr(request.node, "e2e_call", None), "failed", False)
    for i, context in enumerate(made):
        if failed:
            for j, pg in enumerate(context.pages):
                save_artifacts(pg, f"{request.node.nodeid}-{i}-{j}")
        context.close()


def _page(browser: Browser, contexts: list[BrowserContext]) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    context.set_default_timeout(30_000)
    contexts.append(context)
    return context.new_page()


def _open(page: Page, url: str) -> None:
    page.goto(url)
    settle(page)
    expect(page.get_by_label(re.compile("^Username")).or_(nav(page).first)).to_be_visible()


def _session_cookie(page: Page) -> dict | None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        found = [c for c in page.context.cookies() if c["name"] == COOKIE]
        if found:
            return found[0]
        page.wait_for_timeout(200)
    return None


def _signed_in(page: Page, url: str, user: str) -> None:
    _open(page, url)
    sign_in(page, user)
    assert _session_cookie(page) is not None


def test_sign_in_survives_a_reload_and_a_new_tab(browser: Browser, contexts, app_server: AppServer):
    page = _page(browser, contexts)
    _signed_in(page, f"{app_server.url}/issues?issue=3", "officer")
    cookie = _session_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["expires"] > time.time() + 3600
    assert cookie["value"].startswith("v1.")
    page.reload()
    settle(page)
    expect(nav(page).first).to_be_visible()
    assert not sign_in_form_shown(page) and page.url.endswith("/issues?issue=3")
    tab = page.context.new_page()
    _open(tab, f"{app_server.url}/consultations")
    expect(tab.get_by_test_id("stSidebar")).to_contain_text("Signed in as")
    assert not sign_in_form_shown(tab)


def test_sign_out_revokes_the_cookie_in_every_tab(browser: Browser, contexts, app_server: AppServer):
    page = _page(browser, contexts)
    _signed_in(page, app_server.url + "/", "officer")
    stolen = _session_cookie(page)
    tab = page.context.new_page()
    _open(tab, app_server.url + "/issues")
    expect(nav(tab).first).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    settle(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    tab.reload()
    settle(tab)
    expect(tab.get_by_role("button", name="Sign in")).to_be_visible()
    # The old cookie value, replayed from another browser, is worthless too.
    thief = _page(browser, contexts)
    thief.context.add_cookies([{**stolen, "url": app_server.url}] if "url" in stolen else [stolen])
    _open(thief, app_server.url + "/")
    expect(thief.get_by_role("button", name="Sign in")).to_be_visible()


def test_disabling_an_account_ends_its_reload_proof_sign_in(browser: Browser, contexts, app_server: AppServer):
    user_page = _page(browser, contexts)
    _signed_in(user_page, app_server.url + "/", "m.dubois")
    admin = _page(browser, contexts)
    _open(admin, app_server.url + "/admin")
    sign_in(admin, "admin")
    account = main(admin).get_by_test_id("stSelectbox").filter(has_text="Account").first
    account.click()
    admin.get_by_role("option", name="Marie Dubois (m.dubois)", exact=True).click()
    settle(admin)
    main(admin).get_by_role("button", name="Disable account").click()
    settle(admin)
    expect(main(admin)).to_contain_text("Account m.dubois disabled.")
    user_page.reload()
    settle(user_page)
    expect(user_page.get_by_role("button", name="Sign in")).to_be_visible()


def test_names_containing_markdown_show_literally(browser: Browser, contexts, app_server: AppServer):
    page = _page(browser, contexts)
    _signed_in(page, app_server.url + "/", "director")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text(f"Signed in as {MARKDOWN_NAME}")
    assert sidebar.locator("a[href^='javascript']").count() == 0
    # The whole name is bold (the caption's own Markdown); nothing inside it is styled or linked.
    expect(sidebar.locator("strong", has_text=MARKDOWN_NAME)).to_have_count(1)
    assert sidebar.locator("strong strong, strong a, strong span[class*='red']").count() == 0


def test_a_captured_hand_off_link_signs_nobody_in_in_another_browser(browser: Browser, contexts, app_server: AppServer):
    """Login-CSRF: someone signed in as themselves captures their one-time cookie link and opens
    it in a colleague's browser; the colleague must not end up signed in as that someone."""
    attacker = _page(browser, contexts)
    captured: list[str] = []

    def capture(route) -> None:  # the attacker's own browser never spends the link
        captured.append(route.request.url)
        route.abort()

    attacker.route("**/session/cookie*", capture)
    _open(attacker, app_server.url + "/")
    sign_in(attacker, "officer")
    deadline = time.monotonic() + 15
    while not captured and time.monotonic() < deadline:
        attacker.wait_for_timeout(200)
    assert captured, "the sign-in offered no cookie link"
    colleague = _page(browser, contexts)
    _open(colleague, app_server.url + "/")  # the colleague's browser, with its own binding cookie
    colleague.goto(captured[0])
    assert [c for c in colleague.context.cookies() if c["name"] == COOKIE] == []
    _open(colleague, app_server.url + "/issues")
    expect(colleague.get_by_role("button", name="Sign in")).to_be_visible()
