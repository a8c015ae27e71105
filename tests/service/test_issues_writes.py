"""Issue writes answer without reading the issue again: what each write returns must be exactly
what a fresh read shows afterwards, and the one read each write makes (inside its transaction)
must keep every check: version, archived, ladder rules and their same-day tie order."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest

from tracker.domain.enums import Stage
from tracker.domain.errors import EditConflict, InvalidInput, NotFound
from tracker.services import issues as svc
from tracker.store import issues as store

UP = {"evidence_ref": "Member briefing 12 Nov"}


@pytest.fixture
def issue(db, editor):
    """An issue at Positioning since 10 Nov 2026 (back-dated events), with a few fields set."""
    created = svc.create(
        db, editor, {"title": "Ladder", "summary": "S", "tags": ["MDR", "skills"], "member_segments": ["SMEs"]}
    )
    db.write(
        lambda tx: tx.execute("UPDATE stage_events SET event_date = ? WHERE issue_id = ?", ["2026-11-01", created.id])
    )
    svc.move_stage(db, editor, created.id, created.version, {"to_stage": 2, "event_date": "2026-11-10", **UP})
    assert not db._write_lock.locked(), "a finished write kept the write lock"
    return svc.get(db, created.id)


def fresh(db, issue_id):
    """What a new page load shows: the issue and its stage_since."""
    return svc.get(db, issue_id), svc.stage_since(db, issue_id)


def insert_event(db, issue_id, from_stage, to_stage, day):
    """An event as an import would record it (no version bump)."""
    db.write(
        lambda tx: tx.execute(
            "INSERT INTO stage_events (issue_id, from_stage, to_stage, event_date, author) VALUES (?, ?, ?, ?, 'x')",
            [issue_id, from_stage, to_stage, day],
        )
    )


def audit_count(db):
    return db.read("SELECT count(*) FROM audit")[0][0]


# ------------------------------------------------------------------ what a write returns


def test_create_returns_what_a_fresh_read_shows(db, editor):
    made = svc.create(
        db,
        editor,
        {"title": "  New one  ", "tags": ["b", "a"], "stage": 2, "evidence_ref": "ref", "next_review": "2026-12-01"},
    )
    assert made == svc.get(db, made.id)
    assert svc.stage_since(db, made.id) == dt.date(2026, 11, 27)
    assert (made.stage, made.version, made.created_by, made.updated_by) == (Stage.POSITIONING, 1, "olivia", "olivia")


def test_update_returns_what_a_fresh_read_shows(db, editor, other, issue):
    done = svc.update(
        db,
        other,
        issue.id,
        issue.version,
        {"title": "  Renamed  ", "tags": ["new", "MDR"], "owner": "karol", "next_review": "2026-12-24"},
    )
    again, since = fresh(db, issue.id)
    assert done == again
    assert (done.stage, since) == (Stage.POSITIONING, dt.date(2026, 11, 10))
    assert (done.version, done.updated_by, done.title) == (issue.version + 1, "karol", "Renamed")
    assert done.updated_at is not None and done.updated_at != issue.updated_at


def test_update_with_no_change_returns_the_issue_unchanged(db, editor, issue):
    done = svc.update(db, editor, issue.id, issue.version, {"title": "Ladder"})
    assert done == issue == svc.get(db, issue.id)


def test_move_returns_what_a_fresh_read_shows(db, editor, other, issue):
    done = svc.move_stage(db, other, issue.id, issue.version, {"to_stage": 3, "event_date": "2026-11-20", **UP})
    again, since = fresh(db, issue.id)
    assert done == again
    assert (done.stage, since, done.version, done.updated_by) == (
        Stage.FORMAL_INPUT,
        dt.date(2026, 11, 20),
        issue.version + 1,
        "karol",
    )


def test_move_on_the_day_of_the_latest_event_becomes_current(db, editor, issue):
    # Same date as the latest event: the tie goes to the later-recorded event, the new one.
    down = svc.move_stage(
        db, editor, issue.id, issue.version, {"to_stage": 1, "event_date": "2026-11-10", "note": "Too early"}
    )
    assert down == svc.get(db, issue.id) and down.stage == Stage.AWARENESS
    assert svc.stage_since(db, issue.id) == dt.date(2026, 11, 10)
    up = svc.move_stage(db, editor, issue.id, down.version, {"to_stage": 4, "event_date": "2026-11-10", **UP})
    assert up == svc.get(db, issue.id) and up.stage == Stage.ACTIVE_INFLUENCING


def test_move_after_a_back_dated_import_returns_what_a_fresh_read_shows(db, editor, issue):
    # Recorded later (higher id) but dated earlier: not current, and not "the previous change".
    insert_event(db, issue.id, 2, 5, "2026-11-05")
    assert svc.get(db, issue.id).stage == Stage.POSITIONING
    done = svc.move_stage(db, editor, issue.id, issue.version, {"to_stage": 3, "event_date": "2026-11-10", **UP})
    assert done == svc.get(db, issue.id) and done.stage == Stage.FORMAL_INPUT


def test_archive_and_restore_return_what_a_fresh_read_shows(db, editor, other, issue):
    archived = svc.archive(db, other, issue.id, issue.version)
    assert archived == svc.get(db, issue.id)
    assert archived.archived_at is not None and archived.updated_by == "karol" and archived.stage == Stage.POSITIONING
    restored = svc.restore(db, editor, issue.id, archived.version)
    assert restored == svc.get(db, issue.id)
    assert restored.archived_at is None and restored.version == issue.version + 2


def test_bulk_returns_what_fresh_reads_show(db, editor, issue):
    second = svc.create(db, editor, {"title": "Second", "owner": "karol"})
    pairs = [(issue.id, issue.version), (second.id, second.version)]
    done = svc.bulk_add_tag(db, editor, pairs, "Board")
    assert done == [svc.get(db, issue.id), svc.get(db, second.id)]
    assert [i.version for i in done] == [issue.version + 1, second.version + 1]
    # No change for one of them (owner already karol): returned as it is, version kept.
    done = svc.bulk_reassign(db, editor, [(i.id, i.version) for i in done], "karol")
    assert done == [svc.get(db, issue.id), svc.get(db, second.id)]
    assert done[1].version == second.version + 1


# ------------------------------------------------------------------ the checks of the one read


def test_stale_edit_is_a_conflict_with_the_newer_values_and_writes_nothing(db, editor, other, issue):
    svc.update(db, other, issue.id, issue.version, {"title": "Karol's"})
    audits = audit_count(db)
    with pytest.raises(EditConflict) as exc:
        svc.update(db, editor, issue.id, issue.version, {"summary": "Olivia's"})
    assert exc.value.changed_by == "karol"
    assert exc.value.current["title"] == "Karol's" and exc.value.current["version"] == issue.version + 1
    assert exc.value.current["stage"] == int(Stage.POSITIONING)
    assert svc.get(db, issue.id).summary == "S" and audit_count(db) == audits


def test_stale_move_is_a_conflict_and_records_no_event(db, editor, other, issue):
    moved = svc.move_stage(db, other, issue.id, issue.version, {"to_stage": 3, "event_date": "2026-11-20", **UP})
    events, audits = len(svc.events(db, issue.id)), audit_count(db)
    with pytest.raises(EditConflict) as exc:
        svc.move_stage(db, editor, issue.id, issue.version, {"to_stage": 4, "event_date": "2026-11-21", **UP})
    assert exc.value.current["stage"] == int(Stage.FORMAL_INPUT) and exc.value.current["version"] == moved.version
    assert len(svc.events(db, issue.id)) == events and audit_count(db) == audits


def test_stale_bulk_names_the_stale_issue(db, editor, other, issue):
    second = svc.create(db, editor, {"title": "Second"})
    svc.update(db, other, second.id, second.version, {"title": "Changed"})
    with pytest.raises(EditConflict) as exc:
        svc.bulk_add_tag(db, editor, [(issue.id, issue.version), (second.id, second.version)], "Board")
    assert exc.value.entity_id == second.id and exc.value.current["title"] == "Changed"
    assert svc.get(db, issue.id).tags == ["MDR", "skills"]


def test_edit_checks_fields_before_the_version_and_the_version_before_archived(db, editor, other, issue):
    svc.update(db, other, issue.id, issue.version, {"title": "Karol's"})
    with pytest.raises(InvalidInput) as exc:
        svc.update(db, editor, issue.id, issue.version, {"title": ""})
    assert [e.field for e in exc.value.errors] == ["Title"]
    current = svc.get(db, issue.id)
    svc.archive(db, editor, issue.id, current.version)
    with pytest.raises(EditConflict):
        svc.update(db, editor, issue.id, current.version, {"title": "y"})


def test_archived_issue_cannot_be_edited_or_moved(db, editor, issue):
    archived = svc.archive(db, editor, issue.id, issue.version)
    before = (svc.get(db, issue.id), len(svc.events(db, issue.id)), audit_count(db))
    with pytest.raises(InvalidInput, match="archived"):
        svc.update(db, editor, issue.id, archived.version, {"title": "y"})
    with pytest.raises(InvalidInput, match="archived"):
        svc.move_stage(db, editor, issue.id, archived.version, {"to_stage": 3, **UP})
    assert (svc.get(db, issue.id), len(svc.events(db, issue.id)), audit_count(db)) == before


def test_ladder_rules_use_the_later_recorded_of_same_day_events(db, editor, issue):
    # Two events on the latest date: Formal input, then (recorded later) back to Positioning.
    insert_event(db, issue.id, 2, 3, "2026-11-15")
    insert_event(db, issue.id, 3, 2, "2026-11-15")
    assert svc.get(db, issue.id).stage == Stage.POSITIONING
    with pytest.raises(InvalidInput) as exc:
        svc.move_stage(db, editor, issue.id, issue.version, {"to_stage": 2, "event_date": "2026-11-20", **UP})
    assert "already at Positioning" in str(exc.value.errors[0])
    # Up from Positioning (not down from Formal input): evidence needed, no note.
    with pytest.raises(InvalidInput) as exc:
        svc.move_stage(db, editor, issue.id, issue.version, {"to_stage": 3, "event_date": "2026-11-20"})
    assert [e.field for e in exc.value.errors] == ["Evidence reference"]
    # The previous change is the latest date, whichever event holds it.
    with pytest.raises(InvalidInput) as exc:
        svc.move_stage(db, editor, issue.id, issue.version, {"to_stage": 3, "event_date": "2026-11-14", **UP})
    assert [e.field for e in exc.value.errors] == ["Date"]
    done = svc.move_stage(db, editor, issue.id, issue.version, {"to_stage": 3, "event_date": "2026-11-15", **UP})
    assert done == svc.get(db, issue.id) and done.stage == Stage.FORMAL_INPUT
    [entry] = [e for e in svc.history(db, issue.id) if e["action"] == "stage"][:1]
    assert entry["changes"]["stage"] == [2, 3]


def test_move_audits_in_the_same_transaction_as_the_event(db, editor, issue):
    done = svc.move_stage(db, editor, issue.id, issue.version, {"to_stage": 3, "event_date": "2026-11-20", **UP})
    entry = svc.history(db, issue.id)[0]
    assert entry["action"] == "stage" and entry["changes"]["event_id"][1] == svc.events(db, issue.id)[0]["id"]
    assert done.version == issue.version + 1


# ------------------------------------------------------------------ reading before the write lock


def save_in_between(db, monkeypatch, other_write):
    """Make ``other_write`` commit right after the next write's read of its issue (as another
    officer's save finishing while this one reads), once."""
    real = store.get_tx
    done: list[bool] = []

    def get_tx(tx, issue_id):
        row = real(tx, issue_id)
        if not done and threading.current_thread() is threading.main_thread():
            done.append(True)
            t = threading.Thread(daemon=True, target=other_write)
            t.start()
            t.join(10)
            assert not t.is_alive(), "the other save waited for this write's lock"
            assert not db._write_lock.locked(), "the other save kept the write lock"
        return row

    monkeypatch.setattr(store, "get_tx", get_tx)


