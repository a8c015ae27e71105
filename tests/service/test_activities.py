"""Activities: quick entry rules, the derived influencing flag, filters, follow-ups, edit and delete."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tracker.domain.errors import EditConflict, InvalidInput, NotFound, PermissionDenied
from tracker.services import activities

MEETING = {
    "activity_date": "2026-11-24",
    "type": "Meeting",
    "summary": "Met the rapporteur's office on MDR fees",
    "effort_days": "1.5",
    "funding_source": "Membership fees",
    "issue_ids": [1],
    "organisation_ids": [1, 2],
}


def fields(info) -> set[str]:
    return {e.field for e in info.value.errors}


def count(db) -> int:
    return db.read("SELECT count(*) FROM activities")[0][0]


def test_quick_entry_records_effort_funding_and_links(demo_db, officer):
    a = activities.create(demo_db, officer, MEETING)
    assert a.effort_days == Decimal("1.5") and a.funding_source == "Membership fees"
    assert (a.issue_ids, a.organisation_ids, a.created_by) == ([1], [1, 2], "officer")
    assert activities.history(demo_db, a.id)[0]["action"] == "create"


def test_influencing_flag_follows_the_type_unless_set(demo_db, officer):
    assert activities.create(demo_db, officer, MEETING).is_influencing is True
    newsletter = activities.create(demo_db, officer, {**MEETING, "type": "Newsletter"})
    assert newsletter.is_influencing is False
    overridden = activities.create(demo_db, officer, {**MEETING, "type": "Newsletter", "is_influencing": True})
    assert overridden.is_influencing is True


@pytest.mark.parametrize("effort", ["-1", "366", "1000"])
def test_negative_or_absurd_effort_is_refused_naming_the_field(demo_db, officer, effort):
    before = count(demo_db)
    with pytest.raises(InvalidInput) as info:
        activities.create(demo_db, officer, {**MEETING, "effort_days": effort})
    assert fields(info) == {"Effort (person-days)"}
    assert count(demo_db) == before


def test_follow_up_before_the_activity_is_refused(demo_db, officer):
    with pytest.raises(InvalidInput) as info:
        activities.create(demo_db, officer, {**MEETING, "follow_up": "2026-11-01"})
    assert fields(info) == {"Follow-up date"}


def test_activity_date_cannot_be_in_the_future(demo_db, officer):
    with pytest.raises(InvalidInput) as info:
        activities.create(demo_db, officer, {**MEETING, "activity_date": "2026-12-01"})
    assert fields(info) == {"Date"}


def test_type_and_funding_source_come_from_the_reference_lists(demo_db, officer):
    with pytest.raises(InvalidInput) as info:
        activities.create(demo_db, officer, {**MEETING, "type": "Lunch"})
    assert fields(info) == {"Type"}
    with pytest.raises(InvalidInput) as info:
        activities.create(demo_db, officer, {**MEETING, "funding_source": "Lottery"})
    assert fields(info) == {"Funding source"}


def test_unknown_linked_records_are_refused_and_nothing_is_stored(demo_db, officer):
    before = count(demo_db)
    with pytest.raises(InvalidInput) as info:
        activities.create(demo_db, officer, {**MEETING, "organisation_ids": [1, 999_999]})
    assert fields(info) == {"Organisations"}
    assert count(demo_db) == before


def test_edit_is_version_checked_and_audited(demo_db, officer):
    a = activities.create(demo_db, officer, MEETING)
    edited = activities.update(demo_db, officer, a.id, a.version, {**MEETING, "effort_days": "2"})
    assert edited.effort_days == Decimal("2")
    assert activities.history(demo_db, a.id)[0]["changes"] == {"effort_days": [1.5, 2.0]}
    with pytest.raises(EditConflict, match="activity was changed by Olivia Officer"):
        activities.update(demo_db, officer, a.id, a.version, {**MEETING, "effort_days": "3"})


def test_soft_delete_hides_the_entry_and_is_version_checked(demo_db, officer):
    a = activities.create(demo_db, officer, {**MEETING, "summary": "Entry to delete"})
    with pytest.raises(EditConflict):
        activities.delete(demo_db, officer, a.id, a.version + 1)
    activities.delete(demo_db, officer, a.id, a.version)
    with pytest.raises(NotFound):
        activities.get(demo_db, a.id)
    assert activities.search(demo_db, {"search": "Entry to delete"}).empty
    assert activities.history(demo_db, a.id)[0]["action"] == "delete"


def test_viewer_cannot_record_an_activity(demo_db, director):
    before = count(demo_db)
    with pytest.raises(PermissionDenied):
        activities.create(demo_db, director, MEETING)
    assert count(demo_db) == before


def test_log_filters_combine(demo_db, officer):
    a = activities.create(demo_db, officer, {**MEETING, "funding_source": "Paid services", "organisation_ids": [7]})
    log = activities.search(
        demo_db,
        {
            "date_from": "2026-11-23",
            "date_to": "2026-11-27",
            "types": ["Meeting"],
            "issue_id": 1,
            "organisation_id": 7,
            "funding_sources": ["Paid services"],
            "influencing": True,
        },
    )
    assert list(log["id"]) == [a.id]
    assert activities.search(demo_db, {"influencing": False, "types": ["Meeting"]}).empty


def test_log_refuses_a_period_ending_before_it_starts(demo_db):
    with pytest.raises(InvalidInput) as info:
        activities.search(demo_db, {"date_from": "2026-11-27", "date_to": "2026-11-01"})
    assert fields(info) == {"To"}


def test_totals_cover_the_whole_filtered_log(demo_db, officer):
    activities.create(demo_db, officer, {**MEETING, "activity_date": "2020-01-02", "effort_days": "2.25"})
    activities.create(demo_db, officer, {**MEETING, "activity_date": "2020-01-03", "type": "Newsletter"})
    t = activities.totals(demo_db, {"date_from": "2020-01-01", "date_to": "2020-01-31"})
    assert t == {"entries": 2, "effort_days": 3.75, "influencing": 1}


def test_follow_ups_due_this_week_run_monday_to_sunday(demo_db, officer):
    assert activities.week_of(dt.date(2026, 11, 27)) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    due = activities.create(demo_db, officer, {**MEETING, "follow_up": "2026-11-29", "summary": "Due Sunday"})
    later = activities.create(demo_db, officer, {**MEETING, "follow_up": "2026-11-30", "summary": "Due Monday"})
    start, end, table = activities.follow_ups_this_week(demo_db)
    assert (start, end) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert due.id in set(table["id"]) and later.id not in set(table["id"])


def test_a_type_that_is_not_text_is_a_field_error(demo_db, officer):
    assert activities.is_influencing_type(1) is False
    with pytest.raises(InvalidInput) as info:
        activities.create(demo_db, officer, {**MEETING, "type": 1})
    assert fields(info) == {"Type"}
