"""The .ics download: one all-day event per open or upcoming consultation, readable by calendars."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from tests.conftest import TODAY
from tracker.services import consultations
from tracker.services.calendar import deadlines_ics


def _events(db):
    cal = Calendar.from_ical(deadlines_ics(db, TODAY))
    return cal, list(cal.walk("VEVENT"))


def test_exactly_the_open_and_upcoming_consultations(demo_db):
    _, events = _events(demo_db)
    expected = demo_db.read(
        "SELECT id, title, closes FROM consultations WHERE deleted_at IS NULL AND closes >= ? ORDER BY id", [TODAY]
    )
    assert expected and len(expected) < demo_db.read("SELECT count(*) FROM consultations")[0][0]
    got = sorted((int(str(e["UID"]).split("-")[1].split("@")[0]), str(e["SUMMARY"]), e["DTSTART"].dt) for e in events)
    assert got == [(i, f"Closes: {t}", closes) for i, t, closes in expected]


def test_events_are_all_day_with_link_uid_and_stamp(demo_db):
    cal, events = _events(demo_db)
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    for e in events:
        start, end = e["DTSTART"].dt, e["DTEND"].dt
        assert type(start) is dt.date and end == start + dt.timedelta(days=1)
        assert str(e["URL"]).startswith("https://")
        assert isinstance(e["DTSTAMP"].dt, dt.datetime) and e["DTSTAMP"].dt.tzinfo is not None
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_deleted_consultation_leaves_the_calendar(demo_db, officer):
    first = consultations.upcoming(demo_db, TODAY)[0]
    consultations.delete(demo_db, officer, first["id"], first["version"])
    _, events = _events(demo_db)
    assert f"consultation-{first['id']}@" not in " ".join(str(e["UID"]) for e in events)


def test_empty_database_gives_a_valid_empty_calendar(db):
    cal, events = _events(db)
    assert events == [] and str(cal["X-WR-CALNAME"]) == "Consultation deadlines"
