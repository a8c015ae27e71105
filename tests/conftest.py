"""Shared fixtures: a fresh database file per test, demo data, signed-in AppTests.

Building the demo data takes about half a second and migrating a new file a third of one, so
both are made once per test session (per pytest-xdist worker: each is its own session) and every
test gets its own copy of the file."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tracker.domain import clock
from tracker.domain.models import User
from tracker.services import accounts, demo
from tracker.store import Database

TODAY = dt.date(2026, 11, 27)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def fixed_today() -> Iterator[dt.date]:
    clock.set_today(TODAY)
    yield TODAY
    clock.set_today(None)


@pytest.fixture(autouse=True)
def clear_streamlit_caches() -> Iterator[None]:
    """st caches and the process's open databases outlive AppTest instances; every test starts
    from cold caches and closes the databases its pages opened."""
    yield
    from tracker import runtime

    runtime.close_all()
    try:
        import streamlit as st
    except ImportError:  # pragma: no cover
        return
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tracker.duckdb"


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed database file with the schema and no rows, made once per session: copy it."""
    path = tmp_path_factory.mktemp("empty") / "template.duckdb"
    Database.open(path, create=True).close()  # migrating ends with a CHECKPOINT
    return path


@pytest.fixture
def db(empty_template: Path, db_path: Path) -> Iterator[Database]:
    """An empty database with the schema, this test's own copy."""
    database = Database.open(copy_of(empty_template, db_path))
    yield database
    database.close()


DemoTemplate = Callable[..., Path]


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> DemoTemplate:
    """``demo_template(scale="S", seed=7)``: the path of a closed demo database file for TODAY,
    built on first use and kept for the session. Never open it: copy it (:func:`copy_of`)."""
    built: dict[tuple[str, int], Path] = {}

    def template(scale: str = "S", seed: int = 7) -> Path:
        if (scale, seed) not in built:
            path = tmp_path_factory.mktemp(f"demo-{scale}-{seed}") / "template.duckdb"
            database = Database.open(path, create=True)
            try:
                demo.generate(database, scale=scale, seed=seed, today=TODAY)
                with database.cursor() as cur:
                    cur.execute("CHECKPOINT")  # everything in the main file: a copy needs no WAL
            finally:
                database.close()
            built[scale, seed] = path
        return built[scale, seed]

    return template


def copy_of(template: Path, target: Path) -> Path:
    """A private copy of a closed database file at ``target``."""
    shutil.copyfile(template, target)
    return target


@pytest.fixture
def demo_file(demo_template: DemoTemplate, db_path: Path) -> Path:
    """A fresh copy of the scale-S demo database at ``db_path``, closed (for subprocesses)."""
    return copy_of(demo_template(), db_path)


@pytest.fixture
def demo_db(demo_file: Path) -> Iterator[Database]:
    """A database with the scale-S demo data for TODAY, this test's own copy."""
    database = Database.open(demo_file)
    yield database
    database.close()


def user(database: Database, username: str) -> User:
    u = accounts.get_user(database, username)
    assert u is not None, username
    return u


@pytest.fixture
def officer(demo_db: Database) -> User:
    return user(demo_db, "officer")


@pytest.fixture
def director(demo_db: Database) -> User:
    return user(demo_db, "director")


@pytest.fixture
def admin(demo_db: Database) -> User:
    return user(demo_db, "admin")


@pytest.fixture
def app_for(demo_db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``app_for(username, page=None)``: an AppTest started from dashboard.py, signed in as
    ``username`` (None: signed out), switched to ``page`` (e.g. "pages/issues.py") and run."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TRACKER_DB", str(db_path))
    monkeypatch.chdir(ROOT)

    def make(
        username: str | None, page: str | None = None, query: dict[str, str] | None = None, timeout: float = 30
    ) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
        if username:
            at.session_state["auth_username"] = username
        if query:
            for k, v in query.items():
                at.query_params[k] = v
        if page:
            at.switch_page(page)
        at.run()
        return at

    return make


def open_tab(at, key: str, name: str):
    """Choose the tab ``name`` of the lazy tabs under ``key`` (only the chosen tab's content runs)."""
    at.session_state[key] = name
    return at.run()
