"""Start: `streamlit run` to the Overview drawn in headless Chromium, against a one-line app."""

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

from .common import ROOT, Result, median, spread

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_once(browser, script: Path, env: dict[str, str], sign_in: bool) -> float:  # type: ignore[no-untyped-def]
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
        page = browser.new_page()
        # The first run after a cold start imports plotly and opens the database: be patient.
        page.set_default_timeout(120_000)
        page.goto(url)
        if sign_in:
            page.get_by_label("Username").fill("director")
            page.get_by_label("Password", exact=True).fill("demo")
            # Blur the field first: a click right after typing can be lost (streamlit#8725).
            page.get_by_label("Password", exact=True).blur()
            page.wait_for_timeout(300)
            page.get_by_role("button", name="Sign in").click()
            page.locator('[data-testid="stMetric"]').first.wait_for()
            # Streamlit draws a Plotly chart only once it is scrolled into view.
            chart = page.locator('[data-testid="stPlotlyChart"]').first
            chart.wait_for(state="attached")
            chart.scroll_into_view_if_needed()
            page.locator(".js-plotly-plot").first.wait_for()
        else:
            page.get_by_text("hello").wait_for(timeout=60_000)
        elapsed = time.perf_counter() - t0
        page.close()
        return elapsed
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def measure(db_path: Path, scale: str, reps: int) -> list[Result]:
    if not shutil.which("chromium"):
        return [
            Result(
                "start",
                "streamlit run to Overview drawn",
                scale,
                float("nan"),
                "s",
                note="skipped: chromium is not installed",
            )
        ]
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        # This process may still hold the file (the page benchmark's cached connection), and
        # DuckDB lets one process open a file: the server gets its own copy, WAL included.
        own = Path(tmp) / "start.duckdb"
        shutil.copy(db_path, own)
        wal = db_path.with_name(db_path.name + ".wal")
        if wal.exists():
            shutil.copy(wal, own.with_name(own.name + ".wal"))
        env = {**os.environ, "TRACKER_DB": str(own)}
        one_line = Path(tmp) / "hello.py"
        one_line.write_text('import streamlit as st\nst.write("hello")\n')
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
            app = [_run_once(browser, ROOT / "dashboard.py", env, True) for _ in range(reps)]
            floor = [_run_once(browser, one_line, env, False) for _ in range(reps)]
            browser.close()
    ratio = median(app) / median(floor)
    return [
        Result(
            "start",
            "streamlit run to Overview drawn",
            scale,
            median(app),
            "s",
            spread(app),
            median(floor),
            ratio,
            "≤ 2× a one-line app",
            ratio <= 2 if scale == "L" else None,
        )
    ]
