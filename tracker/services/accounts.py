"""Accounts: sign-in with argon2id hashes and rate limiting, and the admin's account management.

Sign-in failures are counted per keyed hash of the typed name as :func:`sign_in_key` spells it
— for names that exist and names that do not alike — and per account, so neither the message,
the lock nor the time taken tells an outsider whether an account exists, no attempted name is
stored in clear, and no spelling of a name gets tries of its own: the account lookup goes
through the same :func:`sign_in_key`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import unicodedata
from typing import Any

from tracker.domain import clock
from tracker.domain.enums import Role
from tracker.domain.errors import InvalidInput, NotFound, PermissionDenied
from tracker.domain.models import USERNAME, User, UserInput, parse
from tracker.store import Database, Tx
from tracker.store import audit as audit_store
from tracker.store import users as store

from . import versioned
from .guard import diff, require_role
from .passwords import (
    MAX_PASSWORD_LENGTH,
    check_password_policy,
    dummy_hash,
    hash_password,
    temporary_password,
    verify,
)

MAX_USERNAME_LENGTH = 200
LOCK_AFTER_FAILURES = 5
LOCK_SECONDS = 60
NEUTRAL_FAILURE = "Unknown user or wrong password."
_NAME_KEY = "sign_in_name_key"
_name_keys: dict[str, bytes] = {}


class SignInRefused(Exception):
    """Sign-in failed; the message is safe to show (it never says which part was wrong)."""


# ---------------------------------------------------------------- reading accounts


def _to_user(row: dict[str, Any] | None) -> User | None:
    if row is None:
        return None
    return User.model_validate({k: row[k] for k in store.USER_COLUMNS})


def get_user(db: Database, username: str) -> User | None:
    """The account as stored now (roles are re-read on every page run)."""
    return _to_user(store.get_by_username(db, username))


def get_user_by_email(db: Database, email: str) -> User | None:
    """The one account with this e-mail; None when no account, or several, use it."""
    return _to_user(store.get_by_email(db, email))


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


def list_accounts(db: Database, actor: User | None) -> list[dict[str, Any]]:
    """Every account for the Admin page, with its sign-in state."""
    require_role(actor, Role.ADMIN)
    now = clock.now()
    rows = store.list_accounts(db)
    counters = [_counters(db, row["username"]) for row in rows]
    states = store.throttle_states(db, [c for pair in counters for c in pair])
    out = []
    for row, pair in zip(rows, counters, strict=True):
        ends = [s[1] for s in (states.get(c) for c in pair) if s and s[1] and s[1] > now]
        out.append({**row, "locked_until": max(ends) if ends else None})
    return out


def account_history(db: Database, actor: User | None, limit: int = 500) -> list[dict[str, Any]]:
    """The audit log of account changes, newest first, with the account's user name."""
    require_role(actor, Role.ADMIN)
    names = {r["id"]: r["username"] for r in store.list_users(db)}
    entries = audit_store.recent(db, ["user"], limit=limit)
    return [{**e, "account": names.get(e["entity_id"], f"#{e['entity_id']}")} for e in entries]


# ---------------------------------------------------------------- sign-in


def _name_key(db: Database) -> bytes:
    cache_key = str(db.path)
    key = _name_keys.get(cache_key)
    if key is None:
        stored = store.get_secret(db, _NAME_KEY) or db.write(
            lambda tx: store.put_secret_if_absent(tx, _NAME_KEY, secrets.token_hex(32)), quiet=True
        )
        key = _name_keys[cache_key] = bytes.fromhex(stored)
    return key


def sign_in_key(name: str | None) -> str:
    """The one spelling of a typed user name that sign-in uses, for the account lookup and the
    failure counter alike: Unicode compatibility forms folded (a full-width ｏｆｆｉｃｅｒ is
    officer), case folded the Unicode way, surrounding space dropped."""
    return unicodedata.normalize("NFKC", name or "").strip().casefold()[:MAX_USERNAME_LENGTH]


_ACCOUNT_NAME = re.compile(USERNAME)


def _lookup_name(key: str) -> str | None:
    """The name to look an account up by for a sign-in key; None when no account can be named so.

    Account names are ASCII (``USERNAME``), so a key that folded to anything else names no
    account — and is never handed to the database's own, different, case folding."""
    return key if _ACCOUNT_NAME.fullmatch(key) else None


