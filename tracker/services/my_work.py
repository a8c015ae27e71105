"""My work: one person's issues, follow-ups, closing consultations and joint positions that need
them; marking a follow-up done and handing it to another editor.

Settings (environment): ``TRACKER_QUIET_WEEKS`` (an issue with no activity for this many weeks
has "gone quiet", default 6) and ``TRACKER_INVITE_DAYS`` (a signatory still "invited" after this
many days needs chasing, default 14). Consultations count when they close within 14 days.

"Joint positions I lead": the lead of a position is an organisation, so the person who leads it
for us is the owner of an issue the position is linked to.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Any

from tracker.domain import clock
from tracker.domain.enums import Role, Stage
from tracker.domain.errors import InvalidInput, NotFound
from tracker.domain.models import User
from tracker.store import Database, Tx
from tracker.store import audit as audit_store
from tracker.store import my_work as store

from . import guard

ENTITY = "activity"
CLOSING_DAYS = 14


def _whole(name: str, default: int) -> int:
    raw = os.environ.get(name, str(default)).strip()
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput.one(name, "must be a whole number of at least 1") from None
    if value < 1:
        raise InvalidInput.one(name, "must be a whole number of at least 1")
    return value


def quiet_weeks() -> int:
    return _whole("TRACKER_QUIET_WEEKS", 6)


def invite_days() -> int:
    return _whole("TRACKER_INVITE_DAYS", 14)


@dataclass
class MyWork:
    """What one person should look at today, each list in the order it is shown."""

    username: str
    today: dt.date
    issues: list[dict[str, Any]] = field(default_factory=list)
    follow_ups: list[dict[str, Any]] = field(default_factory=list)
    consultations: list[dict[str, Any]] = field(default_factory=list)
    invitations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.issues or self.follow_ups or self.consultations or self.invitations)


def issues(db: Database, username: str, today: dt.date, weeks: int | None = None) -> list[dict[str, Any]]:
    quiet_before = today - dt.timedelta(weeks=weeks or quiet_weeks())
    rows = store.my_issues(db, username, today, quiet_before)
    for r in rows:
        r["stage_label"] = Stage(int(r["stage"])).label if r["stage"] is not None else ""
    return rows


def follow_ups(db: Database, username: str, today: dt.date) -> list[dict[str, Any]]:
    rows = store.follow_ups(db, username)
    for r in rows:
        r["overdue"] = r["follow_up"] < today
    return rows


def consultations(db: Database, username: str, today: dt.date) -> list[dict[str, Any]]:
    return store.closing_consultations(db, username, today, today + dt.timedelta(days=CLOSING_DAYS))


def invitations(db: Database, username: str, today: dt.date, days: int | None = None) -> list[dict[str, Any]]:
    rows = store.stale_invitations(db, username, today - dt.timedelta(days=days or invite_days()))
    for r in rows:
        r["days_waiting"] = (today - r["invited_since"]).days
    return rows


def for_user(db: Database, actor: User, today: dt.date | None = None) -> MyWork:
    """The signed-in person's own work list (anyone signed in has one; viewers own nothing, usually)."""
    guard.require_role(actor, Role.VIEWER)
    day = today or clock.today()
    name = actor.username
    return MyWork(
        name,
        day,
        issues=issues(db, name, day),
        follow_ups=follow_ups(db, name, day),
        consultations=consultations(db, name, day),
        invitations=invitations(db, name, day),
    )


def assignable(db: Database) -> list[tuple[str, str]]:
    """(user name, display name) of the editors a follow-up may be assigned to."""
    return store.editor_names(db)


# ---------------------------------------------------------------- writes


def _current(tx: Tx, activity_id: int) -> dict[str, Any]:
    row = store.follow_up_state(tx, activity_id)
    if row is None:
        raise NotFound(f"There is no activity #{activity_id} (it may have been deleted).")
    if row["follow_up"] is None:
        raise InvalidInput.one("Follow-up", "this activity has no follow-up date")
    return row


def mark_done(db: Database, actor: User, activity_id: int, expected_version: int) -> int:
    """Mark a follow-up done; returns the activity's new version."""
    guard.require_role(actor, Role.EDITOR)

    def work(tx: Tx) -> int:
        before = _current(tx, activity_id)
        if before["done_at"] is not None:
            raise InvalidInput.one("Follow-up", "is already done")
        now = clock.now()
        version = store.mark_done(tx, activity_id, expected_version, actor.username, now)
        if version is None:
            raise guard.conflict(ENTITY, activity_id, audit_store.latest_change(db, ENTITY, activity_id), before)
        tx.audit(
            actor.username,
            ENTITY,
            activity_id,
            "follow-up done",
            {"done_at": [None, now], "done_by": [None, actor.username]},
        )
        return version

    return db.write(work)


def reassign(db: Database, actor: User, activity_id: int, expected_version: int, assignee: str) -> int:
    """Hand a follow-up to another editor; returns the activity's new version."""
    guard.require_role(actor, Role.EDITOR)

    def work(tx: Tx) -> int:
        before = _current(tx, activity_id)
        editors = {u.lower(): u for u, _ in store.editor_names(tx)}
        target = editors.get((assignee or "").strip().lower())
        if target is None:
            raise InvalidInput.one("Assignee", "must be an editor with an active account")
        if target == before["assignee"]:
            return int(before["version"])
        version = store.reassign(tx, activity_id, expected_version, target, actor.username, clock.now())
        if version is None:
            raise guard.conflict(ENTITY, activity_id, audit_store.latest_change(db, ENTITY, activity_id), before)
        tx.audit(actor.username, ENTITY, activity_id, "follow-up assigned", {"assignee": [before["assignee"], target]})
        return version

    return db.write(work)
