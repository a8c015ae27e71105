"""SQL for one person's work list: their issues, follow-ups, closing consultations and the
joint positions they lead; and the follow-up writes (done, reassigned).

"Mine" is always compared on the lower-cased user name: issue owners and follow-up assignees
are user names. A follow-up's assignee is ``coalesce(assignee, created_by)`` (see migration 010).
A joint position is "led" by the owners of the issues it is linked to: the lead itself is an
organisation, and the owner of the issue is who works on the position for us.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .database import Database, Tx

ASSIGNEE = "coalesce(a.assignee, a.created_by)"
OPEN_LIFECYCLES = ("active", "paused")
ANSWERED = ("submitted", "skipped")


def _rows(src: Database | Tx, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
    return src.all(sql, params) if isinstance(src, Tx) else src.read(sql, params)


def _dicts(cols: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [dict(zip(cols, r, strict=True)) for r in rows]


# ---------------------------------------------------------------- reading the list

ISSUE_COLS = ("id", "title", "stage", "next_review", "last_activity", "gone_quiet", "review_overdue")


def my_issues(db: Database, username: str, today: dt.date, quiet_before: dt.date) -> list[dict[str, Any]]:
    """Open issues owned by ``username``: overdue reviews first, then by review date.

    ``gone_quiet``: the latest activity (or, with none, the issue's creation) is before
    ``quiet_before``."""
    rows = db.read(
        "WITH mine AS (SELECT id, title, next_review, created_at FROM issues "
        "  WHERE lower(owner) = lower(?) AND archived_at IS NULL AND lifecycle IN (?, ?)), "
        "last AS (SELECT x.issue_id, max(a.activity_date) AS last_activity FROM mine m "
        "  JOIN activity_issues x ON x.issue_id = m.id JOIN activities a ON a.id = x.activity_id "
        "  WHERE a.deleted_at IS NULL GROUP BY x.issue_id) "
        "SELECT m.id, m.title, s.stage, m.next_review, l.last_activity, "
        "  coalesce(l.last_activity, m.created_at::DATE) < ? AS gone_quiet, "
        "  coalesce(m.next_review < ?, false) AS review_overdue "
        "FROM mine m LEFT JOIN issue_stage s ON s.issue_id = m.id LEFT JOIN last l ON l.issue_id = m.id "
        "ORDER BY review_overdue DESC, m.next_review NULLS LAST, lower(m.title), m.id",
        [username, *OPEN_LIFECYCLES, quiet_before, today],
    )
    return _dicts(ISSUE_COLS, rows)


FOLLOW_UP_COLS = ("id", "follow_up", "activity_date", "type", "summary", "version", "assignee", "issue_id", "issue")


def follow_ups(db: Database, username: str) -> list[dict[str, Any]]:
    """Follow-ups assigned to ``username`` and not done, earliest (so overdue) first."""
    rows = db.read(
        f"WITH due AS (SELECT a.id, a.follow_up, a.activity_date, a.type, a.summary, a.version, "
        f"  {ASSIGNEE} AS assignee FROM activities a "
        f"  WHERE a.deleted_at IS NULL AND a.follow_up IS NOT NULL AND a.done_at IS NULL "
        f"  AND lower({ASSIGNEE}) = lower(?)), "
        "first_issue AS (SELECT x.activity_id, arg_min(i.id, i.id) AS issue_id, arg_min(i.title, i.id) AS title "
        "  FROM due d JOIN activity_issues x ON x.activity_id = d.id JOIN issues i ON i.id = x.issue_id GROUP BY 1) "
        "SELECT d.id, d.follow_up, d.activity_date, d.type, d.summary, d.version, d.assignee, "
        "f.issue_id, f.title FROM due d LEFT JOIN first_issue f ON f.activity_id = d.id "
        "ORDER BY d.follow_up, d.id",
        [username],
    )
    return _dicts(FOLLOW_UP_COLS, rows)


CONSULTATION_COLS = ("id", "title", "closes", "response_status", "issue_id", "issue")


def closing_consultations(db: Database, username: str, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Consultations closing from ``start`` to ``end`` linked to an issue ``username`` owns,
    without a submitted or skipped response; soonest first."""
    rows = db.read(
        "WITH linked AS (SELECT x.consultation_id, arg_min(i.id, i.id) AS issue_id, arg_min(i.title, i.id) AS title "
        "  FROM consultation_issues x JOIN issues i ON i.id = x.issue_id "
        "  WHERE lower(i.owner) = lower(?) GROUP BY 1) "
        "SELECT c.id, c.title, c.closes, c.response_status, l.issue_id, l.title "
        "FROM consultations c JOIN linked l ON l.consultation_id = c.id "
        "WHERE c.deleted_at IS NULL AND c.closes BETWEEN ? AND ? AND c.response_status NOT IN (?, ?) "
        "ORDER BY c.closes, c.id",
        [username, start, end, *ANSWERED],
    )
    return _dicts(CONSULTATION_COLS, rows)


INVITE_COLS = ("position_id", "title", "status", "signatory_id", "organisation_id", "organisation", "invited_since")


def stale_invitations(db: Database, username: str, invited_before: dt.date) -> list[dict[str, Any]]:
    """Signatories still "invited" since before ``invited_before`` on joint positions linked to an
    issue ``username`` owns; per position, the longest-waiting first."""
    rows = db.read(
        "WITH led AS (SELECT DISTINCT x.joint_position_id AS id FROM joint_position_issues x "
        "  JOIN issues i ON i.id = x.issue_id WHERE lower(i.owner) = lower(?)) "
        "SELECT p.id, p.title, p.status, s.id, s.organisation_id, o.name, s.status_date "
        "FROM led JOIN joint_positions p ON p.id = led.id JOIN signatories s ON s.joint_position_id = p.id "
        "LEFT JOIN organisations o ON o.id = s.organisation_id "
        "WHERE p.deleted_at IS NULL AND s.status = 'invited' AND s.status_date < ? "
        "ORDER BY lower(p.title), p.id, s.status_date, s.id",
        [username, invited_before],
    )
    return _dicts(INVITE_COLS, rows)


# ---------------------------------------------------------------- follow-up writes

FOLLOW_UP_STATE = ("id", "follow_up", "summary", "assignee", "done_at", "done_by", "version")


def follow_up_state(src: Database | Tx, activity_id: int) -> dict[str, Any] | None:
    rows = _rows(
        src,
        f"SELECT a.id, a.follow_up, a.summary, {ASSIGNEE}, a.done_at, a.done_by, a.version FROM activities a "
        "WHERE a.id = ? AND a.deleted_at IS NULL",
        [activity_id],
    )
    return dict(zip(FOLLOW_UP_STATE, rows[0], strict=True)) if rows else None


def mark_done(tx: Tx, activity_id: int, version: int, actor: str, now: dt.datetime) -> int | None:
    """The new version, or None when the row moved on (someone saved first)."""
    row = tx.one(
        "UPDATE activities SET done_at = ?, done_by = ?, version = version + 1, updated_at = ?, updated_by = ? "
        "WHERE id = ? AND version = ? AND deleted_at IS NULL RETURNING version",
        [now, actor, now, actor, activity_id, version],
    )
    return int(row[0]) if row else None


def reassign(tx: Tx, activity_id: int, version: int, assignee: str, actor: str, now: dt.datetime) -> int | None:
    row = tx.one(
        "UPDATE activities SET assignee = ?, assigned_at = ?, version = version + 1, updated_at = ?, updated_by = ? "
        "WHERE id = ? AND version = ? AND deleted_at IS NULL RETURNING version",
        [assignee, now, now, actor, activity_id, version],
    )
    return int(row[0]) if row else None


def editor_names(src: Database | Tx) -> list[tuple[str, str]]:
    """(user name, display name) of every enabled account that may hold a follow-up."""
    rows = _rows(
        src,
        "SELECT username, coalesce(display_name, username) FROM users "
        "WHERE NOT disabled AND role IN ('editor', 'admin') ORDER BY lower(coalesce(display_name, username))",
    )
    return [(r[0], r[1]) for r in rows]


def display_names(db: Database, usernames: list[str]) -> dict[str, str]:
    names = sorted({u for u in usernames if u})
    if not names:
        return {}
    marks = ", ".join("?" for _ in names)
    rows = db.read(f"SELECT username, coalesce(display_name, username) FROM users WHERE username IN ({marks})", names)
    return {r[0]: r[1] for r in rows}
