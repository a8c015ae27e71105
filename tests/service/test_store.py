"""The store: migrations, version-checked updates, audit in the same transaction, the write lock."""

from __future__ import annotations

import threading

import duckdb
import pytest

from tracker.domain.errors import DatabaseUnavailable, StorageError
from tracker.store import Database
from tracker.store.migrations import LATEST, MIGRATIONS


def test_migrations_from_empty_and_rerun_is_noop(db_path):
    db = Database.open(db_path, create=True)
    assert db.schema_version() == LATEST
    assert db.migrate() == []
    tables = {r[0] for r in db.read("SELECT table_name FROM information_schema.tables")}
    assert {
        "issues",
        "stage_events",
        "consultations",
        "joint_positions",
        "signatories",
        "organisations",
        "contacts",
        "activities",
        "users",
        "audit",
        "schema_migrations",
    } <= tables
    db.close()
    again = Database.open(db_path)
    assert again.read("SELECT count(*) FROM schema_migrations") == [(len(MIGRATIONS),)]
    again.close()


def test_every_editable_table_has_a_version_column(db):
    editable = [
        "issues",
        "consultations",
        "joint_positions",
        "signatories",
        "organisations",
        "contacts",
        "activities",
        "users",
        "reference_values",
    ]
    for table in editable:
        cols = {
            r[0] for r in db.read("SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table])
        }
        assert "version" in cols, table


def test_missing_database_is_not_created(tmp_path):
    path = tmp_path / "missing.duckdb"
    with pytest.raises(DatabaseUnavailable, match="etl init"):
        Database.open(path)
    assert not path.exists()


def test_newer_schema_is_refused(db_path):
    db = Database.open(db_path, create=True)
    db.write(lambda tx: tx.execute("INSERT INTO schema_migrations (version, name) VALUES (?, 'future')", [LATEST + 1]))
    db.close()
    with pytest.raises(DatabaseUnavailable, match="newer than this code"):
        Database.open(db_path)


def test_second_process_gets_a_clear_in_use_message(db, db_path):
    import subprocess
    import sys

    code = (
        "from tracker.store import Database\n"
        "from tracker.domain.errors import DatabaseUnavailable\n"
        f"try:\n    Database.open({str(db_path)!r})\n"
        "except DatabaseUnavailable as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "in use by the running app" in out and str(db_path) in out


def _insert_org(db: Database) -> int:
    return db.write(lambda tx: tx.one("INSERT INTO organisations (name) VALUES ('A') RETURNING id")[0])


def test_version_checked_update_refuses_stale_version_and_leaves_row(db):
    oid = _insert_org(db)

    def rename(name: str, version: int):
        return db.write(
            lambda tx: tx.one(
                "UPDATE organisations SET name = ?, version = version + 1 WHERE id = ? AND version = ? RETURNING version",
                [name, oid, version],
            )
        )

    assert rename("B", 1) == (2,)
    assert rename("C", 1) is None  # stale: someone saved first
    assert db.read("SELECT name, version FROM organisations WHERE id = ?", [oid]) == [("B", 2)]


def test_audit_written_with_the_change_and_not_without_it(db):
    oid = _insert_org(db)

    def change_then_fail(tx):
        tx.execute("UPDATE organisations SET name = 'X' WHERE id = ?", [oid])
        tx.audit("officer", "organisation", oid, "update", {"name": ["A", "X"]})
        raise RuntimeError("boom after the audit row")

    with pytest.raises(RuntimeError):
        db.write(change_then_fail)
    assert db.read("SELECT count(*) FROM audit") == [(0,)]
    assert db.read("SELECT name FROM organisations") == [("A",)]

    def change(tx):
        tx.execute("UPDATE organisations SET name = 'X' WHERE id = ?", [oid])
        tx.audit("officer", "organisation", oid, "update", {"name": ["A", "X"]})

    db.write(change)
    assert db.read("SELECT actor, entity, entity_id, action FROM audit") == [("officer", "organisation", oid, "update")]


def test_write_lock_under_eight_threads_loses_nothing(db):
    oid = _insert_org(db)
    errors: list[BaseException] = []

    def bump():
        for _ in range(25):
            try:
                db.write(lambda tx: tx.execute("UPDATE organisations SET version = version + 1 WHERE id = ?", [oid]))
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert db.read("SELECT version FROM organisations WHERE id = ?", [oid]) == [(1 + 8 * 25,)]


def test_non_conflict_errors_become_storage_errors_not_retried(db):
    calls = []

    def bad(tx):
        calls.append(1)
        raise duckdb.TransactionException("TransactionContext Error: Failed to commit: disk full")

    with pytest.raises(StorageError, match="could not save"):
        db.write(bad)
    assert calls == [1]


def test_conflicts_are_retried(db):
    calls = []

    def flaky(tx):
        calls.append(1)
        if len(calls) < 3:
            raise duckdb.TransactionException("TransactionContext Error: Conflict on update!")
        return "done"

    assert db.write(flaky) == "done"
    assert len(calls) == 3


def test_a_migration_numbered_below_the_highest_applied_is_still_applied(db_path, monkeypatch):
    from tracker.store import database

    db = Database.open(db_path, create=True)
    db.close()
    extra = (LATEST + 2, "later", "CREATE TABLE later_one (x INTEGER);")
    skipped = (LATEST + 1, "skipped", "CREATE TABLE skipped_one (x INTEGER);")
    monkeypatch.setattr(database, "LATEST", LATEST + 2)
    monkeypatch.setattr(database, "MIGRATIONS", [*MIGRATIONS, extra])
    Database.open(db_path).close()
    monkeypatch.setattr(database, "MIGRATIONS", [*MIGRATIONS, skipped, extra])
    again = Database.open(db_path)
    names = {r[0] for r in again.read("SELECT table_name FROM information_schema.tables")}
    assert {"later_one", "skipped_one"} <= names
    again.close()