def test_an_edit_saved_between_the_read_and_the_write_is_a_conflict(db, editor, other, issue, monkeypatch):
    save_in_between(db, monkeypatch, lambda: svc.update(db, other, issue.id, issue.version, {"title": "Karol's"}))
    audits = audit_count(db)
    with pytest.raises(EditConflict) as exc:
        svc.update(db, editor, issue.id, issue.version, {"title": "Olivia's", "summary": "Hers"})
    assert exc.value.current["title"] == "Karol's" and exc.value.current["version"] == issue.version + 1
    now = svc.get(db, issue.id)
    assert (now.title, now.summary, now.version) == ("Karol's", "S", issue.version + 1)
    assert audit_count(db) == audits + 1
    assert not db._write_lock.locked()


def test_a_move_saved_between_the_read_and_the_write_is_a_conflict(db, editor, other, issue, monkeypatch):
    save_in_between(
        db,
        monkeypatch,
        lambda: svc.move_stage(db, other, issue.id, issue.version, {"to_stage": 3, "event_date": "2026-11-20", **UP}),
    )
    events = len(svc.events(db, issue.id))
    with pytest.raises(EditConflict) as exc:
        svc.move_stage(db, editor, issue.id, issue.version, {"to_stage": 1, "event_date": "2026-11-12", "note": "n"})
    assert exc.value.current["stage"] == int(Stage.FORMAL_INPUT)
    assert len(svc.events(db, issue.id)) == events + 1 and svc.get(db, issue.id).stage == Stage.FORMAL_INPUT


