"""My work: each list selects exactly what its rule says, on the demo data (checked against the
raw rows with the rule written out in Python), and the follow-up writes are versioned and audited."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from tests.conftest import TODAY, user
from tracker.domain.errors import EditConflict, InvalidInput, PermissionDenied
from tracker.services import activities, my_work

OWNERS = ("officer", "m.dubois", "k.nowak", "s.jansen")


def arrange(db, sql: str, params: list) -> None:
    db.write(lambda tx: tx.execute(sql, params))


def owned(db) -> dict[int, str]:
    return {r[0]: r[1] for r in db.read("SELECT id, owner FROM issues")}


# ------------------------------------------------------------------ my issues


def test_my_issues_are_my_open_issues_with_overdue_reviews_first(demo_db):
    rows = my_work.issues(demo_db, "officer", TODAY)
    expected = {
        r[0]
        for r in demo_db.read("SELECT id, owner, archived_at, lifecycle FROM issues")
        if r[1] == "officer" and r[2] is None and r[3] in ("active", "paused")
    }
    assert {r["id"] for r in rows} == expected
    overdue = [r for r in rows if r["next_review"] is not None and r["next_review"] < TODAY]
    assert overdue, "the demo has overdue reviews"
    assert rows[: len(overdue)] == overdue  # overdue first …
    assert [r["next_review"] for r in overdue] == sorted(r["next_review"] for r in overdue)  # … oldest first
    assert all(r["review_overdue"] for r in overdue) and not any(r["review_overdue"] for r in rows[len(overdue) :])


def test_an_issue_without_activity_for_six_weeks_has_gone_quiet(demo_db):
    last: dict[int, dt.date] = {}
    for issue_id, day in demo_db.read(
        "SELECT x.issue_id, a.activity_date FROM activity_issues x JOIN activities a ON a.id = x.activity_id "
        "WHERE a.deleted_at IS NULL"
    ):
        last[issue_id] = max(day, last.get(issue_id, day))
    created = {r[0]: r[1].date() for r in demo_db.read("SELECT id, created_at FROM issues")}
    rows = my_work.issues(demo_db, "officer", TODAY)
    for r in rows:
        assert r["last_activity"] == last.get(r["id"])
        assert r["gone_quiet"] == (last.get(r["id"], created[r["id"]]) < TODAY - dt.timedelta(weeks=6)), r
    quiet = [r for r in rows if r["gone_quiet"]]
    assert quiet and len(quiet) < len(rows)

    activities.create(
        demo_db,
        user(demo_db, "officer"),
        {"activity_date": TODAY, "type": "Meeting", "summary": "Back on it", "issue_ids": [quiet[0]["id"]]},
    )
    again = {r["id"]: r for r in my_work.issues(demo_db, "officer", TODAY)}
    assert again[quiet[0]["id"]]["gone_quiet"] is False
    assert again[quiet[0]["id"]]["last_activity"] == TODAY


def test_quiet_means_no_activity_for_more_than_exactly_six_weeks(demo_db, officer):
    quiet = [r for r in my_work.issues(demo_db, "officer", TODAY) if r["gone_quiet"]]
    for issue, days in ((quiet[0], 42), (quiet[1], 43)):
        day = TODAY - dt.timedelta(days=days)
        assert issue["last_activity"] is None or issue["last_activity"] < day
        activities.create(
            demo_db, officer, {"activity_date": day, "type": "Meeting", "summary": "Met", "issue_ids": [issue["id"]]}
        )
    again = {r["id"]: r["gone_quiet"] for r in my_work.issues(demo_db, "officer", TODAY)}
    assert (again[quiet[0]["id"]], again[quiet[1]["id"]]) == (False, True)


def test_the_quiet_period_is_a_setting(demo_db, monkeypatch):
    six = sum(r["gone_quiet"] for r in my_work.issues(demo_db, "officer", TODAY))
    monkeypatch.setenv("TRACKER_QUIET_WEEKS", "52")
    assert sum(r["gone_quiet"] for r in my_work.issues(demo_db, "officer", TODAY)) < six
    monkeypatch.setenv("TRACKER_QUIET_WEEKS", "none")
    with pytest.raises(InvalidInput, match="TRACKER_QUIET_WEEKS"):
        my_work.issues(demo_db, "officer", TODAY)


# ------------------------------------------------------------------ follow-ups


def expected_follow_ups(db, username: str) -> list[int]:
    rows = db.read("SELECT id, follow_up, coalesce(assignee, created_by), done_at, deleted_at FROM activities")
    mine = [r for r in rows if r[1] is not None and r[2] == username and r[3] is None and r[4] is None]
    return [r[0] for r in sorted(mine, key=lambda r: (r[1], r[0]))]


def test_follow_ups_are_those_assigned_to_me_not_done_overdue_first(demo_db):
    for name in OWNERS:
        rows = my_work.follow_ups(demo_db, name, TODAY)
        assert [r["id"] for r in rows] == expected_follow_ups(demo_db, name)
        assert all(r["assignee"] == name for r in rows)
    rows = my_work.follow_ups(demo_db, "officer", TODAY)
    flags = [r["overdue"] for r in rows]
    assert flags == sorted(flags, reverse=True) and True in flags


def test_a_done_follow_up_leaves_the_list_and_the_audit_says_who(demo_db, officer):
    first = my_work.follow_ups(demo_db, "officer", TODAY)[0]
    version = my_work.mark_done(demo_db, officer, first["id"], first["version"])
    assert version == first["version"] + 1
    assert first["id"] not in [r["id"] for r in my_work.follow_ups(demo_db, "officer", TODAY)]
    done_by, done_at = demo_db.read("SELECT done_by, done_at FROM activities WHERE id = ?", [first["id"]])[0]
    assert done_by == "officer" and done_at is not None
    assert activities.history(demo_db, first["id"])[0]["action"] == "follow-up done"


def test_a_reassigned_follow_up_moves_to_the_new_assignee(demo_db, officer):
    first = my_work.follow_ups(demo_db, "officer", TODAY)[0]
    my_work.reassign(demo_db, officer, first["id"], first["version"], "k.nowak")
    assert first["id"] not in [r["id"] for r in my_work.follow_ups(demo_db, "officer", TODAY)]
    assert first["id"] in [r["id"] for r in my_work.follow_ups(demo_db, "k.nowak", TODAY)]
    assert activities.history(demo_db, first["id"])[0]["changes"] == {"assignee": ["officer", "k.nowak"]}


def test_a_new_follow_up_is_its_authors(demo_db, officer):
    a = activities.create(
        demo_db,
        officer,
        {
            "activity_date": TODAY,
            "type": "Meeting",
            "summary": "Call DG GROW",
            "follow_up": TODAY + dt.timedelta(days=3),
        },
    )
    assert a.id in [r["id"] for r in my_work.follow_ups(demo_db, "officer", TODAY)]


def test_follow_up_writes_refuse_a_stale_version_a_viewer_and_a_non_editor(demo_db, officer, director):
    first = my_work.follow_ups(demo_db, "officer", TODAY)[0]
    my_work.reassign(demo_db, officer, first["id"], first["version"], "m.dubois")
    with pytest.raises(EditConflict):
        my_work.mark_done(demo_db, officer, first["id"], first["version"])
    with pytest.raises(PermissionDenied):
        my_work.mark_done(demo_db, director, first["id"], first["version"] + 1)
    with pytest.raises(InvalidInput, match="Assignee"):
        my_work.reassign(demo_db, officer, first["id"], first["version"] + 1, "director")


# ------------------------------------------------------------------ consultations


def expected_consultations(db, username: str) -> list[int]:
    owner = owned(db)
    links: dict[int, set[str]] = defaultdict(set)
    for cid, iid in db.read("SELECT consultation_id, issue_id FROM consultation_issues"):
        links[cid].add(owner[iid])
    rows = db.read("SELECT id, closes, response_status, deleted_at FROM consultations")
    keep = [
        r
        for r in rows
        if r[3] is None
        and TODAY <= r[1] <= TODAY + dt.timedelta(days=14)
        and r[2] not in ("submitted", "skipped")
        and username in links[r[0]]
    ]
    return [r[0] for r in sorted(keep, key=lambda r: (r[1], r[0]))]


def test_consultations_closing_within_14_days_on_my_issues_without_an_answer(demo_db):
    total = 0
    for name in OWNERS:
        got = [r["id"] for r in my_work.consultations(demo_db, name, TODAY)]
        assert got == expected_consultations(demo_db, name)
        total += len(got)
    assert total > 0


@pytest.mark.parametrize("status", ["submitted", "skipped"])
def test_an_answered_consultation_is_not_on_the_list(demo_db, status):
    mine = my_work.consultations(demo_db, "officer", TODAY)[0]
    arrange(
        demo_db,
        "UPDATE consultations SET response_status = ?, submitted_on = ? WHERE id = ?",
        [status, TODAY if status == "submitted" else None, mine["id"]],
    )
    assert mine["id"] not in [r["id"] for r in my_work.consultations(demo_db, "officer", TODAY)]


def test_a_consultation_closing_in_15_days_or_on_someone_elses_issue_is_not_mine(demo_db):
    mine = my_work.consultations(demo_db, "officer", TODAY)[0]
    arrange(demo_db, "UPDATE consultations SET closes = ? WHERE id = ?", [TODAY + dt.timedelta(days=15), mine["id"]])
    assert my_work.consultations(demo_db, "officer", TODAY) == []
    arrange(demo_db, "UPDATE consultations SET closes = ? WHERE id = ?", [TODAY + dt.timedelta(days=14), mine["id"]])
    assert [r["id"] for r in my_work.consultations(demo_db, "officer", TODAY)] == [mine["id"]]
    arrange(demo_db, "UPDATE issues SET owner = 'k.nowak' WHERE id = ?", [mine["issue_id"]])
    assert my_work.consultations(demo_db, "officer", TODAY) == []


# ------------------------------------------------------------------ joint positions


def expected_invitations(db, username: str, days: int = 14) -> list[int]:
    owner = owned(db)
    led = {
        jp
        for jp, iid in db.read("SELECT joint_position_id, issue_id FROM joint_position_issues")
        if owner[iid] == username
    }
    live = {r[0] for r in db.read("SELECT id FROM joint_positions WHERE deleted_at IS NULL")}
    rows = db.read("SELECT id, joint_position_id, status, status_date FROM signatories")
    return sorted(
        r[0] for r in rows if r[1] in led and r[1] in live and r[2] == "invited" and (TODAY - r[3]).days > days
    )


def test_signatories_invited_for_more_than_14_days_on_positions_i_lead(demo_db):
    total = 0
    for name in OWNERS:
        rows = my_work.invitations(demo_db, name, TODAY)
        assert sorted(r["signatory_id"] for r in rows) == expected_invitations(demo_db, name)
        assert all(r["days_waiting"] > 14 for r in rows)
        total += len(rows)
    assert total > 0


def test_an_invitation_is_stale_only_after_the_set_number_of_days(demo_db):
    row = my_work.invitations(demo_db, "officer", TODAY)[0]
    arrange(
        demo_db,
        "UPDATE signatories SET status_date = ? WHERE id = ?",
        [TODAY - dt.timedelta(days=14), row["signatory_id"]],
    )
    assert row["signatory_id"] not in [r["signatory_id"] for r in my_work.invitations(demo_db, "officer", TODAY)]
    arrange(
        demo_db,
        "UPDATE signatories SET status_date = ? WHERE id = ?",
        [TODAY - dt.timedelta(days=15), row["signatory_id"]],
    )
    assert row["signatory_id"] in [r["signatory_id"] for r in my_work.invitations(demo_db, "officer", TODAY)]
    arrange(demo_db, "UPDATE signatories SET status = 'agreed' WHERE id = ?", [row["signatory_id"]])
    assert row["signatory_id"] not in [r["signatory_id"] for r in my_work.invitations(demo_db, "officer", TODAY)]


def test_for_user_gathers_the_four_lists(demo_db, officer):
    work = my_work.for_user(demo_db, officer)
    assert work.today == TODAY and not work.empty
    assert [r["id"] for r in work.follow_ups] == expected_follow_ups(demo_db, "officer")
    assert my_work.for_user(demo_db, user(demo_db, "director")).empty


def test_the_follow_up_writes_keep_every_invariant_etl_check_verifies(demo_db, officer):
    from tracker.services import integrity

    first, second = my_work.follow_ups(demo_db, "officer", TODAY)[:2]
    my_work.mark_done(demo_db, officer, first["id"], first["version"])
    my_work.reassign(demo_db, officer, second["id"], second["version"], "s.jansen")
    report = integrity.check(demo_db)
    assert report.ok, report.problems
