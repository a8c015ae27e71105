"""End-to-end fixtures: the real app in Debian's Chromium, over its WebSocket.

Fixtures (reuse them in any ``tests/e2e/test_*.py``):

- ``e2e_server`` (session): a ``streamlit run dashboard.py`` process on a free 127.0.0.1 port,
  against a fresh scale-S demo database built by ``python -m etl demo --today 2026-11-27`` in a
  temporary folder (``TRACKER_TODAY`` pins the server's today to the same date). A
  ``helpers.Server``: ``.url``, ``.port``, ``.db_path``, ``.proc``. Shared by most tests, so tests
  that write create their own rows and compare before/after rather than assume exact totals.
- ``base_url`` (session): ``e2e_server.url``.
- ``start_server`` (function): a factory; ``start_server()`` builds another fresh demo database
  and starts a SEPARATE server on it (for what must be seen on a fresh process, or state no
  other test may share); ``start_server(db_path)`` serves a database the test prepared (read
  it BEFORE starting: the server then holds the file). Stopped at the end of the test.
- ``browser`` (session): one Chromium for the whole run (pitfall 7 flags).
- ``new_page`` (function): a factory; ``new_page()`` opens a page in a NEW browser context
  (its own cookies and Streamlit session), downloads allowed. Call it twice for two users.
- ``page`` (function): ``new_page()`` once.

On a failing test every page it opened is saved under ``test-artifacts/`` (a full-page PNG
and a .txt with the URL and the page text), plus the server log; a later failure of the same
test overwrites them (``make clean`` removes the folder). Helpers for signing in,
navigating and waiting for reruns are in ``tests/e2e/helpers.py``.

Without ``chromium`` on the PATH the tests are skipped, except under ``CI=true`` where that
is an error.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from .helpers import ARTIFACTS, CHROMIUM_ARGS, Server, build_demo_db, chromium_path, save_artifacts

VIEWPORT = {"width": 1400, "height": 1000}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if chromium_path():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError("chromium is missing; the browser tests must run in CI (apt-get install -y chromium)")
    skip = pytest.mark.skip(reason="chromium is not installed (apt-get install -y chromium)")
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"e2e_{report.when}", report)


def _failed(request: pytest.FixtureRequest) -> bool:
    return any(getattr(getattr(request.node, f"e2e_{w}", None), "failed", False) for w in ("setup", "call"))


def _save_log(server: Server) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(server.log_path, ARTIFACTS / f"server-{server.port}.log")


@pytest.fixture(scope="session")
def e2e_server(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("e2e-server")
    server = Server(build_demo_db(folder / "tracker.duckdb"), folder / "streamlit.log").start()
    yield server
    server.stop()
    if request.session.testsfailed:
        _save_log(server)


@pytest.fixture(scope="session")
def base_url(e2e_server: Server) -> str:
    return e2e_server.url


@pytest.fixture
def start_server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Callable[..., Server]]:
    servers: list[Server] = []

    def start(db_path: Path | None = None) -> Server:
        folder = tmp_path / f"server-{len(servers)}"
        folder.mkdir()
        server = Server(db_path or build_demo_db(folder / "tracker.duckdb"), folder / "streamlit.log")
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()
        if _failed(request):
            _save_log(server)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    expect.set_options(timeout=45_000)  # generous: a loaded 2-core runner is slow
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def new_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Callable[[], Page]]:
    contexts = []
    pages: list[Page] = []

    def make() -> Page:
        context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="en-GB")
        context.set_default_timeout(30_000)
        contexts.append(context)
        pg = context.new_page()
        pages.append(pg)
        return pg

    yield make
    if _failed(request):
        for i, pg in enumerate(pages):
            save_artifacts(pg, request.node.nodeid + (f"-{i}" if i else ""))
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[[], Page]) -> Page:
    return new_page()
