"""SQL for e-mail digests: who receives one, the record of each digest (the claim that stops a
period being sent twice), and the portfolio facts a digest reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .database import Database, Tx

RECIPIENT_COLS = ("username", "display_name", "email", "role", "digest", "last_digest_at")
DIGEST_COLS = (
    "id",
    "username",
    "kind",
    "period_start",
    "period_end",
    "recipient",
    "subject",
    "body_text",
    "body_html",
    "created_at",
    "attempted_at",
    "sent_at",
    "outcome",
    "error",
    "attempts",
)
_DIGEST = ", ".join(DIGEST_COLS)


def _dicts(cols: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [dict(zip(cols, r, strict=True)) for r in rows]


# ---------------------------------------------------------------- people and their choice


def recipients(db: Database, username: str | None = None) -> list[dict[str, Any]]:
    """Enabled accounts (one, with ``username``) with their digest choice and last digest."""
    where, params = ("AND lower(username) = lower(?)", [username]) if username else ("", [])
    rows = db.read(
        f"SELECT {', '.join(RECIPIENT_COLS)} FROM users WHERE NOT disabled {where} ORDER BY lower(username)", params
    )
    return _dicts(RECIPIENT_COLS, rows)


def choice(db: Database, username: str) -> str | None:
    rows = db.read("SELECT digest FROM users WHERE lower(username) = lower(?)", [username])
    return rows[0][0] if rows else None


def set_choice(tx: Tx, username: str, value: str | None) -> bool:
    return tx.one("UPDATE users SET digest = ? WHERE username = ? RETURNING id", [value, username]) is not None


# ---------------------------------------------------------------- the record of each digest


def find(db: Database, username: str, period_end: dt.datetime) -> dict[str, Any] | None:
    rows = db.read(f"SELECT {_DIGEST} FROM digests WHERE username = ? AND period_end = ?", [username, period_end])
    return _dicts(DIGEST_COLS, rows)[0] if rows else None


def get(db: Database, digest_id: int) -> dict[str, Any] | None:
    rows = db.read(f"SELECT {_DIGEST} FROM digests WHERE id = ?", [digest_id])
    return _dicts(DIGEST_COLS, rows)[0] if rows else None


def record(tx: Tx, values: dict[str, Any], now: dt.datetime) -> int | None:
    """Insert the digest unless this user's period is taken; its id, or None when it was.

    Moves the user's ``last_digest_at`` to the period's end in the same transaction: the period is
    accounted for from now on (a failed send is retried from this record, not composed again)."""
    tx.lock()
    row = tx.one(
        "INSERT INTO digests (username, kind, period_start, period_end, recipient, subject, body_text, body_html, "
        "created_at, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
        [
            values["username"],
            values["kind"],
            values["period_start"],
            values["period_end"],
            values.get("recipient"),
            values.get("subject"),
            values.get("body_text"),
            values.get("body_html"),
            now,
            values["outcome"],
        ],
    )
    if row is None:
        return None
    tx.execute(
        "UPDATE users SET last_digest_at = ? WHERE username = ? AND (last_digest_at IS NULL OR last_digest_at < ?)",
        [values["period_end"], values["username"], values["period_end"]],
    )
    return int(row[0])


def claim_retry(tx: Tx, digest_id: int, stale_before: dt.datetime, now: dt.datetime) -> bool:
    """Take a failed (or abandoned pending) digest for one more attempt; False when another run has it."""
    row = tx.one(
        "UPDATE digests SET outcome = 'pending', attempted_at = ? WHERE id = ? AND (outcome = 'failed' "
        "OR (outcome = 'pending' AND coalesce(attempted_at, created_at) < ?)) RETURNING id",
        [now, digest_id, stale_before],
    )
    return row is not None


def mark_attempt(tx: Tx, digest_id: int, outcome: str, error: str | None, now: dt.datetime) -> None:
    """The outcome of one delivery attempt (sent or written stamps ``sent_at``)."""
    sent = now if outcome in ("sent", "written") else None
    tx.execute(
        "UPDATE digests SET outcome = ?, error = ?, attempts = attempts + 1, attempted_at = ?, "
        "sent_at = coalesce(?, sent_at) WHERE id = ?",
        [outcome, error, now, sent, digest_id],
    )


def retryable(db: Database, max_attempts: int, stale_before: dt.datetime, username: str | None = None) -> list[int]:
    """Ids of digests a run should try again: failed ones, and pending ones a crashed run left behind."""
    where, params = ("AND lower(username) = lower(?)", [username]) if username else ("", [])
    rows = db.read(
        "SELECT id FROM digests WHERE attempts < ? AND (outcome = 'failed' "
        f"OR (outcome = 'pending' AND coalesce(attempted_at, created_at) < ?)) {where} ORDER BY id",
        [max_attempts, stale_before, *params],
    )
    return [int(r[0]) for r in rows]


def recent(db: Database, limit: int = 100) -> list[dict[str, Any]]:
    """The latest digests, newest first (for Admin)."""
    rows = db.read(f"SELECT {_DIGEST} FROM digests ORDER BY created_at DESC, id DESC LIMIT ?", [limit])
    return _dicts(DIGEST_COLS, rows)


# ---------------------------------------------------------------- what a digest reports

MOVE_COLS = ("issue_id", "title", "from_stage", "to_stage", "event_date")


def moves(db: Database, start: dt.datetime, end: dt.datetime, owner: str | None = None) -> list[dict[str, Any]]:
    """Stage events recorded in (start, end] on live issues (only ``owner``'s, when given)."""
    where, params = ("AND lower(i.owner) = lower(?)", [owner]) if owner else ("", [])
    rows = db.read(
        "SELECT e.issue_id, i.title, e.from_stage, e.to_stage, e.event_date FROM stage_events e "
        "JOIN issues i ON i.id = e.issue_id "
        f"WHERE e.recorded_at > ? AND e.recorded_at <= ? AND i.archived_at IS NULL {where} "
        "ORDER BY e.event_date, e.id",
        [start, end, *params],
    )
    return _dicts(MOVE_COLS, rows)


def reviews_due(db: Database, owner: str, start: dt.date | None, end: dt.date) -> list[dict[str, Any]]:
    """Open issues of ``owner`` whose next review falls from ``start`` (None: any date) to ``end``."""
    rows = db.read(
        "SELECT id, title, next_review FROM issues WHERE lower(owner) = lower(?) AND archived_at IS NULL "
        "AND lifecycle IN ('active', 'paused') AND next_review <= ? AND (? IS NULL OR next_review >= ?) "
        "ORDER BY next_review, id",
        [owner, end, start, start],
    )
    return _dicts(("id", "title", "next_review"), rows)


def new_follow_ups(db: Database, assignee: str, start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
    """Open follow-ups that became ``assignee``'s in (start, end]: recorded by someone else, or handed over."""
    rows = db.read(
        "SELECT a.id, a.follow_up, a.type, a.summary FROM activities a "
        "WHERE a.deleted_at IS NULL AND a.follow_up IS NOT NULL AND a.done_at IS NULL "
        "AND lower(coalesce(a.assignee, a.created_by)) = lower(?) "
        "AND coalesce(a.assigned_at, a.created_at) > ? AND coalesce(a.assigned_at, a.created_at) <= ? "
        "AND NOT (a.assigned_at IS NULL AND lower(a.created_by) = lower(?)) ORDER BY a.follow_up, a.id",
        [assignee, start, end, assignee],
    )
    return _dicts(("id", "follow_up", "type", "summary"), rows)


def deadlines(db: Database, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Consultations closing from ``start`` to ``end`` without a submitted or skipped response."""
    rows = db.read(
        "SELECT id, title, closes, response_status FROM consultations WHERE deleted_at IS NULL "
        "AND closes BETWEEN ? AND ? AND response_status NOT IN ('submitted', 'skipped') ORDER BY closes, id",
        [start, end],
    )
    return _dicts(("id", "title", "closes", "response_status"), rows)


def published(db: Database, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Joint positions published after ``start`` up to ``end``."""
    rows = db.read(
        "SELECT id, title, published_on FROM joint_positions WHERE deleted_at IS NULL AND status = 'published' "
        "AND published_on > ? AND published_on <= ? ORDER BY published_on, id",
        [start, end],
    )
    return _dicts(("id", "title", "published_on"), rows)
