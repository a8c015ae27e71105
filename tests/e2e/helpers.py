"""Browser helpers for the end-to-end tests: start a server, drive Streamlit like a person would.

Streamlit reruns the script after every interaction; ``settle`` waits for the rerun to finish,
and tests then assert on the content the interaction should have produced (``expect`` retries
until it appears), never on what was already on the page.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
TODAY = "2026-11-27"
PASSWORD = "demo"
# Pitfall 7: Debian's Chromium in a container, nothing downloaded, nothing phoning home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
IDLE = '[data-test-script-state="notRunning"]'
NAV = '[data-testid="stSidebar"] a'
# What each demo account sees in the sidebar, in order.
ROLE_PAGES = {
    "director": [
        "Overview",
        "My work",
        "Issues",
        "Consultations",
        "Joint positions",
        "Organisations",
        "Activities",
        "Import & export",
    ],
    "officer": [
        "Overview",
        "My work",
        "Issues",
        "Consultations",
        "Joint positions",
        "Organisations",
        "Activities",
        "Import & export",
    ],
    "admin": [
        "Overview",
        "My work",
        "Issues",
        "Consultations",
        "Joint positions",
        "Organisations",
        "Activities",
        "Import & export",
        "Admin",
    ],
}
PAGE_PATHS = [
    "/",
    "/issues",
    "/consultations",
    "/joint_positions",
    "/organisations",
    "/activities",
    "/import_export",
    "/admin",
]


def chromium_path() -> str | None:
    return shutil.which("chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_demo_db(path: Path, today: str = TODAY) -> Path:
    """A fresh scale-S demo database at ``path``, built by the real command line."""
    subprocess.run(
        [sys.executable, "-m", "etl", "demo", "--db", str(path), "--today", today, "--force"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return path


@dataclass
class Server:
    """A ``streamlit run dashboard.py`` process of our own on a free 127.0.0.1 port."""

    db_path: Path
    log_path: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> Server:
        env = dict(os.environ, TRACKER_DB=str(self.db_path), TRACKER_TODAY=TODAY)
        env["TRACKER_BACKUP_DIR"] = str(self.db_path.parent / "backups")
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard.py",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
        ]
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"streamlit did not become healthy in {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop our own process by its id: terminate, then kill if it lingers."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


# --- driving the app ---------------------------------------------------------------------


def idle(page: Page, timeout: float = 60_000) -> None:
    """Wait until no script run is in progress.

    Call it once new content proves the run has begun: a click on a form while the previous
    run is still drawing the page can be lost under load."""
    page.wait_for_selector(IDLE, timeout=timeout)


def settle(page: Page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished the rerun an interaction started."""
    page.wait_for_timeout(250)
    idle(page, timeout)


def submit(page: Page, button: Locator) -> None:
    """Press a form's button after the field being typed in has lost focus, then wait for the run.

    A click that itself blurs a Streamlit text field is sometimes lost while the field commits
    its value (streamlit#8725; here up to one click in ten under load, and no message reaches the server)."""
    page.evaluate("() => document.activeElement instanceof HTMLElement && document.activeElement.blur()")
    page.wait_for_timeout(100)
    button.click()
    settle(page)


def main(page: Page) -> Locator:
    return page.locator('[data-testid="stMain"]')


def main_text(page: Page) -> str:
    return main(page).inner_text()


def nav(page: Page) -> Locator:
    return page.locator(NAV)


def nav_labels(page: Page) -> list[str]:
    return [t.strip() for t in nav(page).all_inner_texts()]


def sign_in_form_shown(page: Page) -> bool:
    return page.get_by_label(re.compile("^Username")).count() > 0


