"""A full disk under the database: a clear StorageError (never an edit conflict or a
traceback), committed data intact once space is freed, and no serving from a broken
connection."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tracker.domain.errors import StorageError
from tracker.store import Database

from .disk import check_after, edit, fill, present, write_until_refused


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 24 MB tmpfs (skipped where mounting is not allowed; see the file-size-limit test)."""
    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); the RLIMIT_FSIZE test covers it")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def full_db(small_disk: Path, demo_file: Path) -> Path:
    path = small_disk / "tracker.duckdb"
    shutil.copyfile(demo_file, path)
    return path


def test_full_disk_refuses_the_write_clearly_and_keeps_committed_data(full_db):
    db = Database.open(full_db)
    before, exc = write_until_refused(db, "before", limit=5)
    assert exc is None and len(before) == 5
    filler = fill(full_db.parent, leave=150_000)
    during, exc = write_until_refused(db, "during")
    assert isinstance(exc, StorageError), f"expected StorageError, got {exc!r}"
    assert "could not save" in str(exc) and "No space left" in str(exc)
    # The refused write left nothing behind; the connection is still usable for reading.
    assert present(db, before + during) == len(before + during)
    filler.unlink()
    edit(db, 0, "after space was freed")  # the same connection writes again
    db.close()
    issues_count, ok, problems = check_after(full_db)
    assert issues_count == 50 and ok, problems
    db = Database.open(full_db)
    assert present(db, [*before, *during, "after space was freed"]) == len(before) + len(during) + 1
    db.close()


def test_full_disk_during_checkpoint_breaks_the_connection_and_the_app_reopens(full_db, monkeypatch):
    """A checkpoint that cannot write invalidates DuckDB's connection: every later use is a
    StorageError, and the app's get_db() opens a fresh one instead of serving from it."""
    from tracker.ui.shell import db as ui_db

    monkeypatch.setenv("TRACKER_DB", str(full_db))
    db = ui_db.get_db()
    saved, exc = write_until_refused(db, "saved", limit=3)
    assert exc is None
    db.conn.execute("SET checkpoint_threshold = '1KB'")  # every commit checkpoints
    filler = fill(full_db.parent, leave=150_000)
    _, exc = write_until_refused(db, "refused")
    assert isinstance(exc, StorageError) and "No space left" in str(exc)
    assert db.broken
    with pytest.raises(StorageError, match="must reopen"):
        db.read("SELECT 1")
    filler.unlink()
    fresh = ui_db.get_db()
    assert fresh is not db and fresh.broken is None
    assert present(fresh, saved) == len(saved)
    edit(fresh, 1, "written through the reopened connection")
    fresh.close()
    issues_count, ok, problems = check_after(full_db)
    assert issues_count == 50 and ok, problems


def test_file_size_limit_refuses_the_write_clearly_and_keeps_committed_data(demo_file):
    """Where no tmpfs can be mounted: the same through RLIMIT_FSIZE in a child process."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.reliability.disk", str(demo_file), str(150_000)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["error"] == "StorageError" and not outcome["conflict"], outcome
    assert "could not save" in outcome["message"]
    issues_count, ok, problems = check_after(demo_file)
    assert issues_count == 50 and ok, problems
    db = Database.open(demo_file)
    assert present(db, outcome["acknowledged"]) == len(outcome["acknowledged"])
    db.close()


def test_the_issue_page_shows_a_full_disk_as_not_saved_and_keeps_the_input(full_db, monkeypatch):
    """What the officer sees: the page names the storage failure; no conflict, no traceback."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TRACKER_DB", str(full_db))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["auth_username"] = "officer"
    at.query_params["issue"] = "3"
    at.switch_page("pages/issues.py")
    at.run()
    assert not at.exception
    filler = fill(full_db.parent, leave=0)
    at.text_area(key="iss_e3_summary").input("Written while the disk is full " + "x" * 9_000)
    at.button(key="iss_e3_save").click()
    at.run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error) + " ".join(m.value for m in at.markdown)
    assert "could not save" in shown and "No space left" in shown, shown
    assert "changed by" not in shown  # never presented as an edit conflict
    filler.unlink()
    at.button(key="iss_e3_save").click()  # the input was kept: saving again now works
    at.run()
    assert not at.exception
    from tracker.ui.shell.db import get_db  # the app's connection holds the file: read through it

    saved = get_db().read("SELECT summary FROM issues WHERE id = 3")[0][0]
    assert saved.startswith("Written while the disk is full")