def _name_hash(key: bytes, username: str) -> str:
    return hmac.new(key, sign_in_key(username).encode("utf-8"), hashlib.sha256).hexdigest()


def _account_hash(key: bytes, username: str) -> str:
    """The failure counter of an account itself (beside the one of each typed name)."""
    return hmac.new(key, b"account\0" + sign_in_key(username).encode("utf-8"), hashlib.sha256).hexdigest()


def _counters(db: Database, username: str) -> tuple[str, str]:
    key = _name_key(db)
    return _name_hash(key, username), _account_hash(key, username)


def authenticate(db: Database, username: str, password: str) -> User:
    """The user for these credentials, or :class:`SignInRefused` with a neutral message.

    Unknown names, wrong passwords and disabled accounts take the same path: one argon2
    verification and one write of the failure counters, then the same message. A name and its
    account are locked together after ``LOCK_AFTER_FAILURES`` failures in all their spellings.
    """
    typed = sign_in_key(username)
    password = (password or "")[:MAX_PASSWORD_LENGTH]
    # Made before any branch: the first sign-in after a start pays for it whoever signs in.
    dummy = dummy_hash()
    now = clock.now()
    lookup = _lookup_name(typed)
    account = get_user(db, lookup) if lookup else None
    # Unknown names count on a counter of their own spelling too, so every path writes the same.
    counters = _counters(db, account.username if account else typed)
    states = store.throttle_states(db, list(counters))
    locked = [s[1] for s in states.values() if s[1] and s[1] > now]
    if locked:
        verify(dummy, password)
        wait = int((max(locked) - now).total_seconds()) + 1
        raise SignInRefused(f"Too many failed attempts. Try again in {wait} seconds.")
    pw_hash = store.password_hash(db, lookup) if lookup else None  # asked for unknown names too
    ok = verify(pw_hash or dummy, password) and pw_hash is not None
    user = account if ok and account is not None else None
    if user is None or user.disabled:
        lock_until = now + dt.timedelta(seconds=LOCK_SECONDS)

        def fail(tx: Tx) -> None:
            for counter in counters:
                store.record_failure(tx, counter, now, LOCK_AFTER_FAILURES, lock_until)
            store.prune_failures(tx, now - dt.timedelta(days=1))

        db.write(fail, quiet=True)  # counters only: no cached view shows them
        raise SignInRefused(NEUTRAL_FAILURE)

    def succeed(tx: Tx) -> None:
        for counter in counters:
            store.clear_failures(tx, counter)
        store.mark_signed_in(tx, user.username, now)

    db.write(succeed, quiet=True)
    return user


def sign_in_by_email(db: Database, email: str | None) -> User | None:
    """The active account single sign-on maps ``email`` to, or None (unknown, ambiguous, disabled)."""
    if not email:
        return None
    user = get_user_by_email(db, email.strip())
    if user is None or user.disabled:
        return None
    db.write(lambda tx: store.mark_signed_in(tx, user.username, clock.now()), quiet=True)
    return user


def change_own_password(db: Database, actor: User | None, current: str, new: str) -> User:
    """The signed-in user replaces their password (also how a forced change is done)."""
    if actor is None or actor.disabled:
        raise PermissionDenied("Please sign in again.")
    pw_hash = store.password_hash(db, actor.username)
    if pw_hash is None or not verify(pw_hash, (current or "")[:MAX_PASSWORD_LENGTH]):
        raise InvalidInput.one("Current password", "is not right")
    if new == current:
        raise InvalidInput.one("New password", "must differ from the current one")
    try:
        check_password_policy(actor.username, new)
    except InvalidInput as exc:
        raise InvalidInput.one("New password", exc.errors[0].message) from None
    new_hash = hash_password(new)

    def change(tx: Tx, _row: dict[str, Any]) -> None:
        _save(tx, actor.username, actor.id, actor.version, {"password_hash": new_hash, "must_change_password": False})
        tx.audit(actor.username, "user", actor.id, "change password", {"password": ["(hidden)", "(changed)"]})

    versioned.edit(db, ACCOUNT, actor.id, actor.version, change)
    return _reload(db, actor.id)


