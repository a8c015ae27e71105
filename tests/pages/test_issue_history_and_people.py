"""Issues brought in with their history, and people shown by the names colleagues know them by."""

from __future__ import annotations

import datetime as dt

from tracker.domain.enums import Stage
from tracker.domain.errors import InvalidInput
from tracker.services import accounts
from tracker.services import issues as svc

from .test_issues_page import frame_with, no_exception, texts

ISSUE = 3


def _officer(db):
    user = accounts.get_user(db, "officer")
    assert user is not None
    return user


def test_a_new_issue_identified_a_year_ago_starts_its_ladder_on_that_date(app_for, demo_db):
    at = app_for("officer", "pages/issues.py")
    at.text_input(key="iss_new_title").input("Batteries regulation: due diligence")
    at.date_input(key="iss_new_event_date").set_value(dt.date(2025, 11, 3))
    at.button(key="iss_new_save").click().run()
    no_exception(at)
    [created] = svc.search(demo_db, {"text": "Batteries regulation: due diligence"})["id"]
    [first] = svc.events(demo_db, int(created))
    assert (first["to_stage"], first["event_date"]) == (int(Stage.WATCHING), dt.date(2025, 11, 3))
    assert "since 3 Nov 2025" in texts(at)


def test_its_earlier_moves_are_then_recorded_with_their_own_dates_in_order(demo_db):
    officer = _officer(demo_db)
    issue = svc.create(demo_db, officer, {"title": "Brought in", "event_date": dt.date(2025, 11, 3)})
    moved = svc.move_stage(
        demo_db, officer, issue.id, issue.version, {"to_stage": 1, "event_date": "2026-02-10", "evidence_ref": "BN-7"}
    )
    moved = svc.move_stage(
        demo_db, officer, issue.id, moved.version, {"to_stage": 2, "event_date": "2026-06-01", "evidence_ref": "CR-1"}
    )
    assert [e["event_date"] for e in svc.events(demo_db, issue.id)] == [
        dt.date(2026, 6, 1),
        dt.date(2026, 2, 10),
        dt.date(2025, 11, 3),
    ]
    assert svc.stage_since(demo_db, issue.id) == dt.date(2026, 6, 1)


def test_a_new_issue_dated_in_the_future_is_refused_at_the_date_and_not_created(app_for, demo_db):
    before = len(svc.search(demo_db, {"archived": "include"}))
    at = app_for("officer", "pages/issues.py")
    at.text_input(key="iss_new_title").input("Not yet")
    at.date_input(key="iss_new_event_date").set_value(dt.date(2027, 1, 4))
    at.button(key="iss_new_save").click().run()
    no_exception(at)
    message = "must be between 1 Jan 2000 and today, 27 Nov 2026"
    assert f"Date — {message}" in texts(at)
    assert f":red[{message}]" in [c.value for c in at.caption]
    assert len(svc.search(demo_db, {"archived": "include"})) == before


def test_starting_above_watching_in_the_past_still_needs_evidence(demo_db):
    errors = _refusal(demo_db, {"title": "x", "stage": 3, "event_date": dt.date(2025, 1, 1)})
    assert [e.field for e in errors] == ["Evidence reference"]


def _refusal(db, data):
    try:
        svc.create(db, _officer(db), data)
    except InvalidInput as exc:
        return exc.errors
    raise AssertionError("created")


def test_owners_are_picked_and_listed_by_display_name(app_for, demo_db):
    at = app_for("officer", "pages/issues.py")
    no_exception(at)
    assert "Olivia Officer" in at.selectbox(key="iss_new_owner").options
    assert "officer" not in at.selectbox(key="iss_new_owner").options
    owners = set(frame_with(at, "Owner")["Owner"])
    assert "officer" not in owners and "Olivia Officer" in owners


def test_the_list_shows_a_dash_for_an_empty_cell_never_none(app_for, demo_db):
    svc.create(demo_db, _officer(demo_db), {"title": "Nobody owns this"})
    at = app_for("officer", "pages/issues.py")
    row = frame_with(at, "Owner").set_index("Title").loc["Nobody owns this"]
    assert (row["Owner"], row["Policy area"]) == ("—", "—")


def test_issue_header_timeline_and_history_name_people_and_show_dashes(app_for, demo_db):
    issue = svc.create(demo_db, _officer(demo_db), {"title": "Named", "owner": "officer"})
    at = app_for("director", "pages/issues.py", query={"issue": str(issue.id)})
    no_exception(at)
    assert "**Owner:** Olivia Officer" in texts(at)
    timeline = frame_with(at, "Evidence")
    assert list(timeline.iloc[0][["Evidence", "By"]]) == ["—", "Olivia Officer"]
    history = frame_with(at, "Who")
    assert set(history["Who"]) == {"Olivia Officer"}
    assert not history.isna().any().any() and "None" not in history.astype(str).to_numpy()
