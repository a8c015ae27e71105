"""The integrity check: a sound database passes; each kind of damage is named."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tracker.services import integrity, issues
from tracker.store import Database


def problems(db: Database) -> list[str]:
    return [str(p) for p in integrity.check(db).problems]


def etl_check(path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "etl", "check", "--db", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def sql(db: Database, statement: str, params=None) -> None:
    db.write(lambda tx: tx.execute(statement, params))


def test_demo_database_passes(demo):
    report = integrity.check(demo)
    assert report.ok, report.problems
    assert report.summary().startswith("OK — 9 checks passed on 50 issues")


def test_empty_database_passes(db):
    assert integrity.check(db).ok


def test_service_written_changes_pass(demo, editor):
    issue = issues.create(demo, editor, {"title": "Battery passport", "level": "eu"})
    issue = issues.update(demo, editor, issue.id, issue.version, {"title": "Battery passport rules"})
    issues.move_stage(demo, editor, issue.id, issue.version, {"to_stage": 1, "evidence_ref": "Newsletter 12"})
    assert problems(demo) == []


def test_broken_stage_chain_is_named(demo):
    event = demo.read("SELECT id, issue_id FROM stage_events WHERE from_stage IS NOT NULL ORDER BY id LIMIT 1")[0]
    sql(demo, "UPDATE stage_events SET from_stage = NULL WHERE id = ?", [event[0]])
    found = problems(demo)
    assert any(f"issue {event[1]}, event {event[0]}" in p and "starts from nothing" in p for p in found), found


def test_first_event_must_start_from_nothing(demo):
    event = demo.read("SELECT id FROM stage_events WHERE from_stage IS NULL ORDER BY id LIMIT 1")[0][0]
    sql(demo, "UPDATE stage_events SET from_stage = 3 WHERE id = ?", [event])
    assert any(f"event {event}" in p and "previous event ended at nothing" in p for p in problems(demo))


def test_issue_without_events_is_named(demo):
    sql(demo, "DELETE FROM stage_events WHERE issue_id = 7")
    assert any("has no stage event: 7" in p for p in problems(demo))


def test_stage_off_the_ladder_is_named(demo):
    event = demo.read("SELECT max(id) FROM stage_events")[0][0]
    sql(demo, "UPDATE stage_events SET to_stage = 9 WHERE id = ?", [event])
    assert any("not rungs of the ladder" in p for p in problems(demo))


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        (
            "DELETE FROM organisations WHERE id IN (SELECT organisation_id FROM signatories)",
            "signatories.organisation_id",
        ),
        ("DELETE FROM issues WHERE id IN (SELECT issue_id FROM activity_issues)", "activity_issues.issue_id"),
        (
            "DELETE FROM consultations WHERE id IN (SELECT consultation_id FROM consultation_issues)",
            "consultation_issues",
        ),
        (
            "DELETE FROM joint_positions WHERE id IN (SELECT joint_position_id FROM consultations)",
            "consultations.joint_position_id",
        ),
        ("DELETE FROM contacts WHERE id IN (SELECT contact_id FROM activity_contacts)", "activity_contacts.contact_id"),
        (
            "UPDATE contacts SET organisation_id = 99999 WHERE id = 1",
            "contacts.organisation_id points to missing rows: organisations 99999",
        ),
    ],
)
def test_dangling_links_are_named(demo, statement, expected):
    sql(demo, statement)
    found = problems(demo)
    assert any(expected in p and "points to missing rows" in p for p in found), found


def test_soft_deleted_rows_are_still_valid_link_targets(demo):
    sql(demo, "UPDATE organisations SET deleted_at = now()::TIMESTAMP")
    sql(demo, "UPDATE issues SET archived_at = now()::TIMESTAMP")
    assert problems(demo) == []


def test_version_below_one_is_named(demo):
    sql(demo, "UPDATE activities SET version = 0 WHERE id = 5")
    assert any("activities: id 5 has version 0" in p for p in problems(demo))


def test_unknown_code_in_closed_list_is_named(demo):
    sql(demo, "UPDATE issues SET lifecycle = 'zombie' WHERE id = 2")
    assert any("issues.lifecycle holds unknown values: id 2: 'zombie'" in p for p in problems(demo))


def test_duplicate_signatory_is_named(demo):
    sql(
        demo,
        "INSERT INTO signatories (joint_position_id, organisation_id, status, status_date) "
        "SELECT joint_position_id, organisation_id, status, status_date FROM signatories ORDER BY id LIMIT 1",
    )
    assert any("signatories: listed more than once" in p for p in problems(demo))


def test_sequence_behind_the_table_is_named(demo):
    sql(demo, "INSERT INTO organisations (id, name) VALUES (5000, 'Imported with an explicit id')")
    assert any("organisations: the id sequence" in p and "id 5000" in p for p in problems(demo))


def test_audited_row_that_vanished_is_named(demo, editor):
    issue = issues.create(demo, editor, {"title": "Short-lived"})
    sql(demo, "DELETE FROM stage_events WHERE issue_id = ?", [issue.id])
    sql(demo, "DELETE FROM issues WHERE id = ?", [issue.id])
    assert any(f"entries name rows that do not exist: issue {issue.id}" in p for p in problems(demo))


def test_audited_removal_is_not_a_problem(demo, editor):
    issue = issues.create(demo, editor, {"title": "Removed on purpose"})

    def remove(tx):
        tx.execute("DELETE FROM stage_events WHERE issue_id = ?", [issue.id])
        tx.execute("DELETE FROM issues WHERE id = ?", [issue.id])
        tx.audit("admin", "issue", issue.id, "delete", {})

    demo.write(remove)
    assert problems(demo) == []


def test_change_without_audit_entry_is_named(demo, editor):
    issue = issues.create(demo, editor, {"title": "Edited behind the log's back"})
    sql(demo, "UPDATE issues SET title = 'x', version = version + 1 WHERE id = ?", [issue.id])
    found = problems(demo)
    assert any(f"issues changed without an audit entry: id {issue.id} at version 2 with 1 entry" in p for p in found)


def test_unlogged_change_without_any_bulk_load_is_named(db):
    sql(db, "INSERT INTO organisations (name, version) VALUES ('Edited twice, never logged', 3)")
    assert any("organisations changed without an audit entry" in p for p in problems(db))


def test_bulk_loaded_rows_need_no_entry_of_their_own(db):
    def load(tx):
        tx.execute("INSERT INTO organisations (name, version) VALUES ('Loaded at version 3', 3)")
        tx.audit("system", "database", None, "import", {"rows": [None, 1]})

    db.write(load)
    assert problems(db) == []


def test_stored_stage_column_is_named(db):
    sql(db, "ALTER TABLE issues ADD COLUMN stage INTEGER")
    assert any("stored stage column" in p for p in problems(db))


def test_check_while_officers_write_raises_no_false_alarm(demo, editor):
    """The check reads one snapshot, so writes committed meanwhile never make it see half a change."""
    import random
    import threading

    from .workload import Targets, one_write

    targets = Targets.pick(demo)
    stop = threading.Event()
    failures: list[BaseException] = []

    def officer(seed: int) -> None:
        rng = random.Random(seed)
        while not stop.is_set():
            try:
                one_write(demo, editor, targets, rng)
            except BaseException as exc:
                failures.append(exc)

    threads = [threading.Thread(target=officer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    try:
        reports = [integrity.check(demo) for _ in range(8)]
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert failures == []
    assert all(r.ok for r in reports), [r.problems for r in reports if not r.ok]
    assert len({r.counts["audit"] for r in reports}) > 1  # the writers really wrote meanwhile


def test_cli_says_ok_and_exits_zero(demo, demo_file):
    demo.close()
    result = etl_check(demo_file)
    assert result.returncode == 0, result.stderr
    assert "OK — 9 checks passed on 50 issues" in result.stdout


def test_cli_lists_problems_and_exits_non_zero(demo, demo_file):
    sql(demo, "DELETE FROM stage_events WHERE issue_id = 3")
    sql(demo, "UPDATE joint_positions SET lead_organisation_id = 424242 WHERE id = 1")
    demo.close()
    result = etl_check(demo_file)
    assert result.returncode == 1
    assert "2 problems found" in result.stderr
    assert "has no stage event: 3" in result.stderr and "organisations 424242" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_on_missing_database_is_one_line(tmp_path):
    result = etl_check(tmp_path / "none.duckdb")
    assert result.returncode == 1 and "No database at" in result.stderr and result.stderr.count("\n") == 1


def test_signatory_changes_logged_on_their_position_pass(db):
    from tracker.services import accounts, joint_positions, organisations

    boss = accounts.create_user(db, None, {"username": "boss", "role": "admin"}, "a long enough secret", bootstrap=True)
    org = organisations.create(db, boss, {"name": "Nordic MedTech Cluster"})
    position = joint_positions.create(db, boss, {"title": "Joint call on notified bodies"})
    signatory = joint_positions.add_signatory(db, boss, position.id, {"organisation_id": org.id})
    joint_positions.update_signatory(db, boss, signatory.id, signatory.version, {"status": "agreed"})
    assert problems(db) == []
    sql(db, "UPDATE signatories SET version = version + 1 WHERE id = ?", [signatory.id])
    assert problems(db) == []  # the position's log records a signatory change: cannot tell which
    sql(db, "DELETE FROM audit WHERE action = 'update signatory'")
    assert any("signatories changed without an audit entry" in p for p in problems(db))


def test_every_kind_of_service_write_keeps_the_invariants(db):
    """On a database built only through the services (no bulk load: the strictest audit rule),
    every kind of write leaves the integrity check green."""
    from tracker.services import accounts, activities, consultations, contacts, joint_positions, organisations

    boss = accounts.create_user(db, None, {"username": "boss", "role": "admin"}, "a long enough secret", bootstrap=True)
    a = organisations.create(db, boss, {"name": "Nordic MedTech Cluster"})
    b = organisations.create(db, boss, {"name": "Baltic Health Cluster"})
    dup = organisations.create(db, boss, {"name": "Nordic Medtech Cluster"}, confirm_similar=True)
    a = organisations.update(db, boss, a.id, a.version, {"name": "Nordic MedTech Cluster", "country": "Denmark"})
    a = organisations.merge(db, boss, a.id, a.version, dup.id, dup.version)
    person = contacts.create(db, boss, {"name": "Anna Keller", "organisation_id": a.id})
    person = contacts.update(db, boss, person.id, person.version, {"name": "Anna Keller", "role": "Rapporteur"})
    contacts.erase(db, boss, person.id, person.version)

    issue = issues.create(db, boss, {"title": "MDR transition"})
    issue = issues.update(db, boss, issue.id, issue.version, {"priority": "high"})
    issue = issues.move_stage(db, boss, issue.id, issue.version, {"to_stage": 2, "evidence_ref": "Position note"})
    issue = issues.move_stage(db, boss, issue.id, issue.version, {"to_stage": 1, "note": "Reopened"})
    other = issues.create(db, boss, {"title": "Battery passport"})
    other = issues.archive(db, boss, other.id, other.version)
    other = issues.restore(db, boss, other.id, other.version)
    issues.bulk_add_tag(db, boss, [(issue.id, issue.version), (other.id, other.version)], "SMEs")

    cons = consultations.create(
        db,
        boss,
        {"title": "Call for evidence", "authority": "DG SANTE", "closes": "2026-12-20", "issue_ids": [issue.id]},
    )
    cons = consultations.record_response(db, boss, cons.id, cons.version, {"response_status": "drafting"})
    pos = joint_positions.create(db, boss, {"title": "Joint call", "issue_ids": [issue.id], "consultation_id": cons.id})
    sig = joint_positions.add_signatory(db, boss, pos.id, {"organisation_id": a.id})
    sig = joint_positions.update_signatory(db, boss, sig.id, sig.version, {"status": "agreed"})
    extra = joint_positions.add_signatory(db, boss, pos.id, {"organisation_id": b.id})
    joint_positions.remove_signatory(db, boss, extra.id, extra.version)
    pos = joint_positions.get(db, pos.id)
    joint_positions.set_status(db, boss, pos.id, pos.version, {"status": "drafting"})

    from tracker.domain.enums import ReferenceKind
    from tracker.services import reference

    reference.add(db, boss, ReferenceKind.ACTIVITY_TYPE, "Meeting")
    act = activities.create(
        db,
        boss,
        {"activity_date": "2026-11-20", "type": "Meeting", "summary": "Met DG SANTE", "issue_ids": [issue.id]},
    )
    act = activities.update(
        db,
        boss,
        act.id,
        act.version,
        {"activity_date": "2026-11-20", "type": "Meeting", "summary": "Met DG SANTE again"},
    )
    activities.delete(db, boss, act.id, act.version)

    report = integrity.check(db)
    assert report.ok, report.problems
    assert db.read("SELECT count(*) FROM audit WHERE entity_id IS NULL") == [(0,)]  # no bulk load: strict rule


def test_moving_a_list_value_leaves_no_unaudited_version(db):
    from tracker.domain.enums import ReferenceKind
    from tracker.services import accounts, reference

    boss = accounts.create_user(db, None, {"username": "boss", "role": "admin"}, "a long enough secret", bootstrap=True)
    reference.add(db, boss, ReferenceKind.ACTIVITY_TYPE, "Meeting")
    newsletter = reference.add(db, boss, ReferenceKind.ACTIVITY_TYPE, "Newsletter")
    reference.move(db, boss, newsletter["id"], -1)
    assert problems(db) == []


def test_check_reports_pending_migrations_without_applying_them(demo, demo_file):
    from tracker.store.migrations import LATEST

    sql(demo, "DELETE FROM schema_migrations WHERE version = ?", [LATEST])
    demo.close()
    result = etl_check(demo_file)
    assert result.returncode == 1 and f"migrations not applied: {LATEST}" in result.stderr
    assert etl_check(demo_file).returncode == 1  # the check itself never migrates
