"""Start: `streamlit run app.py` to the Overview drawn in headless Chromium, against a one-line app.

What is timed, and why it is fair:

- The product as users get it: ``app.py`` (what ``make run`` serves: ``st.App`` around the
  Overview and the pages, with the cookie, calendar and health routes and the start-up warm-up),
  not ``dashboard.py`` alone.
- A returning director: the browser already holds the app's signed, HttpOnly session cookie
  (minted in the server's own copy of the database before the clock starts, exactly as a
  password sign-in would have minted it). So the time is server start + the first page run +
  the browser drawing, and not how fast a robot types a password or how long argon2 takes to
  verify it (deliberately slow; the sign-in is measured by the e2e tests, not here).
- The clock runs from spawning ``streamlit run`` until the first KPI tile is shown and the first
  Plotly chart is drawn (Streamlit draws a chart only once it is scrolled into view). The floor is
  the same for a one-line app showing "hello".
- Every run gets a fresh browser context (no HTTP cache, no cookies but the session's) and a new
  port; app and floor runs take turns, so a burst of load elsewhere hits both alike.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from .common import ROOT, Result, median, private_copy, spread

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
USER = "director"
NAME = "streamlit run app.py to Overview drawn (signed-in cookie)"

# Run in a child with cwd=ROOT: the server signs cookies with secrets.toml's cookie_secret when
# there is one (read relative to the working directory), else with the key kept in the database,
# and this must pick the same. The child exits before the server starts, so it never holds the file.
MINT = r"""
from tracker.services import accounts, sessions
from tracker.store import Database
from tracker.web.cookie_secret import cookie_secret

db = Database.open(__import__("os").environ["TRACKER_DB"])
user = accounts.get_user(db, __import__("sys").argv[1])
assert user is not None and not user.disabled, "no active benchmark user"
new = sessions.start(db, user)
print(new.cookie_value(cookie_secret(db)))
db.close()
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def mint_cookie(env: dict[str, str], username: str = USER) -> str:
    """A reload-proof session cookie value for ``username`` in the database at ``env['TRACKER_DB']``."""
    out = subprocess.run(
        [sys.executable, "-c", MINT, username], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    if out.returncode != 0:
        raise RuntimeError(f"could not mint a session cookie: {out.stderr.strip()[-300:]}")
    return out.stdout.strip().splitlines()[-1]


def _run_once(browser, script: Path, env: dict[str, str], cookie: str | None) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Seconds from spawning the server to its health route answering, and to the page drawn."""
    port = _free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    context = None
    try:
        url = f"http://127.0.0.1:{port}"
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - t0 > 120:
                    raise RuntimeError("server did not start") from None
                time.sleep(0.05)
        healthy = time.perf_counter() - t0
        context = browser.new_context()
        if cookie:
            from tracker.services.sessions import COOKIE_NAME

            context.add_cookies(
                [
                    {
                        "name": COOKIE_NAME,
                        "value": cookie,
                        "domain": "127.0.0.1",
                        "path": "/",
                        "httpOnly": True,
                        "sameSite": "Strict",
                    }
                ]
            )
        page = context.new_page()
        # The first run after a cold start imports plotly and opens the database: be patient.
        page.set_default_timeout(120_000)
        page.goto(url)
        if cookie:
            tile = page.locator('[data-testid="stMetric"]').first
            sign_in = page.get_by_label("Username")
            tile.or_(sign_in).first.wait_for()
            if not tile.is_visible():
                raise RuntimeError("the session cookie was refused: the server asked to sign in")
            # Streamlit draws a Plotly chart only once it is scrolled into view.
            chart = page.locator('[data-testid="stPlotlyChart"]').first
            chart.wait_for(state="attached")
            chart.scroll_into_view_if_needed()
            page.locator(".js-plotly-plot").first.wait_for()
        else:
            page.get_by_text("hello").wait_for(timeout=60_000)
        return healthy, time.perf_counter() - t0
    finally:
        if context is not None:
            context.close()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def measure(db_path: Path, scale: str, reps: int) -> list[Result]:
    chromium = shutil.which("chromium")
    if not chromium:
        return [
            Result(
                "start",
                NAME,
                scale,
                float("nan"),
                "s",
                note="skipped: chromium is not installed",
            )
        ]
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        own = private_copy(db_path, Path(tmp), "start.duckdb")
        # Backups (none are due in the first minute, but never into the repository's data/).
        env = {**os.environ, "TRACKER_DB": str(own), "TRACKER_BACKUP_DIR": str(Path(tmp) / "backups")}
        cookie = mint_cookie(env)
        one_line = Path(tmp) / "hello.py"
        one_line.write_text('import streamlit as st\nst.write("hello")\n')
        app: list[tuple[float, float]] = []
        floor: list[tuple[float, float]] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=ARGS)
            for _ in range(reps):
                app.append(_run_once(browser, ROOT / "app.py", env, cookie))
                floor.append(_run_once(browser, one_line, env, None))
            browser.close()
    ratio = median([t for _, t in app]) / median([t for _, t in floor])
    health, floor_health = median([h for h, _ in app]), median([h for h, _ in floor])
    return [
        Result(
            "start",
            NAME,
            scale,
            median([t for _, t in app]),
            "s",
            spread([t for _, t in app]),
            median([t for _, t in floor]),
            ratio,
            "≤ 2× a one-line app",
            ratio <= 2 if scale == "L" else None,
            note=f"health route answers after {health:.1f} s (one-line app {floor_health:.1f} s)",
            extra={"health_s": health, "floor_health_s": floor_health},
        )
    ]
