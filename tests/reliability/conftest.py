"""Fixtures for the reliability tests: a copy of the demo database per test, child processes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DemoTemplate, copy_of
from tests.reliability.processes import Children
from tracker.domain.models import User
from tracker.services import accounts
from tracker.store import Database


@pytest.fixture
def demo_file(demo_template: DemoTemplate, tmp_path: Path) -> Path:
    """A fresh copy of the demo database file (closed), beside the empty ``db`` of a test."""
    return copy_of(demo_template(), tmp_path / "demo.duckdb")


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
