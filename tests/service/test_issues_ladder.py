"""The influence ladder: every rule of a stage move, and "current stage = latest event"."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.domain.enums import Stage
from tracker.domain.errors import EditConflict, InvalidInput
from tracker.services import issues as svc

TODAY = dt.date(2026, 11, 27)
UP = {"evidence_ref": "Member briefing 12 Nov"}


@pytest.fixture
def issue(db, editor):
    """An issue that started Watching on 1 Nov 2026 (back-dated creation event)."""
    created = svc.create(db, editor, {"title": "Ladder"})
    db.write(
        lambda tx: tx.execute("UPDATE stage_events SET event_date = ? WHERE issue_id = ?", ["2026-11-01", created.id])
    )
    return created


def move(db, editor, issue, **data):
    current = svc.get(db, issue.id)
    return svc.move_stage(db, editor, issue.id, current.version, data)


def fields(exc: InvalidInput) -> list[str]:
    return [e.field for e in exc.errors]


def event_count(db, issue_id):
    return db.read("SELECT count(*) FROM stage_events WHERE issue_id = ?", [issue_id])[0][0]


def test_move_up_with_evidence_records_event_bumps_version_and_audits(db, editor, issue):
    moved = svc.move_stage(
        db,
        editor,
        issue.id,
        issue.version,
        {"to_stage": 1, "event_date": "2026-11-20", "evidence_url": "https://x.eu/b"},
    )
    assert moved.stage == Stage.AWARENESS and moved.version == issue.version + 1
    latest = svc.events(db, issue.id)[0]
    assert (latest["from_stage"], latest["to_stage"], latest["event_date"], latest["author"]) == (
        0,
        1,
        dt.date(2026, 11, 20),
        "olivia",
    )
    entry = svc.history(db, issue.id)[0]
    assert entry["action"] == "stage" and entry["changes"]["stage"] == [0, 1]


def test_date_defaults_to_today(db, editor, issue):
    move(db, editor, issue, to_stage=1, **UP)
    assert svc.events(db, issue.id)[0]["event_date"] == TODAY


def test_stage_accepts_its_label(db, editor, issue):
    assert move(db, editor, issue, to_stage="Awareness-raising", **UP).stage == Stage.AWARENESS


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"to_stage": 1}, "Evidence reference"),
        ({"to_stage": 1, "evidence_url": "javascript:alert(1)"}, "Evidence link"),
        ({"to_stage": 0, **UP}, "New stage"),
        ({"to_stage": 1, "event_date": "2026-11-28", **UP}, "Date"),
        ({"to_stage": 1, "event_date": "2026-10-31", **UP}, "Date"),
        ({"to_stage": 9, **UP}, "New stage"),
        ({"to_stage": "Lobbying", **UP}, "New stage"),
        ({"to_stage": 1, "event_date": "next week", **UP}, "Date"),
    ],
)
def test_move_refused_naming_the_field_records_nothing(db, editor, issue, data, field):
    with pytest.raises(InvalidInput) as exc:
        move(db, editor, issue, **data)
    assert field in fields(exc.value)
    assert event_count(db, issue.id) == 1
    assert svc.get(db, issue.id).version == issue.version


def test_move_down_needs_a_reason(db, editor, issue):
    move(db, editor, issue, to_stage=3, **UP)
    with pytest.raises(InvalidInput) as exc:
        move(db, editor, issue, to_stage=1)
    assert fields(exc.value) == ["Note"]
    down = move(db, editor, issue, to_stage=1, note="Position withdrawn after board review")
    assert down.stage == Stage.AWARENESS


def test_move_down_needs_no_evidence(db, editor, issue):
    move(db, editor, issue, to_stage=2, **UP)
    assert move(db, editor, issue, to_stage=0, note="Dossier shelved").stage == Stage.WATCHING


def test_move_on_the_same_day_as_the_previous_event_is_allowed(db, editor, issue):
    move(db, editor, issue, to_stage=1, event_date="2026-11-01", **UP)
    assert svc.get(db, issue.id).stage == Stage.AWARENESS


def test_stale_stage_move_is_a_conflict_and_records_no_event(db, editor, issue):
    svc.update(db, editor, issue.id, issue.version, {"summary": "changed meanwhile"})
    with pytest.raises(EditConflict) as exc:
        svc.move_stage(db, editor, issue.id, issue.version, {"to_stage": 1, **UP})
    assert "This issue was changed by olivia" in str(exc.value)
    assert event_count(db, issue.id) == 1 and svc.get(db, issue.id).stage == Stage.WATCHING


def test_two_moves_from_the_same_version_only_the_first_wins(db, editor, issue):
    svc.move_stage(db, editor, issue.id, issue.version, {"to_stage": 1, **UP})
    with pytest.raises(EditConflict):
        svc.move_stage(db, editor, issue.id, issue.version, {"to_stage": 2, **UP})
    assert svc.get(db, issue.id).stage == Stage.AWARENESS


def test_current_stage_is_the_latest_event_by_date_not_by_recording(db, editor, issue):
    move(db, editor, issue, to_stage=2, event_date="2026-11-10", **UP)

    # A back-dated event recorded later (as an import would) does not become current.
    def backdated(tx):
        tx.execute(
            "INSERT INTO stage_events (issue_id, from_stage, to_stage, event_date, author) VALUES (?, 0, 1, ?, 'x')",
            [issue.id, "2026-11-05"],
        )

    db.write(backdated)
    assert svc.get(db, issue.id).stage == Stage.POSITIONING
    assert [e["to_stage"] for e in svc.events(db, issue.id)] == [2, 1, 0]


def test_same_day_events_are_ordered_by_recording(db, editor, issue):
    move(db, editor, issue, to_stage=1, event_date="2026-11-15", **UP)
    move(db, editor, issue, to_stage=3, event_date="2026-11-15", **UP)
    move(db, editor, issue, to_stage=2, event_date="2026-11-15", note="Formal input was premature")
    assert svc.get(db, issue.id).stage == Stage.POSITIONING
    assert [e["to_stage"] for e in svc.events(db, issue.id)] == [2, 3, 1, 0]


def test_back_dated_move_after_the_latest_event_becomes_current(db, editor, issue):
    move(db, editor, issue, to_stage=4, event_date="2026-11-03", **UP)
    assert svc.get(db, issue.id).stage == Stage.ACTIVE_INFLUENCING
    assert svc.search(db, {"stages": [4]})["id"].tolist() == [issue.id]


def test_archived_issue_cannot_move(db, editor, issue):
    archived = svc.archive(db, editor, issue.id, issue.version)
    with pytest.raises(InvalidInput):
        svc.move_stage(db, editor, issue.id, archived.version, {"to_stage": 1, **UP})


def test_timeline_merges_events_and_activities_newest_first(db, editor, issue):
    move(db, editor, issue, to_stage=1, event_date="2026-11-10", **UP)

    def activity(tx):
        tx.execute(
            "INSERT INTO activities (id, activity_date, type, summary, created_by) "
            "VALUES (900, ?, 'Briefing', 'Member webinar', 'olivia')",
            ["2026-11-12"],
        )
        tx.execute("INSERT INTO activity_issues VALUES (900, ?)", [issue.id])

    db.write(activity)
    tl = svc.timeline(db, issue.id)
    assert list(zip(tl["kind"], tl["day"].astype(str), strict=True)) == [
        ("activity", "2026-11-12"),
        ("stage", "2026-11-10"),
        ("stage", "2026-11-01"),
    ]


def test_check_move_is_a_pure_rule():
    from tracker.domain.models import StageMove

    ok = StageMove(to_stage=Stage.FORMAL_INPUT, event_date=TODAY, evidence_ref="F1")
    assert svc.check_move(Stage.POSITIONING, dt.date(2026, 1, 1), ok, TODAY) == []
    down = StageMove(to_stage=Stage.WATCHING, event_date=TODAY)
    assert [e.field for e in svc.check_move(Stage.POSITIONING, None, down, TODAY)] == ["Note"]
