"""Joint positions: the status flow, signatories, publication rules and the Formal-input suggestion."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.domain.enums import JointPositionStatus as S
from tracker.domain.enums import Stage
from tracker.domain.errors import EditConflict, InvalidInput, PermissionDenied
from tracker.services import issues
from tracker.services import joint_positions as jp
from tracker.store import joint_positions as jp_store

DAY = dt.date(2026, 11, 20)


def fields(info) -> set[str]:
    return {e.field for e in info.value.errors}


def low_issue(db) -> int:
    """An active demo issue currently below Formal input."""
    row = db.read(
        "SELECT i.id FROM issues i JOIN issue_stage s ON s.issue_id = i.id "
        "WHERE s.stage < 3 AND i.archived_at IS NULL AND s.stage_since <= ? ORDER BY i.id LIMIT 1",
        [DAY],
    )
    return int(row[0][0])


@pytest.fixture
def position(demo_db, officer):
    return jp.create(
        demo_db,
        officer,
        {
            "title": "Joint call for proportionate MDR fees",
            "lead_organisation_id": 1,
            "target_institution": "European Commission",
            "issue_ids": [low_issue(demo_db)],
        },
    )


def invite(db, actor, pid, org, status="invited"):
    return jp.add_signatory(db, actor, pid, {"organisation_id": org, "status": status, "status_date": DAY})


def publish(db, actor, pid, **extra):
    current = jp.get(db, pid)
    data = {"status": S.PUBLISHED, "published_on": DAY, "document_url": "https://cluster.example/paper.pdf", **extra}
    return jp.set_status(db, actor, pid, current.version, data)


def test_new_position_starts_as_idea_and_is_audited(demo_db, position):
    assert position.status == S.IDEA
    assert jp.history(demo_db, position.id)[0]["action"] == "create"


def test_forward_moves_may_skip_steps(demo_db, officer, position):
    moved = jp.set_status(demo_db, officer, position.id, position.version, {"status": S.ADOPTED})
    assert moved.status == S.ADOPTED


def test_one_step_back_is_allowed_before_publication(demo_db, officer, position):
    p = jp.set_status(demo_db, officer, position.id, position.version, {"status": S.CIRCULATING})
    p = jp.set_status(demo_db, officer, p.id, p.version, {"status": S.DRAFTING})
    assert p.status == S.DRAFTING


def test_two_steps_back_are_refused(demo_db, officer, position):
    p = jp.set_status(demo_db, officer, position.id, position.version, {"status": S.ADOPTED})
    with pytest.raises(InvalidInput) as info:
        jp.set_status(demo_db, officer, p.id, p.version, {"status": S.DRAFTING})
    assert fields(info) == {"Status"}


def test_allowed_moves_document_the_flow():
    assert jp.allowed_moves(S.IDEA) == [S.DRAFTING, S.CIRCULATING, S.ADOPTED, S.PUBLISHED]
    assert jp.allowed_moves(S.CIRCULATING) == [S.DRAFTING, S.ADOPTED, S.PUBLISHED]
    assert jp.allowed_moves(S.PUBLISHED) == []


def test_publishing_without_an_agreed_signatory_is_refused(demo_db, officer, position):
    invite(demo_db, officer, position.id, 2)
    invite(demo_db, officer, position.id, 3, "declined")
    with pytest.raises(InvalidInput) as info:
        publish(demo_db, officer, position.id)
    assert fields(info) == {"Signatories"}
    assert jp.get(demo_db, position.id).status == S.IDEA


def test_publishing_needs_a_publication_date(demo_db, officer, position):
    invite(demo_db, officer, position.id, 2, "agreed")
    with pytest.raises(InvalidInput) as info:
        publish(demo_db, officer, position.id, published_on=None)
    assert fields(info) == {"Published on"}


def test_publication_date_cannot_be_in_the_future(demo_db, officer, position):
    invite(demo_db, officer, position.id, 2, "agreed")
    with pytest.raises(InvalidInput, match="future"):
        publish(demo_db, officer, position.id, published_on=dt.date(2027, 1, 1))


def test_publishing_with_an_agreed_signatory_succeeds(demo_db, officer, position):
    invite(demo_db, officer, position.id, 2, "agreed")
    published = publish(demo_db, officer, position.id)
    assert published.status == S.PUBLISHED and published.published_on == DAY
    assert jp.history(demo_db, position.id)[0]["action"] == "publish"


def test_a_published_position_stays_published(demo_db, officer, position):
    invite(demo_db, officer, position.id, 2, "agreed")
    p = publish(demo_db, officer, position.id)
    with pytest.raises(InvalidInput, match="stays published"):
        jp.set_status(demo_db, officer, p.id, p.version, {"status": S.ADOPTED})


def test_published_position_keeps_at_least_one_agreed_signatory(demo_db, officer, position):
    sig = invite(demo_db, officer, position.id, 2, "agreed")
    publish(demo_db, officer, position.id)
    with pytest.raises(InvalidInput) as info:
        jp.update_signatory(demo_db, officer, sig.id, sig.version, {"status": "withdrawn", "status_date": DAY})
    assert fields(info) == {"Signatory status"}
    with pytest.raises(InvalidInput):
        jp.remove_signatory(demo_db, officer, sig.id, sig.version)


def test_publication_date_only_on_a_published_position(demo_db, officer, position):
    data = position.model_dump(exclude={"id", "version"}) | {"published_on": DAY}
    with pytest.raises(InvalidInput) as info:
        jp.update(demo_db, officer, position.id, position.version, data)
    assert fields(info) == {"Published on"}


def test_the_same_organisation_cannot_sign_twice(demo_db, officer, position):
    invite(demo_db, officer, position.id, 2)
    with pytest.raises(InvalidInput) as info:
        invite(demo_db, officer, position.id, 2, "agreed")
    assert fields(info) == {"Organisation"} and "already a signatory" in str(info.value)
    assert len(jp.signatories(demo_db, position.id)) == 1


def test_inviting_several_is_all_or_nothing(demo_db, officer, position):
    invite(demo_db, officer, position.id, 3)
    with pytest.raises(InvalidInput) as info:
        jp.add_signatories(demo_db, officer, position.id, {"organisation_ids": [2, 3, 4], "status_date": DAY})
    assert fields(info) == {"Organisation"}
    assert [s["organisation_id"] for s in jp.signatories(demo_db, position.id)] == [3]
    added = jp.add_signatories(demo_db, officer, position.id, {"organisation_ids": [2, 4], "status_date": DAY})
    assert [s.organisation_id for s in added] == [2, 4]


def test_signatory_status_change_is_version_checked_and_audited(demo_db, officer, position):
    sig = invite(demo_db, officer, position.id, 2)
    agreed = jp.update_signatory(demo_db, officer, sig.id, sig.version, {"status": "agreed", "status_date": DAY})
    assert agreed.status.value == "agreed"
    with pytest.raises(EditConflict):
        jp.update_signatory(demo_db, officer, sig.id, sig.version, {"status": "declined", "status_date": DAY})
    entry = jp.history(demo_db, position.id)[0]
    assert entry["action"] == "update signatory" and "Agreed" in entry["changes"]["signatory"][1]


def test_signatory_date_cannot_be_in_the_future(demo_db, officer, position):
    with pytest.raises(InvalidInput) as info:
        jp.add_signatory(demo_db, officer, position.id, {"organisation_id": 2, "status_date": "2027-01-01"})
    assert fields(info) == {"Date"}


def test_edit_is_version_checked(demo_db, officer, position):
    data = position.model_dump(exclude={"id", "version"})
    jp.update(demo_db, officer, position.id, position.version, data | {"title": "New title"})
    with pytest.raises(EditConflict, match="joint position was changed by Olivia Officer"):
        jp.update(demo_db, officer, position.id, position.version, data | {"title": "Other title"})
    assert jp.get(demo_db, position.id).title == "New title"


def test_unknown_links_are_refused_naming_the_field(demo_db, officer):
    with pytest.raises(InvalidInput) as info:
        jp.create(demo_db, officer, {"title": "T", "issue_ids": [999_999]})
    assert fields(info) == {"Linked issues"}
    with pytest.raises(InvalidInput) as info:
        jp.create(demo_db, officer, {"title": "T", "lead_organisation_id": 999_999})
    assert fields(info) == {"Lead organisation"}


def test_viewer_cannot_add_a_signatory(demo_db, director, position):
    with pytest.raises(PermissionDenied):
        invite(demo_db, director, position.id, 2)
    assert jp.signatories(demo_db, position.id) == []


def test_publishing_suggests_formal_input_but_changes_no_stage(demo_db, officer, position):
    issue_id = position.issue_ids[0]
    assert jp.formal_input_suggestions(demo_db, position.id) == []  # not published yet
    invite(demo_db, officer, position.id, 2, "agreed")
    events_before = demo_db.read("SELECT count(*) FROM stage_events")[0][0]
    publish(demo_db, officer, position.id)
    assert demo_db.read("SELECT count(*) FROM stage_events")[0][0] == events_before
    [suggestion] = jp.formal_input_suggestions(demo_db, position.id)
    assert suggestion["issue_id"] == issue_id
    assert suggestion["data"]["to_stage"] == Stage.FORMAL_INPUT
    assert suggestion["data"]["event_date"] == DAY
    assert "Joint call for proportionate MDR fees" in suggestion["data"]["evidence_ref"]
    assert suggestion["data"]["evidence_url"] == "https://cluster.example/paper.pdf"


def test_issues_already_at_formal_input_get_no_suggestion(demo_db, officer):
    high = demo_db.read(
        "SELECT issue_id FROM issue_stage s JOIN issues i ON i.id = s.issue_id WHERE stage >= 3 "
        "AND i.archived_at IS NULL LIMIT 1"
    )[0][0]
    p = jp.create(demo_db, officer, {"title": "Late paper", "issue_ids": [high]})
    invite(demo_db, officer, p.id, 2, "agreed")
    publish(demo_db, officer, p.id)
    assert jp.formal_input_suggestions(demo_db, p.id) == []


def test_recording_the_suggested_formal_input_moves_the_issue(demo_db, officer, position):
    invite(demo_db, officer, position.id, 2, "agreed")
    publish(demo_db, officer, position.id)
    [s] = jp.formal_input_suggestions(demo_db, position.id)
    jp.record_formal_input(demo_db, officer, position.id, s["issue_id"], s["version"])
    assert issues.get(demo_db, s["issue_id"]).stage == Stage.FORMAL_INPUT
    event = jp_store.issue_rows(demo_db, [s["issue_id"]])[0]
    assert event["stage"] == Stage.FORMAL_INPUT
    assert jp.formal_input_suggestions(demo_db, position.id) == []