def submit_sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.get_by_label(re.compile("^Username")).fill(username)
    page.get_by_label(re.compile("^Password")).fill(password)
    submit(page, page.get_by_role("button", name="Sign in"))


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the form on the current URL and wait for the signed-in sidebar."""
    submit_sign_in(page, username, password)
    expect(nav(page).first).to_be_visible()
    idle(page)


def visit(page: Page, base_url: str, path: str = "/", user: str | None = None) -> None:
    """Load ``path`` in a new browser session; sign in as ``user`` there if the form is shown."""
    page.goto(base_url + path)
    settle(page)
    if user is not None:
        expect(page.get_by_label(re.compile("^Username")).or_(nav(page).first)).to_be_visible()
        if sign_in_form_shown(page):
            sign_in(page, user)


def open_page(page: Page, label: str) -> None:
    """Follow a sidebar link, as a user would (the session, and the sign-in, carry over)."""
    nav(page).filter(has_text=re.compile(f"^{re.escape(label)}$")).first.click()
    settle(page)
    expect(page.get_by_role("heading", name=label, exact=True).first).to_be_visible()
    idle(page)


def save_artifacts(page: Page, name: str) -> list[Path]:
    """A full-page screenshot and the page text, for a failed test."""
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", name).strip("_")[:150]
    saved = []
    png, txt = ARTIFACTS / f"{stem}.png", ARTIFACTS / f"{stem}.txt"
    try:
        page.screenshot(path=str(png), full_page=True, timeout=15_000)
        saved.append(png)
    except Exception as exc:  # a crashed page must not hide the test's own failure
        png.with_suffix(".screenshot-error.txt").write_text(repr(exc))
    try:
        txt.write_text(f"URL: {page.url}\n\n{page.inner_text('body', timeout=5_000)}")
        saved.append(txt)
    except Exception as exc:
        txt.write_text(f"URL: {page.url}\n\n(page text unavailable: {exc!r})")
    return saved


# --- the Issues page -----------------------------------------------------------------------


def grid_cells(page: Page, scope: Locator | None = None) -> list[str]:
    """The texts of the visible cells of the dataframes in ``scope`` (their accessible grid)."""
    return [
        t.strip() for t in (scope or page).locator('[data-testid="stDataFrame"] [role="gridcell"]').all_inner_texts()
    ]


def expect_cells(page: Page, *texts: str, scope: Locator | None = None, timeout: float = 30) -> list[str]:
    """Wait until every text in ``texts`` is a cell of a dataframe in ``scope``; return the cells.

    The grid draws on a canvas; its cells are readable through its (visually hidden) accessible table."""
    deadline = time.monotonic() + timeout
    while True:
        cells = grid_cells(page, scope)
        missing = [t for t in texts if t not in cells]
        if not missing:
            return cells
        if time.monotonic() > deadline:
            raise AssertionError(f"cells {missing} not found among {cells[:40]}")
        page.wait_for_timeout(250)


def tab_panel(page: Page, name: str) -> Locator:
    """Open the tab called ``name`` and return its panel."""
    tab = page.get_by_role("tab", name=name, exact=True)
    settle(page)
    expect(tab).to_have_count(1)  # a rerun's stale copy of the tabs is gone
    tab.click()
    settle(page)
    return page.get_by_role("tabpanel", name=name, exact=True)


def create_issue(page: Page, title: str, summary: str = "") -> int:
    """Create an issue through the "New issue" form (signed in as an editor, on the Issues list).

    Returns its id, read from the URL of the issue view the page opens."""
    idle(page)
    main(page).get_by_text("New issue", exact=True).click()
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Create issue"))
    form.get_by_label("Title", exact=True).fill(title)
    if summary:
        form.get_by_label("Summary", exact=True).fill(summary)
    expect(form.get_by_label("Title", exact=True)).to_have_value(title)
    submit(page, form.get_by_role("button", name="Create issue"))
    expect(main(page)).to_contain_text(re.compile(r"Issue #\d+ created at"), timeout=60_000)
    idle(page)
    match = re.search(r"[?&]issue=(\d+)", page.url)
    assert match, page.url
    return int(match.group(1))


def choose(scope: Locator, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox or multiselect labelled ``label``."""
    box = scope.get_by_role("combobox", name=label, exact=True)
    widget = box.locator("xpath=ancestor::*[@data-testid='stSelectbox' or @data-testid='stMultiSelect'][1]")
    for _ in range(3):  # a click that lands while the list is still opening can be lost: check, and pick again
        box.click()
        box.page.get_by_role("option", name=option, exact=True).click()
        box.page.keyboard.press("Escape")
        settle(box.page)
        # A selectbox shows its choice in its search input, a multiselect as a chip.
        if option == box.input_value() or option in widget.first.inner_text():
            return


def kpi(page: Page, label: str) -> int:
    """The number shown on the Overview's KPI tile labelled ``label``."""
    tile = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    expect(tile).to_have_count(1)
    return int(tile.get_by_test_id("stMetricValue").inner_text().replace(",", "").strip())


def ladder_total(page: Page) -> int:
    """The issue count in the subtitle of the Overview's ladder chart ("48 issues on 27 Nov 2026")."""
    chart = page.get_by_test_id("stPlotlyChart").filter(has_text="Issues on each rung of the ladder today")
    expect(chart).to_have_count(1)
    match = re.search(r"([\d,]+) issues? on \d", chart.inner_text())
    assert match, chart.inner_text()
    return int(match.group(1).replace(",", ""))


def click_bar(page: Page, chart: Locator, category: str, until: Locator, attempts: int = 3) -> None:
    """Click the bar of a horizontal bar chart whose axis label is ``category`` until ``until`` shows.

    Plotly's drag layer covers the bars, so this clicks where the bar is, as a mouse would. A
    click that lands while the chart is still being redrawn is lost; then it clicks again."""
    tick = chart.locator("g.ytick text").filter(has_text=re.compile(f"^{re.escape(category)}")).first
    for attempt in range(1, attempts + 1):
        settle(page)
        tick.scroll_into_view_if_needed()
        t = tick.bounding_box()
        assert t is not None, category
        y = t["y"] + t["height"] / 2
        boxes = [b for b in (p.bounding_box() for p in chart.locator("g.point").all()) if b]
        bar = min(boxes, key=lambda b: abs(b["y"] + b["height"] / 2 - y))
        assert abs(bar["y"] + bar["height"] / 2 - y) < bar["height"], f"no bar for {category}"
        page.mouse.click(bar["x"] + min(bar["width"] / 2, 10), y)
        settle(page)
        try:
            expect(until).to_be_visible(timeout=15_000)
            return
        except AssertionError:
            if attempt == attempts:
                raise
