"""SQL for accounts, sign-in throttling, sign-in sessions, calendar tokens and server secrets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import versioned
from .database import Database, Tx

USER_COLUMNS = (
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
_COLS = ", ".join(USER_COLUMNS)


def _user_row(row: tuple[Any, ...] | None) -> dict[str, Any] | None:
    return dict(zip(USER_COLUMNS, row, strict=True)) if row else None


# ---------------------------------------------------------------- accounts


def get_by_username(db: Database, username: str) -> dict[str, Any] | None:
    rows = db.read(f"SELECT {_COLS} FROM users WHERE lower(username) = lower(?)", [username])
    return _user_row(rows[0]) if rows else None


def get_by_id(db: Database, user_id: int) -> dict[str, Any] | None:
    rows = db.read(f"SELECT {_COLS} FROM users WHERE id = ?", [user_id])
    return _user_row(rows[0]) if rows else None


def get_tx(tx: Tx, user_id: int) -> dict[str, Any] | None:
    """The account as this transaction sees it."""
    return _user_row(tx.one(f"SELECT {_COLS} FROM users WHERE id = ?", [user_id]))


def get_by_email(db: Database, email: str) -> dict[str, Any] | None:
    """The one account with this e-mail (case-insensitive); None when none or several."""
    rows = db.read(f"SELECT {_COLS} FROM users WHERE lower(email) = lower(?) LIMIT 2", [email])
    return _user_row(rows[0]) if len(rows) == 1 else None


def email_owner(db: Database, email: str, except_id: int | None = None) -> str | None:
    """The user name already using ``email``, if any (other than ``except_id``)."""
    rows = db.read(
        "SELECT username FROM users WHERE lower(email) = lower(?) AND id IS DISTINCT FROM ? LIMIT 1",
        [email, except_id],
    )
    return rows[0][0] if rows else None


def list_users(db: Database) -> list[dict[str, Any]]:
    rows = db.read(f"SELECT {_COLS} FROM users ORDER BY lower(username)")
    return [d for d in (_user_row(r) for r in rows) if d]


def list_accounts(db: Database) -> list[dict[str, Any]]:
    """Every account with the extra facts the Admin page shows."""
    rows = db.read(
        f"SELECT {_COLS}, created_at, last_sign_in_at, password_hash IS NOT NULL AS has_password "
        "FROM users ORDER BY lower(username)"
    )
    extra = ("created_at", "last_sign_in_at", "has_password")
    return [dict(zip(USER_COLUMNS + extra, r, strict=True)) for r in rows]


def usernames(db: Database) -> list[str]:
    return [r[0] for r in db.read("SELECT username FROM users WHERE NOT disabled ORDER BY lower(username)")]


def password_hash(db: Database, username: str) -> str | None:
    """The stored hash for a user name; None when the name is unknown or has no password."""
    rows = db.read("SELECT password_hash FROM users WHERE lower(username) = lower(?)", [username])
    return rows[0][0] if rows else None


def insert(
    tx: Tx,
    username: str,
    display_name: str | None,
    email: str | None,
    role: str,
    password_hash: str | None,
    is_demo: bool = False,
    must_change_password: bool = False,
) -> int:
    values: dict[str, Any] = {"username": username, "display_name": display_name, "email": email, "role": role}
    values |= {"password_hash": password_hash, "is_demo": is_demo, "must_change_password": must_change_password}
    return versioned.insert_id(tx, "users", values, by=None, at=None)


def mark_signed_in(tx: Tx, username: str, at: dt.datetime) -> None:
    tx.execute("UPDATE users SET last_sign_in_at = ? WHERE lower(username) = lower(?)", [at, username])


def active_admins(db: Database) -> list[str]:
    return [r[0] for r in db.read("SELECT username FROM users WHERE role = 'admin' AND NOT disabled")]


def demo_accounts_exist(db: Database) -> bool:
    rows = db.read("SELECT count(*) FROM users WHERE is_demo AND NOT disabled")
    return bool(rows and rows[0][0])


# ---------------------------------------------------------------- failed sign-ins


def throttle_state(db: Database, name_hash: str) -> tuple[int, dt.datetime | None] | None:
    """(failures, locked until) for a hashed user name, or None when it never failed."""
    rows = db.read("SELECT failures, locked_until FROM sign_in_throttle WHERE name_hash = ?", [name_hash])
    return (int(rows[0][0]), rows[0][1]) if rows else None


def throttle_states(db: Database, name_hashes: list[str]) -> dict[str, tuple[int, dt.datetime | None]]:
    """(failures, locked until) of each hashed user name that ever failed, in one query."""
    if not name_hashes:
        return {}
    rows = db.read(
        "SELECT name_hash, failures, locked_until FROM sign_in_throttle WHERE list_contains(?, name_hash)",
        [name_hashes],
    )
    return {r[0]: (int(r[1]), r[2]) for r in rows}


def record_failure(tx: Tx, name_hash: str, now: dt.datetime, lock_after: int, lock_until: dt.datetime) -> None:
    """Count one failure; the count starts again after a lock has run out."""
    tx.execute(
        "INSERT INTO sign_in_throttle AS t (name_hash, failures, locked_until, last_failure_at) "
        "VALUES (?, 1, NULL, ?) "
        "ON CONFLICT (name_hash) DO UPDATE SET "
        "failures = CASE WHEN t.locked_until IS NOT NULL AND t.locked_until <= EXCLUDED.last_failure_at "
        "           THEN 1 ELSE t.failures + 1 END, "
        "locked_until = CASE "
        "  WHEN t.locked_until IS NOT NULL AND t.locked_until <= EXCLUDED.last_failure_at THEN NULL "
        "  WHEN t.failures + 1 >= ? THEN ? ELSE t.locked_until END, "
        "last_failure_at = EXCLUDED.last_failure_at",
        [name_hash, now, lock_after, lock_until],
    )


def clear_failures(tx: Tx, name_hash: str) -> None:
    tx.execute("DELETE FROM sign_in_throttle WHERE name_hash = ?", [name_hash])


def prune_failures(tx: Tx, older_than: dt.datetime) -> None:
    """Forget failures nobody has repeated for a while (keeps the table small)."""
    tx.execute(
        "DELETE FROM sign_in_throttle WHERE last_failure_at < ? AND (locked_until IS NULL OR locked_until < ?)",
        [older_than, older_than],
    )


# ---------------------------------------------------------------- sign-in sessions (cookie)


def insert_session(tx: Tx, token_hash: str, username: str, created_at: dt.datetime, expires_at: dt.datetime) -> None:
    tx.execute(
        "INSERT INTO sessions (token_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)",
        [token_hash, username, created_at, expires_at],
    )


def get_session(db: Database, token_hash: str) -> dict[str, Any] | None:
    rows = db.read(
        "SELECT username, created_at, expires_at, revoked_at FROM sessions WHERE token_hash = ?", [token_hash]
    )
    if not rows:
        return None
    username, created_at, expires_at, revoked_at = rows[0]
    return {"username": username, "created_at": created_at, "expires_at": expires_at, "revoked_at": revoked_at}


def extend_session(tx: Tx, token_hash: str, expires_at: dt.datetime) -> None:
    tx.execute(
        "UPDATE sessions SET expires_at = ? WHERE token_hash = ? AND revoked_at IS NULL", [expires_at, token_hash]
    )


def revoke_session(tx: Tx, token_hash: str, at: dt.datetime) -> None:
    tx.execute("UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL", [at, token_hash])


def revoke_user_sessions(tx: Tx, username: str, at: dt.datetime) -> int:
    return tx.count(
        "UPDATE sessions SET revoked_at = ? WHERE lower(username) = lower(?) AND revoked_at IS NULL", [at, username]
    )


def revoke_all_sessions(tx: Tx, at: dt.datetime) -> int:
    return tx.count("UPDATE sessions SET revoked_at = ? WHERE revoked_at IS NULL", [at])


def prune_sessions(tx: Tx, older_than: dt.datetime) -> None:
    tx.execute("DELETE FROM sessions WHERE expires_at < ? OR revoked_at < ?", [older_than, older_than])


def active_session_count(db: Database, now: dt.datetime) -> int:
    rows = db.read("SELECT count(*) FROM sessions WHERE revoked_at IS NULL AND expires_at > ?", [now])
    return int(rows[0][0]) if rows else 0


# ---------------------------------------------------------------- calendar feed tokens


def insert_calendar_token(tx: Tx, token_hash: str, username: str) -> None:
    tx.execute("INSERT INTO calendar_tokens (token_hash, username) VALUES (?, ?)", [token_hash, username])


def calendar_token_owner(db: Database, token_hash: str) -> str | None:
    rows = db.read("SELECT username FROM calendar_tokens WHERE token_hash = ? AND revoked_at IS NULL", [token_hash])
    return rows[0][0] if rows else None


def has_calendar_token(db: Database, username: str) -> bool:
    rows = db.read(
        "SELECT count(*) FROM calendar_tokens WHERE lower(username) = lower(?) AND revoked_at IS NULL", [username]
    )
    return bool(rows and rows[0][0])


def revoke_calendar_tokens(tx: Tx, username: str, at: dt.datetime) -> int:
    return tx.count(
        "UPDATE calendar_tokens SET revoked_at = ? WHERE lower(username) = lower(?) AND revoked_at IS NULL",
        [at, username],
    )


# ---------------------------------------------------------------- server secrets


def get_secret(db: Database, name: str) -> str | None:
    rows = db.read("SELECT value FROM server_secrets WHERE name = ?", [name])
    return rows[0][0] if rows else None


def put_secret_if_absent(tx: Tx, name: str, value: str) -> str:
    """Store ``value`` unless a value exists; returns the stored one (first writer wins)."""
    tx.execute("INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", [name, value])
    row = tx.one("SELECT value FROM server_secrets WHERE name = ?", [name])
    assert row is not None
    return str(row[0])


def replace_secret(tx: Tx, name: str, value: str) -> None:
    tx.execute(
        "INSERT INTO server_secrets (name, value) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, created_at = now()::TIMESTAMP",
        [name, value],
    )


def display_names(db: Database) -> dict[str, str]:
    """Every account's user name → the name people read (the user name when none is set)."""
    return {r[0]: r[1] or r[0] for r in db.read("SELECT username, display_name FROM users")}
