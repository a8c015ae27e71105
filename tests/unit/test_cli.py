"""The command line: init, demo, create-user; clear errors, never a traceback."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT
from tracker.store import Database


def etl(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "etl", *args], capture_output=True, text=True, cwd=ROOT, input=stdin, timeout=120
    )


def test_init_creates_empty_schema_only(tmp_path):
    path = tmp_path / "new.duckdb"
    assert etl("init", "--db", str(path)).returncode == 0
    db = Database.open(path)
    assert db.read("SELECT count(*) FROM issues") == [(0,)]
    assert db.read("SELECT count(*) FROM users") == [(0,)]
    db.close()
    assert "up to date" in etl("init", "--db", str(path)).stdout


def test_demo_is_identical_for_same_seed_and_today(tmp_path):
    rows = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.duckdb"
        result = etl("demo", "--db", str(path), "--seed", "3", "--today", "2026-11-27")
        assert result.returncode == 0, result.stderr
        db = Database.open(path)
        rows.append(
            db.read("SELECT title, owner, lifecycle FROM issues ORDER BY id")
            + db.read("SELECT issue_id, to_stage, event_date FROM stage_events ORDER BY id")
        )
        db.close()
    assert rows[0] == rows[1] and len(rows[0]) > 40


def test_demo_refuses_to_overwrite_without_force(tmp_path):
    path = tmp_path / "d.duckdb"
    etl("init", "--db", str(path))
    result = etl("demo", "--db", str(path))
    assert result.returncode != 0 and "--force" in result.stderr and "Traceback" not in result.stderr


def test_missing_database_is_one_clear_line(tmp_path):
    result = etl("create-user", "anna", "--role", "admin", "--db", str(tmp_path / "nope.duckdb"), stdin="x\n")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "etl init" in result.stderr
    assert not (tmp_path / "nope.duckdb").exists()


def test_create_user_reads_password_from_stdin_and_applies_policy(tmp_path):
    path = tmp_path / "p.duckdb"
    etl("init", "--db", str(path))
    weak = etl("create-user", "anna", "--role", "admin", "--db", str(path), stdin="short\n")
    assert weak.returncode == 1 and "at least 12" in weak.stderr
    ok = etl("create-user", "anna", "--role", "admin", "--db", str(path), stdin="a long enough secret\n")
    assert ok.returncode == 0, ok.stderr
    db = Database.open(path)
    assert db.read("SELECT role FROM users WHERE username = 'anna'") == [("admin",)]
    db.close()


def test_unwritable_folder_is_a_clear_error(tmp_path):
    result = etl("init", "--db", str(tmp_path / "no" / "such" / "dir.duckdb"))
    assert result.returncode == 1 and "does not exist" in result.stderr and "Traceback" not in result.stderr