def test_an_archive_saved_between_the_read_and_an_edit_is_a_conflict(db, editor, other, issue, monkeypatch):
    save_in_between(db, monkeypatch, lambda: svc.archive(db, other, issue.id, issue.version))
    with pytest.raises(EditConflict):
        svc.update(db, editor, issue.id, issue.version, {"title": "Olivia's"})
    now = svc.get(db, issue.id)
    assert now.archived_at is not None and now.title == "Ladder"


def test_refused_and_unchanged_writes_leave_the_write_lock_free(db, editor, other, issue):
    with pytest.raises(NotFound):
        svc.update(db, editor, 999_999, 1, {"title": "x"})
    with pytest.raises(InvalidInput):
        svc.move_stage(db, editor, issue.id, issue.version, {"to_stage": 2, **UP})
    svc.update(db, other, issue.id, issue.version, {"title": "Karol's"})
    with pytest.raises(EditConflict):
        svc.archive(db, editor, issue.id, issue.version)
    assert not db._write_lock.locked()
    # An edit that changes nothing only reads: it does not wait for the lock.
    current = svc.get(db, issue.id)
    with db._write_lock:
        t = threading.Thread(
            daemon=True, target=svc.update, args=(db, editor, issue.id, current.version, {"title": "Karol's"})
        )
        t.start()
        t.join(5)
        assert not t.is_alive()


