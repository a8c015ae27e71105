"""Consultation deadlines as an iCalendar (.ics) file that Outlook and Google Calendar accept."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracker.domain import clock
from tracker.domain.enums import ConsultationType, ResponseStatus
from tracker.store import Database

from . import consultations

PRODID = "-//Policy Influence Tracker//Consultation deadlines//EN"
UID_DOMAIN = "policy-influence-tracker"
CALENDAR_NAME = "Consultation deadlines"


def deadlines_ics(db: Database, today: dt.date) -> bytes:
    """One all-day event on the closing date of every open or upcoming consultation.

    UIDs are stable per consultation, so importing a newer file (or refreshing a feed) updates
    the events instead of duplicating them; SEQUENCE follows the row's version.
    """
    # Imported here: only the .ics download and the feed need it, not the pages importing this module.
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", CALENDAR_NAME)
    cal.add("x-wr-timezone", clock.zone().key)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for row in consultations.upcoming(db, today):
        event = Event()
        event.add("uid", f"consultation-{row['id']}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", row["closes"])
        event.add("dtend", row["closes"] + dt.timedelta(days=1))
        event.add("summary", f"Closes: {row['title']}")
        event.add("description", _description(row))
        if row["url"]:
            event.add("url", row["url"])
        event.add("sequence", max(0, int(row["version"]) - 1))
        if row["updated_at"] is not None:
            event.add("last-modified", row["updated_at"].replace(tzinfo=dt.UTC))
        event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: don't block the day
        event.add("categories", ["Consultation deadline"])
        cal.add_component(event)
    return cal.to_ical()


def _description(row: dict[str, Any]) -> str:
    lines = [
        f"{ConsultationType.of(row['type']).label} by {row['authority']}.",
        f"Opens {clock.format_date(row['opens'])}, closes {clock.format_date(row['closes'])}."
        if row["opens"]
        else f"Closes {clock.format_date(row['closes'])}.",
        f"Our response: {ResponseStatus.of(row['response_status']).label}.",
    ]
    if row["reference"]:
        lines.append(f"Reference: {row['reference']}")
    if row["url"]:
        lines.append(row["url"])
    return "\n".join(lines)
