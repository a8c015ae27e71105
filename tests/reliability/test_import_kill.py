"""SIGKILL during a 100,000-row import leaves either all its rows or none."""

from __future__ import annotations

import csv
import io
import random
import time

import pytest

from tests.conftest import TODAY
from tracker.services import integrity
from tracker.store import Database

ROWS = 100_000


def outcome(db: Database, tag: str) -> tuple[int, int, int]:
    """(activities, issue links, audit entries) that the load tagged ``tag`` left behind."""
    acts = db.read("SELECT count(*) FROM activities WHERE starts_with(summary, ?)", [f"{tag} row "])[0][0]
    links = db.read(
        "SELECT count(*) FROM activity_issues ai JOIN activities a ON a.id = ai.activity_id "
        "WHERE starts_with(a.summary, ?)",
        [f"{tag} row "],
    )[0][0]
    entries = db.read("SELECT count(*) FROM audit WHERE contains(CAST(changes AS VARCHAR), ?)", [tag])[0][0]
    return int(acts), int(links), int(entries)


def assert_all_or_none(path, tag: str, committed: bool) -> str:
    db = Database.open(path)
    try:
        found = outcome(db, tag)
        report = integrity.check(db)
    finally:
        db.close()
    full = (ROWS, ROWS, ROWS + 1)
    assert found in ((0, 0, 0), full), f"{tag}: partial import visible: {found}"
    if committed:
        assert found == full, f"{tag}: the import reported its commit, then lost it: {found}"
    assert report.ok, report.problems
    return "all" if found == full else "none"


def test_kill_during_set_wise_load_leaves_all_or_nothing(demo_file, children):
    """Kills spread over the whole load, commit included: never a partial load."""
    rng = random.Random(7)
    pid = children.start("bulk", demo_file, "calibration", ROWS)
    children.wait_for(pid, "begin")
    began = time.monotonic()
    children.wait_for(pid, "committed")
    duration = time.monotonic() - began
    children.wait_gone(pid, 30)
    outcomes = [assert_all_or_none(demo_file, "calibration", committed=True)]
    for attempt in range(4):
        tag = f"load{attempt}"
        pid = children.start("bulk", demo_file, tag, ROWS)
        children.wait_for(pid, "begin")
        time.sleep(rng.uniform(0.1, 1.3) * duration)
        children.kill(pid)
        outcomes.append(assert_all_or_none(demo_file, tag, committed=children.said(pid, "committed")))
    assert children.errors() == ""
    assert "none" in outcomes, outcomes  # at least one kill landed before the commit


def activities_csv(rows: int, tag: str) -> bytes:
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(["Date", "Type", "Summary", "Effort (person-days)", "Issues", "Organisations"])
    for i in range(rows):
        out.writerow([TODAY.isoformat(), "Meeting", f"{tag} row {i}", "0.5", f"#{1 + i % 40}", f"#{1 + i % 60}"])
    return buf.getvalue().encode()


def import_outcome(path, tag: str) -> tuple[int, int, int]:
    """(activities, issue links, audit entries) the spreadsheet import tagged ``tag`` left."""
    db = Database.open(path)
    try:
        found = outcome(db, tag)
        assert integrity.check(db).ok
        return found
    finally:
        db.close()


def test_kill_during_spreadsheet_import_leaves_all_or_nothing(demo_file, tmp_path, children):
    """The product's import of 100,000 rows: once to the end (all rows), once killed while it
    writes (no row). The kill lands well inside the writing phase the first run measured, so
    an import that wrote outside one transaction would leave part of its rows behind."""
    full = (ROWS, ROWS, ROWS + 1)  # rows, their issue links, one entry per row plus the import's
    first = tmp_path / "first.csv"
    first.write_bytes(activities_csv(ROWS, "first"))
    pid = children.start("import", demo_file, first)
    children.wait_for(pid, "progress Writing", timeout=300)
    began = time.monotonic()
    children.wait_for(pid, "committed", timeout=300)
    writing = time.monotonic() - began
    children.wait_gone(pid, 30)
    assert import_outcome(demo_file, "first") == full

    # A later run can be faster than the measured one (warm caches, a quieter machine): if the
    # kill comes too late, try again earlier. Every attempt that committed must be whole.
    for attempt, fraction in enumerate((0.6, 0.3, 0.1, 0.02)):
        tag = f"second{attempt}"
        second = tmp_path / f"{tag}.csv"
        second.write_bytes(activities_csv(ROWS, tag))
        pid = children.start("import", demo_file, second)
        children.wait_for(pid, "progress Writing", timeout=300)
        time.sleep(random.uniform(0.5, 1.0) * fraction * writing)
        killed = children.kill(pid)
        assert children.errors() == ""
        if killed and not children.said(pid, "committed"):
            assert import_outcome(demo_file, tag) == (0, 0, 0), "a killed import left part of its rows"
            break
        assert import_outcome(demo_file, tag) == full, "an import that committed is not whole"
    else:
        pytest.fail("every import finished before its kill")
    assert import_outcome(demo_file, "first") == full