# ------------------------------------------------------------------ the one read


def test_reading_one_issue_agrees_with_the_list_on_stage_and_since(db, editor, issue):
    """The single-issue read and the lists both use the issue_stage view; ties on a date go
    to the later-recorded event, back-dated imports do not become current."""
    insert_event(db, issue.id, 2, 3, "2026-11-15")
    insert_event(db, issue.id, 3, 1, "2026-11-15")
    tied = svc.create(db, editor, {"title": "Tied"})
    insert_event(db, tied.id, 0, 4, "2026-11-27")
    insert_event(db, tied.id, 4, 2, "2026-11-27")
    back = svc.create(db, editor, {"title": "Back-dated"})
    insert_event(db, back.id, 0, 5, "2026-10-01")
    listed = svc.search(db, {"sort": "id"}).set_index("id")
    for issue_id, stage, since in (
        (issue.id, Stage.AWARENESS, dt.date(2026, 11, 15)),
        (tied.id, Stage.POSITIONING, dt.date(2026, 11, 27)),
        (back.id, Stage.WATCHING, dt.date(2026, 11, 27)),
    ):
        assert (svc.get(db, issue_id).stage, svc.stage_since(db, issue_id)) == (stage, since)
        row = listed.loc[issue_id]
        assert (int(row["stage"]), row["stage_since"].date()) == (int(stage), since)


# ------------------------------------------------------------------ the one read's cost


def _nodes(node):
    yield node
    for child in node.get("children", []):
        yield from _nodes(child)


def test_reading_one_issue_scans_only_its_own_stage_events(db, editor, issue):
    """The id filter must reach stage_events through the issue_stage view (an index scan of one
    issue's events), or every write would aggregate the whole event table."""
    for n in range(3):  # others' events, so statistics cannot prove the filter always true
        svc.create(db, editor, {"title": f"Other {n}"})
    plan = db.read("EXPLAIN (FORMAT json) " + store.SELECT_ONE, [issue.id])
    nodes = [n for root in json.loads(plan[0][1]) for n in _nodes(root)]
    [scan] = [n for n in nodes if str(n.get("extra_info", {}).get("Table", "")).endswith("stage_events")]
    assert "issue_id" in json.dumps(scan["extra_info"].get("Filters", "")), scan["extra_info"]
