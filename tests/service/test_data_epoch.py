"""Committed data changes are announced: in this process by the commit hooks, to every
process by the data epoch in the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.services import accounts
from tracker.services.accounts import SignInRefused
from tracker.store import Database


def _count_commits(db: Database) -> list[int]:
    calls: list[int] = []
    db.on_commit(lambda: calls.append(1))
    return calls


def test_a_committed_change_moves_the_epoch_and_calls_the_hook(db: Database) -> None:
    calls = _count_commits(db)
    before = db.data_epoch()
    db.write(lambda tx: tx.audit("someone", "note", None, "create"))
    assert db.data_epoch() == before + 1
    assert calls == [1]


def test_a_rolled_back_write_announces_nothing(db: Database) -> None:
    calls = _count_commits(db)
    before = db.data_epoch()

    def fail(tx):  # type: ignore[no-untyped-def]
        tx.audit("someone", "note", None, "create")
        raise ValueError("refused")

    with pytest.raises(ValueError):
        db.write(fail)
    assert db.data_epoch() == before
    assert calls == []


def test_a_unit_that_only_read_announces_nothing(db: Database) -> None:
    calls = _count_commits(db)
    before = db.data_epoch()
    db.write(lambda tx: tx.one("SELECT count(*) FROM audit"), read_first=True)
    assert db.data_epoch() == before
    assert calls == []


def test_sign_in_bookkeeping_is_quiet(demo_db: Database) -> None:
    calls = _count_commits(demo_db)
    before = demo_db.data_epoch()
    accounts.authenticate(demo_db, "officer", "demo")
    with pytest.raises(SignInRefused):
        accounts.authenticate(demo_db, "officer", "wrong password")
    assert demo_db.data_epoch() == before
    assert calls == []


def test_another_process_sees_the_epoch_move(db_path: Path) -> None:
    first = Database.open(db_path, create=True)
    first.write(lambda tx: tx.audit("someone", "note", None, "create"))
    moved = first.data_epoch()
    first.close()
    second = Database.open(db_path)  # what another process finds in the file
    try:
        assert second.data_epoch() == moved >= 1
    finally:
        second.close()
