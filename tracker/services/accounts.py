"""Accounts: sign-in with argon2id hashes and rate limiting, creation and role changes."""

from __future__ import annotations

import datetime as dt
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from tracker.domain import clock
from tracker.domain.enums import Role
from tracker.domain.errors import InvalidInput, PermissionDenied
from tracker.domain.models import User, UserInput, parse
from tracker.store import Database
from tracker.store import users as store

from .guard import require_role

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified when the user name is unknown, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))

MIN_PASSWORD_LENGTH = 12
LOCK_AFTER_FAILURES = 5
LOCK_SECONDS = 60
NEUTRAL_FAILURE = "Unknown user or wrong password."


class SignInRefused(Exception):
    """Sign-in failed; the message is safe to show (it never says which part was wrong)."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_policy(username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput.one("Password", f"must have at least {MIN_PASSWORD_LENGTH} characters")
    if username.lower() in password.lower():
        raise InvalidInput.one("Password", "must not contain the user name")


def _to_user(row: dict[str, object] | None) -> User | None:
    if row is None:
        return None
    return User.model_validate(
        {
            k: row[k]
            for k in (
                "id",
                "username",
                "display_name",
                "email",
                "role",
                "disabled",
                "must_change_password",
                "is_demo",
                "version",
            )
        }
    )


def get_user(db: Database, username: str) -> User | None:
    """The account as stored now (roles are re-read on every page run)."""
    return _to_user(store.get_by_username(db, username))


def get_user_by_email(db: Database, email: str) -> User | None:
    return _to_user(store.get_by_email(db, email))


def authenticate(db: Database, username: str, password: str) -> User:
    """The user for these credentials, or :class:`SignInRefused` with a neutral message."""
    username = (username or "").strip()[:200]
    creds = store.credentials(db, username) if username else None
    now = clock.now()
    if creds is None:
        _verify(_DUMMY_HASH, password)
        raise SignInRefused(NEUTRAL_FAILURE)
    pw_hash, _failures, locked_until = creds
    if locked_until and locked_until > now:
        _verify(_DUMMY_HASH, password)
        wait = int((locked_until - now).total_seconds()) + 1
        raise SignInRefused(f"Too many failed attempts. Try again in {wait} seconds.")
    ok = _verify(pw_hash or _DUMMY_HASH, password) and pw_hash is not None
    user = get_user(db, username)
    if not ok or user is None or user.disabled:
        lock_until = now + dt.timedelta(seconds=LOCK_SECONDS)
        db.write(lambda tx: store.record_failure(tx, username, LOCK_AFTER_FAILURES, lock_until))
        raise SignInRefused(NEUTRAL_FAILURE)
    db.write(lambda tx: store.reset_failures(tx, username))
    return user


def _verify(pw_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(pw_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def create_user(
    db: Database,
    actor: User | None,
    data: dict[str, object],
    password: str,
    *,
    is_demo: bool = False,
    bootstrap: bool = False,
) -> User:
    """Create an account. ``bootstrap`` (CLI and demo) skips the admin check, never the policy
    unless the account is a demo one."""
    if not bootstrap:
        require_role(actor, Role.ADMIN)
    model = parse(UserInput, data)
    if not is_demo:
        check_password_policy(model.username, password)
    if store.get_by_username(db, model.username):
        raise InvalidInput.one("Username", f"'{model.username}' is already taken")
    pw_hash = hash_password(password)
    by = actor.username if actor else "system"

    def work(tx):  # type: ignore[no-untyped-def]
        uid = store.insert(
            tx, model.username, model.display_name, model.email, model.role.value, pw_hash, is_demo=is_demo
        )
        tx.audit(by, "user", uid, "create", {"username": [None, model.username], "role": [None, model.role.value]})
        return uid

    db.write(work)
    user = get_user(db, model.username)
    assert user is not None
    return user


def require_signed_in(db: Database, username: str | None) -> User:
    """Re-read the account; refuses a signed-out, unknown or disabled user."""
    user = get_user(db, username) if username else None
    if user is None or user.disabled:
        raise PermissionDenied("Please sign in.")
    return user


def demo_accounts_exist(db: Database) -> bool:
    return store.demo_accounts_exist(db)


def owner_choices(db: Database) -> list[str]:
    return store.usernames(db)
