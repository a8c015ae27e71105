"""Backups: taken through the open connection, verified, recorded, pruned; restores that match."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from tracker.domain.errors import PermissionDenied
from tracker.services import accounts, backup
from tracker.store import Database
from tracker.store.migrations import LATEST


@pytest.fixture
def template(demo_template):
    """The closed demo database file the copies come from."""
    return demo_template()


@pytest.fixture
def db(demo_db):
    """These tests run on their own copy of the demo data."""
    return demo_db


def tables(db: Database) -> dict[str, list]:
    names = [r[0] for r in db.read("SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'")]
    # The backups list and the change counter move with taking the backup itself.
    return {
        t: db.read(f'SELECT * FROM "{t}" ORDER BY ALL') for t in sorted(names) if t not in {"backups", "data_epoch"}
    }


def test_backup_then_restore_into_a_new_file_gives_identical_tables(db, tmp_path):
    result = backup.take(db, taken_by="test", root=tmp_path / "backups")
    assert result.verified and (result.path / "manifest.json").exists()
    restored = backup.restore(result.path, tmp_path / "restored.duckdb")
    copy = Database.open(restored.target)
    try:
        assert tables(copy) == tables(db)
        assert copy.read("SELECT nextval('seq_issues')")[0][0] > db.read("SELECT max(id) FROM issues")[0][0]
        assert copy.read("SELECT count(*) FROM issue_stage") == db.read("SELECT count(*) FROM issue_stage")
    finally:
        copy.close()


def test_backup_is_recorded_with_its_verification(db, tmp_path):
    admin = accounts.get_user(db, "admin")
    result = backup.backup_now(db, admin, root=tmp_path / "b")
    [entry] = backup.history(db, admin)
    assert entry["path"] == str(result.path) and entry["verified"] and entry["taken_by"] == "admin"
    assert entry["present"] and "rows read back" in entry["detail"]


def test_only_admins_take_backups(db, tmp_path):
    with pytest.raises(PermissionDenied):
        backup.backup_now(db, accounts.get_user(db, "officer"), root=tmp_path / "b")
    assert not (tmp_path / "b").exists()


def test_old_backups_beyond_the_setting_are_pruned(db, tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_BACKUP_KEEP", "2")
    root = tmp_path / "b"
    (root / "unrelated-folder").mkdir(parents=True)
    paths = [backup.take(db, taken_by="test", root=root).path for _ in range(3)]
    assert sorted(p.name for p in root.iterdir()) == sorted([paths[1].name, paths[2].name, "unrelated-folder"])


def test_restore_of_a_newer_schema_is_refused(db, tmp_path):
    db.write(
        lambda tx: tx.execute(
            "INSERT INTO schema_migrations (version, name) VALUES (?, 'from the future')", [LATEST + 1]
        )
    )
    result = backup.take(db, taken_by="test", root=tmp_path / "b")
    with pytest.raises(backup.RestoreRefused, match="newer than this application"):
        backup.restore(result.path, tmp_path / "new.duckdb")
    assert not (tmp_path / "new.duckdb").exists()


def test_incomplete_backup_is_refused(db, tmp_path):
    result = backup.take(db, taken_by="test", root=tmp_path / "b")
    (result.path / "issues.parquet").unlink()
    with pytest.raises(backup.RestoreRefused, match="incomplete"):
        backup.restore(result.path, tmp_path / "new.duckdb")


def test_a_folder_that_is_not_a_backup_is_refused(tmp_path):
    with pytest.raises(backup.RestoreRefused, match="not a backup made by this app"):
        backup.restore(tmp_path, tmp_path / "new.duckdb")


def test_restore_keeps_the_replaced_database(db, tmp_path, template):
    result = backup.take(db, taken_by="test", root=tmp_path / "b")
    target = tmp_path / "target.duckdb"
    shutil.copy(template, target)
    with pytest.raises(backup.RestoreRefused, match="--force"):
        backup.restore(result.path, target)
    done = backup.restore(result.path, target, replace=True)
    assert done.previous is not None and done.previous.exists() and target.exists()


def test_restore_refuses_a_database_the_app_holds(db, tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    result = backup.take(db, taken_by="test", root=tmp_path / "b")
    run = subprocess.run(
        [sys.executable, "-m", "etl", "restore", str(result.path), "--db", str(db.path), "--force"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert run.returncode == 1 and "in use" in run.stderr and "Traceback" not in run.stderr


def test_nightly_job_takes_one_backup_a_night(db, tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_BACKUP_DIR", str(tmp_path / "nightly"))
    monkeypatch.setenv("TRACKER_BACKUP_HOUR", "0")
    job = backup.NightlyBackups(lambda: db)
    first = job.run_once()
    assert first is not None and first.verified and first.taken_by == backup.NIGHTLY
    assert job.run_once() is None
    monkeypatch.setenv("TRACKER_BACKUP_HOUR", "off")
    assert backup.NightlyBackups(lambda: db).run_once() is None


def test_nightly_runs_after_its_hour_only():
    now = dt.datetime(2026, 11, 27, 1, 30)
    assert backup.next_run(now, 2) == dt.datetime(2026, 11, 27, 2, 0)
    assert backup.next_run(now, 1) == dt.datetime(2026, 11, 28, 1, 0)


def test_manifest_names_schema_and_row_counts(db, tmp_path):
    result = backup.take(db, taken_by="test", root=tmp_path / "b")
    manifest = json.loads((result.path / "manifest.json").read_text())
    assert manifest["schema_version"] == LATEST
    assert manifest["tables"]["issues"] == db.read("SELECT count(*) FROM issues")[0][0]


def test_a_backup_folder_holding_foreign_files_is_refused_before_anything_is_read(db, tmp_path):
    from tracker.services.backup import RestoreRefused, restore

    result = backup.take(db, taken_by="admin", root=tmp_path / "backups")
    (result.path / "payload.sh").write_text("echo owned")
    with pytest.raises(RestoreRefused, match="payload.sh"):
        restore(result.path, tmp_path / "restored.duckdb")
    assert not (tmp_path / "restored.duckdb").exists()


def test_a_manifest_nested_deep_is_refused_with_a_reason(db, tmp_path):
    from tracker.services.backup import MANIFEST, RestoreRefused, restore

    result = backup.take(db, taken_by="admin", root=tmp_path / "backups")
    (result.path / MANIFEST).write_text("[" * 10_000)
    with pytest.raises(RestoreRefused, match="deep"):
        restore(result.path, tmp_path / "restored.duckdb")
