"""`python -m etl import-consultations FILE`: counts on success, one clear line and exit 1 on refusal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.real_data import HAVE_YOUR_SAY
from tracker.store import Database

REAL = HAVE_YOUR_SAY


def etl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.fixture
def empty_db(tmp_path) -> Path:
    path = tmp_path / "cli.duckdb"
    assert etl("init", "--db", str(path)).returncode == 0
    return path


def test_import_prints_counts_and_reimport_is_unchanged(empty_db):
    first = etl("import-consultations", str(REAL), "--db", str(empty_db))
    assert first.returncode == 0, first.stderr
    assert "657 inserted, 0 updated, 0 unchanged" in first.stdout
    again = etl("import-consultations", str(REAL), "--db", str(empty_db))
    assert again.returncode == 0 and "0 inserted, 0 updated, 657 unchanged" in again.stdout
    db = Database.open(empty_db)
    assert db.read("SELECT count(*) FROM consultations") == [(657,)]
    db.close()


def test_file_level_refusal_is_one_line(empty_db, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = etl("import-consultations", str(empty), "--db", str(empty_db))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "The file is empty" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_rows_are_listed_by_line_and_nothing_written(empty_db, tmp_path):
    lines = REAL.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",15 April 2025,", ",15 Apryl 2025,")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines[:5]) + "\n", encoding="utf-8")
    result = etl("import-consultations", str(bad), "--db", str(empty_db))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "1 unusable row" in result.stderr
    assert "line 4, consultation_start_date: '15 Apryl 2025'" in result.stderr
    db = Database.open(empty_db)
    assert db.read("SELECT count(*) FROM consultations") == [(0,)]
    db.close()


def test_missing_file_and_missing_database_are_clear(empty_db, tmp_path):
    nofile = etl("import-consultations", str(tmp_path / "nope.csv"), "--db", str(empty_db))
    assert nofile.returncode == 1 and "There is no file" in nofile.stderr
    nodb = etl("import-consultations", str(REAL), "--db", str(tmp_path / "none.duckdb"))
    assert nodb.returncode == 1 and "etl init" in nodb.stderr and nodb.stderr.count("\n") == 1


def test_fifty_megabyte_file_is_refused_before_reading(empty_db, tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    result = etl("import-consultations", str(big), "--db", str(empty_db))
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "50.0 MB" in result.stderr and "limit is 20 MB" in result.stderr
