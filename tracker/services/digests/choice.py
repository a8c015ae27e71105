"""Who gets which digest, and when: the per-account choice, the hour and the slot of a period."""

from __future__ import annotations

import datetime as dt
import os

from tracker.domain import clock
from tracker.domain.enums import Role
from tracker.domain.errors import InvalidInput, NotFound
from tracker.domain.models import User
from tracker.store import Database, Tx
from tracker.store import digests as store

from .. import guard

CHOICES = ("daily", "weekly", "none")
CHOICE_LABELS = {"daily": "Daily", "weekly": "Weekly (Mondays)", "none": "No digest"}
DEFAULT_HOUR = 7


def digest_hour() -> int | None:
    """The hour digests go out in the organisation's time zone, or None when switched off."""
    raw = os.environ.get("TRACKER_DIGEST_HOUR", str(DEFAULT_HOUR)).strip().lower()
    if raw in ("off", "none", "", "-1"):
        return None
    try:
        hour = int(raw)
    except ValueError:
        raise InvalidInput.one("TRACKER_DIGEST_HOUR", "must be an hour from 0 to 23, or off") from None
    if not 0 <= hour <= 23:
        raise InvalidInput.one("TRACKER_DIGEST_HOUR", "must be an hour from 0 to 23, or off")
    return hour


def role_of(value: Role | str) -> Role:
    return value if isinstance(value, Role) else {r.value: r for r in Role}[str(value)]


def default_choice(role: Role | str) -> str:
    return "daily" if role_of(role).allows(Role.EDITOR) else "weekly"


def effective_choice(role: Role | str, stored: str | None) -> str:
    return stored if stored in CHOICES else default_choice(role)


def choice_of(db: Database, actor: User) -> tuple[str, bool]:
    """The signed-in person's digest choice, and whether it is their role's default."""
    guard.require_role(actor, Role.VIEWER)
    stored = store.choice(db, actor.username)
    return effective_choice(actor.role, stored), stored not in CHOICES


def set_choice(db: Database, actor: User, value: str | None) -> str:
    """Set one's own digest choice (None: back to the role's default); returns the effective one."""
    guard.require_role(actor, Role.VIEWER)
    if value is not None and value not in CHOICES:
        raise InvalidInput.one("E-mail digest", "must be one of: " + ", ".join(CHOICE_LABELS.values()))
    before = store.choice(db, actor.username)

    def work(tx: Tx) -> None:
        if not store.set_choice(tx, actor.username, value):
            raise NotFound("Your account no longer exists.")
        tx.audit(actor.username, "user", actor.id, "digest choice", {"digest": [before, value]})

    db.write(work)  # audited: the account history shows it
    return effective_choice(actor.role, value)


def slot(now: dt.datetime, hour: int, kind: str) -> dt.datetime:
    """The latest ``hour``:00 local (a Monday's for weekly) at or before ``now``, as naive UTC."""
    local = clock.local(now)
    at = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if at > local:
        at -= dt.timedelta(days=1)
    if kind == "weekly":
        at -= dt.timedelta(days=at.weekday())
    # Wall-clock arithmetic above, so a DST change keeps the hour; then back to stored UTC.
    return at.replace(tzinfo=clock.zone()).astimezone(dt.UTC).replace(tzinfo=None)


def period_days(kind: str) -> int:
    return 7 if kind == "weekly" else 1