# ---------------------------------------------------------------- admin: accounts


def create_user(
    db: Database,
    actor: User | None,
    data: dict[str, object],
    password: str | None,
    *,
    is_demo: bool = False,
    bootstrap: bool = False,
    must_change_password: bool = False,
) -> User:
    """Create an account. ``bootstrap`` (CLI and demo) skips the admin check, never the policy
    unless the account is a demo one. No password (None or empty) makes a single-sign-on-only
    account, which needs an e-mail."""
    if not bootstrap:
        require_role(actor, Role.ADMIN)
    model = parse(UserInput, data)
    if password:
        if not is_demo:
            check_password_policy(model.username, password)
    elif not model.email:
        raise InvalidInput.one("Password", "is needed (or give an e-mail for single sign-on)")
    if store.get_by_username(db, model.username):
        raise InvalidInput.one("Username", f"'{model.username}' is already taken")
    if model.email and (owner := store.email_owner(db, model.email)):
        raise InvalidInput.one("E-mail", f"is already used by the account '{owner}'")
    pw_hash = hash_password(password) if password else None
    by = actor.username if actor else "system"

    def work(tx: Tx) -> int:
        uid = store.insert(
            tx,
            model.username,
            model.display_name,
            model.email,
            model.role.value,
            pw_hash,
            is_demo=is_demo,
            must_change_password=must_change_password and bool(password),
        )
        tx.audit(
            by,
            "user",
            uid,
            "create",
            {
                "username": [None, model.username],
                "display_name": [None, model.display_name],
                "email": [None, model.email],
                "role": [None, model.role.value],
            },
        )
        return uid

    uid = db.write(work)
    return _reload(db, uid)


ACCOUNT = versioned.Kind(
    "users",
    "account",
    store.get_tx,
    lambda row: versioned.fields(row, ("display_name", "email", "role")),
    "Account #{id} does not exist.",
)


def _save(tx: Tx, by: str, user_id: int, expected_version: int, values: dict[str, Any]) -> None:
    """A version-checked change of account columns (accounts carry no updated_at / updated_by;
    each caller writes its own audit entry, the password never in it)."""
    versioned.save(tx, ACCOUNT, user_id, expected_version, values, actor=by, at=None)


def _reload(db: Database, user_id: int) -> User:
    user = _to_user(store.get_by_id(db, user_id))
    if user is None:
        raise NotFound(f"Account #{user_id} does not exist.")
    return user


def _target(db: Database, user_id: int) -> User:
    return _reload(db, user_id)


def _keep_an_admin(db: Database, target: User, *, role: Role | None = None, disabled: bool | None = None) -> None:
    """Refuse a change that would leave no active admin (nobody could manage accounts)."""
    stays_admin = (role or target.role) == Role.ADMIN and not (target.disabled if disabled is None else disabled)
    if target.role == Role.ADMIN and not target.disabled and not stays_admin:
        others = [u for u in store.active_admins(db) if u.lower() != target.username.lower()]
        if not others:
            raise InvalidInput.one("Role", "at least one active admin must remain")


def update_account(db: Database, actor: User | None, user_id: int, expected_version: int, data: dict[str, Any]) -> User:
    """Change an account's name, e-mail or role (fields not given keep their value; the user name stays)."""
    require_role(actor, Role.ADMIN)
    assert actor is not None
    target = _target(db, user_id)
    current = {"display_name": target.display_name, "email": target.email, "role": target.role}
    model = parse(UserInput, {**current, **data, "username": target.username})
    if model.email and (owner := store.email_owner(db, model.email, except_id=user_id)):
        raise InvalidInput.one("E-mail", f"is already used by the account '{owner}'")
    _keep_an_admin(db, target, role=model.role)
    before = {"display_name": target.display_name, "email": target.email, "role": target.role.value}
    after = {"display_name": model.display_name, "email": model.email, "role": model.role.value}
    changes = diff(before, after)
    if not changes:
        return target

    def change(tx: Tx, _row: dict[str, Any]) -> None:
        _save(tx, actor.username, user_id, expected_version, after)
        tx.audit(actor.username, "user", user_id, "update", changes)

    versioned.edit(db, ACCOUNT, user_id, expected_version, change)
    return _reload(db, user_id)


