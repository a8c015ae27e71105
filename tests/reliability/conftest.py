"""Fixtures for the reliability tests: a demo database built once, copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import TODAY
from tests.reliability.processes import Children
from tracker.domain.models import User
from tracker.services import accounts
from tracker.services import demo as demo_data
from tracker.store import Database


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A checkpointed, closed scale-S demo database file to copy from."""
    path = tmp_path_factory.mktemp("template") / "demo.duckdb"
    db = Database.open(path, create=True)
    demo_data.generate(db, scale="S", seed=7, today=TODAY)
    with db.cursor() as cur:
        cur.execute("CHECKPOINT")
    db.close()
    return path


@pytest.fixture
def demo_file(demo_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo database file (closed)."""
    path = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture
def demo(demo_file: Path) -> Iterator[Database]:
    """The demo database, open, fresh for this test."""
    db = Database.open(demo_file)
    yield db
    db.close()


def account(db: Database, username: str) -> User:
    user = accounts.get_user(db, username)
    assert user is not None, username
    return user


@pytest.fixture
def editor(demo: Database) -> User:
    return account(demo, "officer")


@pytest.fixture
def children(tmp_path: Path) -> Iterator[Children]:
    """A fork server for child processes the test kills (see crash_child.py)."""
    c = Children(tmp_path / "children.err")
    yield c
    c.close()
