"""Sign-in sessions that survive a reload (a signed, expiring, revocable cookie) and personal
calendar feed tokens.

A cookie carries a random token, its absolute expiry and an HMAC over both. The database keeps
only the token's SHA-256, the user name, an idle deadline that moves with activity and the
revocation time: a stolen database yields no usable cookie, and sign-out, disabling the account,
a password reset or "sign everyone out" end a session at once.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass

from tracker import config
from tracker.domain import clock
from tracker.domain.enums import Role
from tracker.domain.models import User
from tracker.store import Database, Tx
from tracker.store import users as store

from .accounts import get_user
from .guard import require_role

COOKIE_NAME = "tracker_session"
COOKIE_SECRET = "cookie_secret"  # noqa: S105 - the name of the stored key, not a key
_VERSION = "v1"
# Only refresh the idle deadline when this much of it is used, so busy pages do not write on every rerun.
_REFRESH_AFTER = dt.timedelta(seconds=60)


def session_hours() -> int:
    """The longest a reload-proof sign-in lasts, whatever the activity (``TRACKER_SESSION_HOURS``)."""
    return max(1, int(os.environ.get("TRACKER_SESSION_HOURS", "12")))


def _idle() -> dt.timedelta:
    return dt.timedelta(minutes=config.idle_timeout_minutes())


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- the signing key


def database_secret(db: Database) -> str:
    """The cookie-signing key kept in the database, generated on first use."""
    existing = store.get_secret(db, COOKIE_SECRET)
    if existing:
        return existing
    return db.write(lambda tx: store.put_secret_if_absent(tx, COOKIE_SECRET, secrets.token_urlsafe(48)), quiet=True)


def sign_out_everyone(db: Database, actor: User | None) -> int:
    """Revoke every reload-proof session and replace the database-held signing key."""
    require_role(actor, Role.ADMIN)
    assert actor is not None
    return _revoke_all(db, actor.username)


def sign_out_everyone_from_console(db: Database) -> int:
    return _revoke_all(db, "system")


def _revoke_all(db: Database, by: str) -> int:
    now = clock.now()

    def work(tx: Tx) -> int:
        count = store.revoke_all_sessions(tx, now)
        store.replace_secret(tx, COOKIE_SECRET, secrets.token_urlsafe(48))
        tx.audit(by, "user", None, "sign out everyone", {"sessions": [count, 0]})
        return count

    return db.write(work)


# ---------------------------------------------------------------- cookie values


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _mac(secret: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode("utf-8"), payload.encode("utf-8"), hashlib.sha256).digest())


def sign(secret: str, token: str, expires: dt.datetime) -> str:
    payload = f"{_VERSION}.{token}.{int(expires.replace(tzinfo=dt.UTC).timestamp())}"
    return f"{payload}.{_mac(secret, payload)}"


def unsign(secret: str, value: str | None, now: dt.datetime | None = None) -> str | None:
    """The token inside a cookie value, or None when it is malformed, forged or expired."""
    if not value or len(value) > 300:
        return None
    parts = value.split(".")
    if len(parts) != 4 or parts[0] != _VERSION:
        return None
    payload = ".".join(parts[:3])
    if not hmac.compare_digest(_mac(secret, payload), parts[3]):
        return None
    try:
        expires = dt.datetime.fromtimestamp(int(parts[2]), dt.UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        return None
    if expires <= (now or clock.now()):
        return None
    return parts[1]


# ---------------------------------------------------------------- sessions


@dataclass(frozen=True)
class NewSession:
    token: str
    token_hash: str
    expires: dt.datetime  # absolute end: the cookie's own expiry

    def cookie_value(self, secret: str) -> str:
        return sign(secret, self.token, self.expires)

    @property
    def max_age(self) -> int:
        return max(0, int((self.expires - clock.now()).total_seconds()))


def start(db: Database, user: User) -> NewSession:
    """A new reload-proof session for a user who has just signed in."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    absolute = now + dt.timedelta(hours=session_hours())
    hashed = token_hash(token)

    def work(tx: Tx) -> None:
        store.insert_session(tx, hashed, user.username, now, min(absolute, now + _idle()))
        store.prune_sessions(tx, now - dt.timedelta(days=7))

    db.write(work, quiet=True)
    return NewSession(token, hashed, absolute)


def resume(db: Database, secret: str, cookie_value: str | None) -> tuple[User, str] | None:
    """The active user and session hash for a cookie, or None (forged, expired, idle, revoked,
    disabled)."""
    now = clock.now()
    token = unsign(secret, cookie_value, now)
    if token is None:
        return None
    hashed = token_hash(token)
    row = store.get_session(db, hashed)
    if row is None or row["revoked_at"] is not None or row["expires_at"] <= now:
        return None
    user = get_user(db, row["username"])
    if user is None or user.disabled:
        return None
    touch(db, hashed, row)
    return user, hashed


def touch(db: Database, hashed: str, row: dict[str, object] | None = None) -> None:
    """Move the session's idle deadline (at most once a minute; never past its absolute end)."""
    row = row or store.get_session(db, hashed)
    if not row or row["revoked_at"] is not None:
        return
    now = clock.now()
    created = row["created_at"]
    assert isinstance(created, dt.datetime)
    absolute = created + dt.timedelta(hours=session_hours())
    new_deadline = min(absolute, now + _idle())
    current = row["expires_at"]
    assert isinstance(current, dt.datetime)
    if new_deadline - current >= _REFRESH_AFTER:
        db.write(lambda tx: store.extend_session(tx, hashed, new_deadline), quiet=True)


def end(db: Database, hashed: str | None) -> None:
    """Sign-out: the session's cookie is worthless from now on."""
    if hashed:
        db.write(lambda tx: store.revoke_session(tx, hashed, clock.now()), quiet=True)


def active_count(db: Database) -> int:
    return store.active_session_count(db, clock.now())


# ---------------------------------------------------------------- calendar feed tokens


def new_calendar_token(db: Database, actor: User | None) -> str:
    """A personal feed token (replaces any earlier one); shown once, stored only as a hash."""
    require_role(actor, Role.VIEWER)
    assert actor is not None
    token = secrets.token_urlsafe(24)
    now = clock.now()

    def work(tx: Tx) -> None:
        store.revoke_calendar_tokens(tx, actor.username, now)
        store.insert_calendar_token(tx, token_hash(token), actor.username)

    db.write(work)
    return token


def revoke_calendar_token(db: Database, actor: User | None) -> None:
    require_role(actor, Role.VIEWER)
    assert actor is not None
    db.write(lambda tx: store.revoke_calendar_tokens(tx, actor.username, clock.now()))


def has_calendar_token(db: Database, actor: User) -> bool:
    return store.has_calendar_token(db, actor.username)


def calendar_feed_user(db: Database, token: str) -> User | None:
    """The active owner of a feed token, or None."""
    if not token or len(token) > 100:
        return None
    owner = store.calendar_token_owner(db, token_hash(token))
    user = get_user(db, owner) if owner else None
    return user if user and not user.disabled else None


def is_live(db: Database, hashed: str) -> bool:
    """The session is neither revoked nor past its idle deadline."""
    row = store.get_session(db, hashed)
    return bool(row and row["revoked_at"] is None and row["expires_at"] > clock.now())
