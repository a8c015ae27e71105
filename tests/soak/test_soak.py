"""Ten officers in ten browser sessions for two minutes: signing in, reading the Overview,
saving edits. No page shows an error, every saved edit is in the database afterwards, and
the server's memory stays flat (within 20 % of its warmed-up size)."""

from __future__ import annotations

import asyncio
import os
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import Page, async_playwright, expect

from tests.e2e.helpers import CHROMIUM_ARGS, IDLE, Server, build_demo_db, chromium_path
from tracker.services import integrity
from tracker.store import Database

SESSIONS = int(os.environ.get("SOAK_SESSIONS", "10"))
SECONDS = float(os.environ.get("SOAK_SECONDS", "120"))
NAV = '[data-testid="stSidebar"] a'
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


@dataclass
class Officer:
    n: int
    issue_id: int
    saved: list[str] = field(default_factory=list)
    rounds: int = 0
    problems: list[str] = field(default_factory=list)


async def settle(page: Page) -> None:
    await page.wait_for_timeout(250)
    await page.wait_for_selector(IDLE, timeout=120_000)


async def errors_on(page: Page, where: str) -> list[str]:
    shown = page.locator(ERRORS)
    if await shown.count():
        return [f"{where}: {t[:300]}" for t in await shown.all_inner_texts()]
    return []


async def sign_in(page: Page, base_url: str) -> None:
    await page.goto(base_url + "/")
    await settle(page)
    await page.get_by_label(re.compile("^Username")).fill("officer")
    await page.get_by_label(re.compile("^Password")).fill("demo")
    await page.get_by_role("button", name="Sign in").click()
    await settle(page)
    await expect(page.locator(NAV).first).to_be_visible(timeout=120_000)


async def go(page: Page, label: str) -> None:
    """Follow a sidebar link, as a person would (the same Streamlit session)."""
    await page.locator(NAV).filter(has_text=re.compile(f"^{re.escape(label)}$")).first.click()
    await settle(page)


async def one_round(page: Page, officer: Officer) -> None:
    """Read the Overview, open the officer's issue from the Issues page, save an edit."""
    await go(page, "Overview")
    await expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=120_000)
    officer.problems += await errors_on(page, "Overview")

    await go(page, "Issues")
    box = page.get_by_role("combobox", name="Open an issue by title", exact=True)
    await box.click()
    await box.fill(f"#{officer.issue_id} ")
    await page.get_by_role("option", name=re.compile(f"^#{officer.issue_id} ·")).first.click()
    await settle(page)
    tab = page.get_by_role("tab", name="Edit", exact=True)
    await expect(tab).to_have_count(1, timeout=120_000)
    await tab.click()
    await settle(page)
    form = page.get_by_role("tabpanel", name="Edit", exact=True)
    text = f"Soak {officer.n}-{officer.rounds} {uuid.uuid4().hex[:8]}"
    await form.get_by_label("Summary", exact=True).fill(text)
    await form.get_by_role("button", name="Save changes").click()
    await settle(page)
    await expect(page.get_by_test_id("stMain")).to_contain_text("Saved:", timeout=120_000)
    officer.saved.append(text)
    officer.problems += await errors_on(page, f"Issue {officer.issue_id}")
    officer.rounds += 1


async def work(page: Page, base_url: str, officer: Officer, warmed: asyncio.Barrier, clock: dict[str, float]) -> None:
    await sign_in(page, base_url)
    await one_round(page, officer)  # the warm-up round: first imports, caches, charts
    await warmed.wait()
    while time.monotonic() < clock["stop_at"]:
        await one_round(page, officer)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


async def sample_memory(pid: int, clock: dict[str, float], samples: list[tuple[float, int]]) -> None:
    """RSS every two seconds from the end of the warm-up to the end of the soak."""
    while time.monotonic() < clock["stop_at"]:
        samples.append((time.monotonic() - clock["started"], rss_kib(pid)))
        await asyncio.sleep(2)


async def soak(base_url: str, pid: int, officers: list[Officer]) -> tuple[int, list[tuple[float, int]]]:
    """Warm up (every session signs in and does one round), then SECONDS of work.
    Returns the server's RSS when warm and the samples taken during the soak."""
    samples: list[tuple[float, int]] = []
    clock = {"started": 0.0, "stop_at": float("inf")}
    warm: dict[str, int] = {}

    def start_the_clock() -> None:
        clock["started"] = time.monotonic()
        clock["stop_at"] = clock["started"] + SECONDS
        warm["rss"] = rss_kib(pid)

    warmed = asyncio.Barrier(len(officers) + 1)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        pages = []
        for _ in officers:
            context = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
            context.set_default_timeout(120_000)
            pages.append(await context.new_page())

        async def timer() -> None:
            await warmed.wait()
            start_the_clock()
            await sample_memory(pid, clock, samples)

        await asyncio.gather(
            timer(), *(work(pg, base_url, o, warmed, clock) for pg, o in zip(pages, officers, strict=True))
        )
        await browser.close()
    return warm["rss"], samples


def test_ten_sessions_for_two_minutes(tmp_path):
    db_path = build_demo_db(tmp_path / "tracker.duckdb")
    db = Database.open(db_path)
    issue_ids = [
        r[0] for r in db.read("SELECT id FROM issues WHERE archived_at IS NULL ORDER BY id LIMIT ?", [SESSIONS])
    ]
    db.close()
    officers = [Officer(n, issue_id) for n, issue_id in enumerate(issue_ids)]
    server = Server(db_path, tmp_path / "streamlit.log").start()
    try:
        assert server.proc is not None
        baseline, samples = asyncio.run(soak(server.url, server.proc.pid, officers))
    finally:
        server.stop()
    log = server.log_tail(200)

    problems = [p for o in officers for p in o.problems]
    assert problems == [], problems[:5]
    assert "Traceback" not in log, log
    assert all(o.rounds >= 2 for o in officers), [o.rounds for o in officers]

    db = Database.open(db_path)
    try:
        for o in officers:
            final = db.read("SELECT summary FROM issues WHERE id = ?", [o.issue_id])[0][0]
            assert final == o.saved[-1], f"issue {o.issue_id}: {final!r}, last saved {o.saved[-1]!r}"
            logged = {
                r[0]
                for r in db.read(
                    "SELECT json_extract_string(changes, '$.summary[1]') FROM audit "
                    "WHERE entity = 'issue' AND entity_id = ? AND action = 'update'",
                    [o.issue_id],
                )
            }
            missing = [t for t in o.saved if t not in logged]
            assert missing == [], f"issue {o.issue_id}: saved edits not in the audit log: {missing}"
        report = integrity.check(db)
        assert report.ok, report.problems
    finally:
        db.close()

    peak = max(kib for _, kib in samples)
    saves = sum(len(o.saved) for o in officers)
    print(
        f"\n{SESSIONS} sessions × {SECONDS:.0f} s after warm-up: {saves} edits saved; server RSS "
        f"{baseline / 1024:.0f} MiB when warm, peak {peak / 1024:.0f} MiB ({peak / baseline - 1:+.0%})"
    )
    assert peak <= 1.2 * baseline, f"server memory grew from {baseline} KiB to {peak} KiB"