def set_disabled(db: Database, actor: User | None, user_id: int, expected_version: int, disabled: bool) -> User:
    """Disable (ends its sessions and calendar feed at once) or enable an account."""
    require_role(actor, Role.ADMIN)
    assert actor is not None
    target = _target(db, user_id)
    if disabled and target.username.lower() == actor.username.lower():
        raise InvalidInput.one("Account", "you cannot disable your own account")
    if target.disabled == disabled:
        return target
    _keep_an_admin(db, target, disabled=disabled)
    now = clock.now()

    def change(tx: Tx, _row: dict[str, Any]) -> None:
        _save(tx, actor.username, user_id, expected_version, {"disabled": disabled})
        if disabled:
            store.revoke_user_sessions(tx, target.username, now)
            store.revoke_calendar_tokens(tx, target.username, now)
        tx.audit(
            actor.username, "user", user_id, "disable" if disabled else "enable", {"disabled": [not disabled, disabled]}
        )

    versioned.edit(db, ACCOUNT, user_id, expected_version, change)
    return _reload(db, user_id)


def reset_password(
    db: Database, actor: User | None, user_id: int, expected_version: int, new_password: str | None = None
) -> tuple[User, str]:
    """Give an account a new password the user must change at next sign-in.

    Returns the account and the password to hand over (a random one unless given). Ends the
    account's sessions and clears its sign-in lock.
    """
    require_role(actor, Role.ADMIN)
    assert actor is not None
    target = _target(db, user_id)
    password = new_password or temporary_password()
    if not target.is_demo:
        check_password_policy(target.username, password)
    pw_hash = hash_password(password)
    counters = _counters(db, target.username)
    now = clock.now()

    def change(tx: Tx, _row: dict[str, Any]) -> None:
        _save(tx, actor.username, user_id, expected_version, {"password_hash": pw_hash, "must_change_password": True})
        store.revoke_user_sessions(tx, target.username, now)
        for counter in counters:
            store.clear_failures(tx, counter)
        tx.audit(
            actor.username,
            "user",
            user_id,
            "reset password",
            {"password": ["(hidden)", "(reset)"]}
            | ({} if target.must_change_password else {"must_change_password": [False, True]}),
        )

    versioned.edit(db, ACCOUNT, user_id, expected_version, change)
    return _reload(db, user_id), password


def unlock(db: Database, actor: User | None, user_id: int) -> None:
    """Lift a sign-in lock before it runs out."""
    require_role(actor, Role.ADMIN)
    assert actor is not None
    target = _target(db, user_id)
    counters = _counters(db, target.username)
    states = [st for st in store.throttle_states(db, list(counters)).values() if st[0] or st[1] is not None]
    if not states:
        return  # not locked: nothing to lift, and no history entry for a change that changed nothing
    was_locked = any(until is not None for _, until in states)

    def work(tx: Tx) -> None:
        for counter in counters:
            store.clear_failures(tx, counter)
        tx.audit(actor.username, "user", user_id, "unlock", {"locked": [was_locked, False]})

    db.write(work)


def set_password_from_console(db: Database, username: str, password: str) -> User:
    """The server owner sets a password from the command line (e.g. a locked-out admin)."""
    target = get_user(db, username)
    if target is None:
        raise NotFound(f"No account named '{username}'.")
    check_password_policy(target.username, password)
    pw_hash = hash_password(password)
    counters = _counters(db, target.username)
    now = clock.now()

    def change(tx: Tx, _row: dict[str, Any]) -> None:
        _save(tx, "system", target.id, target.version, {"password_hash": pw_hash, "must_change_password": False})
        store.revoke_user_sessions(tx, target.username, now)
        for counter in counters:
            store.clear_failures(tx, counter)
        tx.audit("system", "user", target.id, "reset password", {"password": ["(hidden)", "(reset)"]})

    versioned.edit(db, ACCOUNT, target.id, target.version, change)
    return _reload(db, target.id)


def display_names(db: Database) -> dict[str, str]:
    """Every account's user name → the name people know it by (its user name when it has none)."""
    return {r["username"]: r["display_name"] or r["username"] for r in store.list_users(db)}
