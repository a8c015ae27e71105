"""SQL for accounts and sign-in sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

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


def _user_row(row: tuple[Any, ...] | None) -> dict[str, Any] | None:
    return dict(zip(USER_COLUMNS, row, strict=True)) if row else None


def get_by_username(db: Database, username: str) -> dict[str, Any] | None:
    rows = db.read(f"SELECT {', '.join(USER_COLUMNS)} FROM users WHERE lower(username) = lower(?)", [username])
    return _user_row(rows[0]) if rows else None


def get_by_email(db: Database, email: str) -> dict[str, Any] | None:
    rows = db.read(f"SELECT {', '.join(USER_COLUMNS)} FROM users WHERE lower(email) = lower(?)", [email])
    return _user_row(rows[0]) if rows else None


def list_users(db: Database) -> list[dict[str, Any]]:
    rows = db.read(f"SELECT {', '.join(USER_COLUMNS)} FROM users ORDER BY lower(username)")
    return [d for d in (_user_row(r) for r in rows) if d]


def usernames(db: Database) -> list[str]:
    return [r[0] for r in db.read("SELECT username FROM users WHERE NOT disabled ORDER BY lower(username)")]


def credentials(db: Database, username: str) -> tuple[str | None, int, dt.datetime | None] | None:
    """(password hash, failed attempts, locked until) for a user name, or None."""
    rows = db.read(
        "SELECT password_hash, failed_attempts, locked_until FROM users WHERE lower(username) = lower(?)", [username]
    )
    return (rows[0][0], rows[0][1], rows[0][2]) if rows else None


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
    row = tx.one(
        "INSERT INTO users (username, display_name, email, role, password_hash, is_demo, "
        "must_change_password) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [username, display_name, email, role, password_hash, is_demo, must_change_password],
    )
    assert row is not None
    return int(row[0])


def record_failure(tx: Tx, username: str, lock_after: int, lock_until: dt.datetime) -> None:
    tx.execute(
        "UPDATE users SET failed_attempts = failed_attempts + 1, "
        "locked_until = CASE WHEN failed_attempts + 1 >= ? THEN ? ELSE locked_until END "
        "WHERE lower(username) = lower(?)",
        [lock_after, lock_until, username],
    )


def reset_failures(tx: Tx, username: str) -> None:
    tx.execute(
        "UPDATE users SET failed_attempts = 0, locked_until = NULL "
        "WHERE lower(username) = lower(?) AND (failed_attempts > 0 OR locked_until IS NOT NULL)",
        [username],
    )


def update_fields(tx: Tx, user_id: int, expected_version: int, fields: dict[str, Any]) -> int | None:
    """Version-checked update of allowed account columns; returns the new version or None."""
    allowed = {
        "display_name",
        "email",
        "role",
        "disabled",
        "must_change_password",
        "password_hash",
        "failed_attempts",
        "locked_until",
    }
    bad = set(fields) - allowed
    if bad:
        raise ValueError(f"not an account column: {bad}")
    sets = ", ".join(f"{k} = ?" for k in fields)
    row = tx.one(
        f"UPDATE users SET {sets}, version = version + 1 WHERE id = ? AND version = ? RETURNING version",
        [*fields.values(), user_id, expected_version],
    )
    return int(row[0]) if row else None


def demo_accounts_exist(db: Database) -> bool:
    rows = db.read("SELECT count(*) FROM users WHERE is_demo AND NOT disabled")
    return bool(rows and rows[0][0])
