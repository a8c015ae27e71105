"""Consultations: deadlines in words, filters, create/edit with links, responses, conflicts, roles."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import TODAY
from tracker.domain.enums import ResponseStatus
from tracker.domain.errors import EditConflict, InvalidInput, PermissionDenied
from tracker.services import consultations as service
from tracker.store import audit


def _new(**over):
    data = {
        "title": "Pharmaceutical package — call for evidence",
        "authority": "European Commission — DG SANTE",
        "type": "call_for_evidence",
        "policy_areas": ["Public health"],
        "opens": TODAY - dt.timedelta(days=10),
        "closes": TODAY + dt.timedelta(days=18),
        "issue_ids": [1, 2],
    }
    return data | over


@pytest.mark.parametrize(
    ("days", "label", "urgency"),
    [
        (0, "closes today", "strong"),
        (1, "closes tomorrow", "strong"),
        (3, "closes in 3 days", "strong"),
        (4, "closes in 4 days", "warning"),
        (14, "closes in 14 days", "warning"),
        (15, "closes in 15 days", None),
        (-2, "closed 2 days ago", None),
    ],
)
def test_deadline_in_words_and_warning_levels(days, label, urgency):
    mark = service.deadline(TODAY + dt.timedelta(days=days), TODAY, status=ResponseStatus.DRAFTING)
    assert (mark.label, mark.urgency) == (label, urgency)


def test_no_warning_once_we_submitted_or_skipped():
    for status in (ResponseStatus.SUBMITTED, ResponseStatus.SKIPPED):
        assert service.deadline(TODAY + dt.timedelta(days=1), TODAY, status=status).urgency is None


def test_consultation_opening_later_is_upcoming():
    mark = service.deadline(TODAY + dt.timedelta(days=40), TODAY, opens=TODAY + dt.timedelta(days=5))
    assert mark.phase == "upcoming"


def test_list_splits_open_soonest_first_and_past_latest_first(demo_db):
    current, past = service.split_by_deadline(service.search(demo_db, {}, TODAY))
    assert list(current["closes"]) == sorted(current["closes"]) and (current["days_left"] >= 0).all()
    assert list(past["closes"]) == sorted(past["closes"], reverse=True) and (past["days_left"] < 0).all()
    assert len(current) + len(past) == 18


def test_filters_combine(demo_db):
    df = service.search(
        demo_db,
        {"statuses": ["drafting"], "closes_from": TODAY, "closes_to": TODAY + dt.timedelta(days=14)},
        TODAY,
    )
    assert len(df) > 0
    assert set(df["response_status"]) == {"drafting"}
    assert all(TODAY <= d <= TODAY + dt.timedelta(days=14) for d in df["closes"])


def test_filter_by_area_and_linked_issue(demo_db, officer):
    made = service.create(demo_db, officer, _new(policy_areas=["Economy, finance and the euro"], issue_ids=[7]))
    by_area = service.search(demo_db, {"areas": ["Economy, finance and the euro"]}, TODAY)
    assert list(by_area["id"]) == [made.id]
    assert made.id in set(service.search(demo_db, {"issue_id": 7}, TODAY)["id"])


def test_create_links_issues_and_is_audited(demo_db, officer):
    made = service.create(demo_db, officer, _new())
    assert made.issue_ids == [1, 2] and made.version == 1
    entry = audit.latest_change(demo_db, "consultation", made.id)
    assert entry["actor"] == "officer" and entry["changes"]["issue_ids"] == [None, [1, 2]]


def test_opens_after_closes_is_refused(demo_db, officer):
    with pytest.raises(InvalidInput) as exc:
        service.create(demo_db, officer, _new(opens=TODAY + dt.timedelta(days=30)))
    assert exc.value.errors[0].field == "Closes"


def test_unknown_issue_is_refused_by_name(demo_db, officer):
    with pytest.raises(InvalidInput, match="Linked issues"):
        service.create(demo_db, officer, _new(issue_ids=[99999]))


def test_record_response_needs_a_date_and_keeps_other_fields(demo_db, officer):
    made = service.create(demo_db, officer, _new())
    with pytest.raises(InvalidInput, match="Submitted on"):
        service.record_response(demo_db, officer, made.id, made.version, {"response_status": "submitted"})
    saved = service.record_response(
        demo_db,
        officer,
        made.id,
        made.version,
        {"response_status": "submitted", "submitted_on": TODAY, "feedback_reference": "F123456"},
    )
    assert (saved.response_status, saved.submitted_on, saved.feedback_reference) == (
        ResponseStatus.SUBMITTED,
        TODAY,
        "F123456",
    )
    assert saved.issue_ids == [1, 2] and saved.title == made.title and saved.version == 2


def test_submission_date_in_the_future_is_refused(demo_db, officer):
    made = service.create(demo_db, officer, _new())
    with pytest.raises(InvalidInput, match="future"):
        service.record_response(
            demo_db,
            officer,
            made.id,
            made.version,
            {"response_status": "submitted", "submitted_on": TODAY + dt.timedelta(days=1)},
        )


def test_stale_version_is_a_conflict_and_overwrites_nothing(demo_db, officer):
    made = service.create(demo_db, officer, _new())
    service.update(demo_db, officer, made.id, made.version, _new(title="Renamed by a colleague"))
    with pytest.raises(EditConflict) as exc:
        service.update(demo_db, officer, made.id, made.version, _new(title="My late edit"))
    assert "changed by Olivia Officer" in str(exc.value)
    assert exc.value.current["title"] == "Renamed by a colleague"
    assert service.get(demo_db, made.id).title == "Renamed by a colleague"


def test_update_relinks_issues_and_joint_position(demo_db, officer):
    made = service.create(demo_db, officer, _new())
    saved = service.update(demo_db, officer, made.id, made.version, _new(issue_ids=[3], joint_position_id=1))
    assert saved.issue_ids == [3] and saved.joint_position_id == 1
    changes = audit.latest_change(demo_db, "consultation", made.id)["changes"]
    assert changes["issue_ids"] == [[1, 2], [3]] and changes["joint_position_id"] == [None, 1]


def test_viewer_cannot_write_and_nothing_changes(demo_db, director):
    before = demo_db.read("SELECT count(*), max(version) FROM consultations")
    with pytest.raises(PermissionDenied):
        service.create(demo_db, director, _new())
    with pytest.raises(PermissionDenied):
        service.record_response(demo_db, director, 1, 1, {"response_status": "skipped"})
    assert demo_db.read("SELECT count(*), max(version) FROM consultations") == before


def test_deleted_consultation_leaves_the_lists(demo_db, officer):
    made = service.create(demo_db, officer, _new())
    service.delete(demo_db, officer, made.id, made.version)
    assert made.id not in set(service.search(demo_db, {}, TODAY)["id"])
    assert audit.latest_change(demo_db, "consultation", made.id)["action"] == "delete"


def test_search_matches_title_or_reference_literally(demo_db, officer):
    made = service.create(demo_db, officer, _new(title="Rates of 100% co_funding", reference="ARES_2026_1"))
    assert list(service.search(demo_db, {"text": "100% co_f"}, TODAY)["id"]) == [made.id]
    assert list(service.search(demo_db, {"text": "ares_2026"}, TODAY)["id"]) == [made.id]
    assert service.search(demo_db, {"text": "100%%"}, TODAY).empty
