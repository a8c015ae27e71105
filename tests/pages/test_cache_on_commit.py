"""Cached views follow the data: a commit clears them without the page asking, and a change
committed by another process is noticed on the next rerun."""

from __future__ import annotations

from pathlib import Path

from tracker import runtime
from tracker.services import accounts, issues
from tracker.store import Database


def _titles(at) -> set[str]:
    return {str(v) for df in at.dataframe for v in df.value.get("Title", [])}


def _first_title(db: Database) -> tuple[int, int, str]:
    issue_id, version, title = db.read("SELECT id, version, title FROM issues ORDER BY id LIMIT 1")[0]
    return int(issue_id), int(version), str(title)


def test_a_commit_clears_cached_readers_without_anyone_asking(db_path: Path, monkeypatch) -> None:
    import streamlit as st

    from tracker.ui.shell.db import get_db

    Database.open(db_path, create=True).close()
    monkeypatch.setenv("TRACKER_DB", str(db_path))
    calls: list[int] = []

    @st.cache_data
    def reader(key: int) -> int:
        calls.append(key)
        return len(calls)

    database = get_db()
    assert reader(1) == reader(1) == 1
    database.write(lambda tx: tx.audit("someone", "note", None, "create"))
    assert reader(1) == 2


def test_a_write_outside_the_page_shows_at_the_next_rerun(app_for, db_path: Path) -> None:
    at = app_for("director", "pages/issues.py")
    db = runtime.database(db_path)  # the very connection the page reads through
    issue_id, version, title = _first_title(db)
    assert title in _titles(at)
    officer = accounts.get_user(db, "officer")
    issues.update(db, officer, issue_id, version, {"title": "Renamed by a colleague"})
    at.run()
    assert "Renamed by a colleague" in _titles(at)
    assert title not in _titles(at)


def test_a_change_made_by_another_process_shows_at_the_next_rerun(app_for, db_path: Path) -> None:
    at = app_for("director", "pages/issues.py")
    issue_id, _, title = _first_title(runtime.database(db_path))
    # A second Database object is another writer this process's hooks know nothing of: all the
    # page can learn of its write is the data epoch.
    elsewhere = Database.open(db_path)
    try:
        elsewhere.write(lambda tx: tx.execute("UPDATE issues SET title = 'Changed elsewhere' WHERE id = ?", [issue_id]))
    finally:
        elsewhere.close()
    at.run()
    assert "Changed elsewhere" in _titles(at)
    assert title not in _titles(at)
