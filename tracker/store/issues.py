"""SQL for policy issues, their stage events, timeline and links.

The current stage is never stored on ``issues``: every reader joins the ``issue_stage`` view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from . import versioned
from .database import Database, Tx
from .tables import CONSULTATIONS, ISSUES, JOINT_POSITIONS, Table

# Columns a user may set (IssueInput's fields), in table order.
INPUT_COLUMNS = ISSUES.editable
BOOKKEEPING = ("id", "version", "created_at", "created_by", "updated_at", "updated_by", "archived_at")
ISSUE_COLUMNS = (*BOOKKEEPING, *INPUT_COLUMNS)

# One issue and its current stage. Both sides are filtered on the id itself ($1), so the view
# aggregates only that issue's events (an index scan) and the join is one row to at most one.
SELECT_ONE = (
    "SELECT "
    + ", ".join(f"i.{c}" for c in ISSUE_COLUMNS)
    + ", coalesce(s.stage, 0) AS stage, s.stage_since "
    + "FROM issues i LEFT JOIN issue_stage s ON s.issue_id = $1 WHERE i.id = $1"
)
EVENT_COLUMNS = (
    "id",
    "issue_id",
    "from_stage",
    "to_stage",
    "event_date",
    "author",
    "note",
    "evidence_ref",
    "evidence_url",
    "recorded_at",
)


def _issue_row(row: Sequence[Any], columns: Sequence[str] = (*ISSUE_COLUMNS, "stage", "stage_since")) -> dict[str, Any]:
    out = dict(zip(columns, row, strict=True))
    out["member_segments"] = list(out["member_segments"] or [])
    out["tags"] = list(out["tags"] or [])
    return out


# ------------------------------------------------------------------ reading one issue


def get(db: Database, issue_id: int) -> dict[str, Any] | None:
    rows = db.read(SELECT_ONE, [issue_id])
    return _issue_row(rows[0]) if rows else None


def get_tx(tx: Tx, issue_id: int) -> dict[str, Any] | None:
    """The issue as this transaction sees it (one read costs the same at any scale: see SELECT_ONE)."""
    row = tx.one(SELECT_ONE, [issue_id])
    return _issue_row(row) if row else None


# ------------------------------------------------------------------ writing
# Updates, archiving and the version bump of a stage move go through tracker.store.versioned.


def insert(tx: Tx, values: dict[str, Any], by: str, at: dt.datetime) -> dict[str, Any]:
    """A new issue; its stored row (ISSUE_COLUMNS, defaults filled in), without stage."""
    row = versioned.insert(
        tx, "issues", {c: values[c] for c in INPUT_COLUMNS if c in values}, by=by, at=at, returning=ISSUE_COLUMNS
    )
    return _issue_row(tuple(row.values()), ISSUE_COLUMNS)


def insert_event(
    tx: Tx,
    issue_id: int,
    from_stage: int | None,
    to_stage: int,
    event_date: dt.date,
    author: str,
    note: str | None,
    evidence_ref: str | None,
    evidence_url: str | None,
    at: dt.datetime,
) -> int:
    values: dict[str, Any] = {
        "issue_id": issue_id,
        "from_stage": from_stage,
        "to_stage": to_stage,
        "event_date": event_date,
    }
    values |= {"author": author, "note": note, "evidence_ref": evidence_ref, "evidence_url": evidence_url}
    return versioned.insert_id(tx, "stage_events", values | {"recorded_at": at}, by=None, at=None)


# ------------------------------------------------------------------ events, timeline, links


def events(db: Database, issue_id: int) -> list[dict[str, Any]]:
    """Stage events, newest first (date, then recording order)."""
    rows = db.read(
        f"SELECT {', '.join(EVENT_COLUMNS)} FROM stage_events WHERE issue_id = ? ORDER BY event_date DESC, id DESC",
        [issue_id],
    )
    return [dict(zip(EVENT_COLUMNS, r, strict=True)) for r in rows]


TIMELINE_COLUMNS = ("kind", "item_id", "day", "stage_from", "stage_to", "type", "text", "detail", "link", "author")


def timeline(db: Database, issue_id: int, limit: int = 500) -> list[dict[str, Any]]:
    """Stage events and the issue's activities in one list, newest first."""
    rows = db.read(
        """
        SELECT kind, item_id, day, stage_from, stage_to, type, text, detail, link, author FROM (
            SELECT 'stage' AS kind, e.id AS item_id, e.event_date AS day, e.from_stage AS stage_from,
                   e.to_stage AS stage_to, NULL AS type, e.note AS text, e.evidence_ref AS detail,
                   e.evidence_url AS link, e.author AS author, 1 AS kind_order
            FROM stage_events e WHERE e.issue_id = ?
            UNION ALL
            SELECT 'activity', a.id, a.activity_date, NULL, NULL, a.type, a.summary, a.outcome, NULL,
                   a.created_by, 0
            FROM activity_issues ai JOIN activities a ON a.id = ai.activity_id
            WHERE ai.issue_id = ? AND a.deleted_at IS NULL
        ) t
        ORDER BY day DESC, kind_order DESC, item_id DESC
        LIMIT ?
        """,
        [issue_id, issue_id, limit],
    )
    return [dict(zip(TIMELINE_COLUMNS, r, strict=True)) for r in rows]


def _linked(db: Database, issue_id: int, entity: Table, cols: tuple[str, ...], order: str) -> list[dict[str, Any]]:
    """The live rows of ``entity`` (``cols``) linked to the issue, in ``order`` (of ``t.`` columns)."""
    link = next(k for k in entity.links if k.target == "issues")
    rows = db.read(
        f"SELECT {', '.join('t.' + c for c in cols)} FROM {link.table} x "
        f"JOIN {entity.name} t ON t.id = x.{link.owner} "
        f"WHERE x.{link.column} = ? AND t.deleted_at IS NULL ORDER BY {order}",
        [issue_id],
    )
    return [dict(zip(cols, r, strict=True)) for r in rows]


def linked_consultations(db: Database, issue_id: int) -> list[dict[str, Any]]:
    cols = ("id", "title", "closes", "response_status")
    return _linked(db, issue_id, CONSULTATIONS, cols, "t.closes DESC, t.id DESC")


def linked_positions(db: Database, issue_id: int) -> list[dict[str, Any]]:
    return _linked(db, issue_id, JOINT_POSITIONS, ("id", "title", "status", "published_on"), "t.id DESC")


def choices(db: Database) -> list[tuple[int, str]]:
    rows = db.read("SELECT id, title FROM issues WHERE archived_at IS NULL ORDER BY lower(title), id")
    return [(int(r[0]), str(r[1])) for r in rows]


def versions(db: Database, ids: Sequence[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = db.read(
        f"SELECT id, version FROM issues WHERE id IN ({', '.join('?' for _ in ids)})",
        list(ids),
    )
    return {int(r[0]): int(r[1]) for r in rows}


def tags_in_use(db: Database) -> list[str]:
    rows = db.read(
        "SELECT DISTINCT t FROM (SELECT unnest(tags) AS t FROM issues WHERE archived_at IS NULL) ORDER BY lower(t)"
    )
    return [r[0] for r in rows]


def areas_in_use(db: Database) -> list[str]:
    rows = db.read(
        "SELECT DISTINCT policy_area FROM issues WHERE policy_area IS NOT NULL AND archived_at IS NULL "
        "ORDER BY lower(policy_area)"
    )
    return [r[0] for r in rows]


def owners_in_use(db: Database) -> list[str]:
    rows = db.read(
        "SELECT DISTINCT owner FROM issues WHERE owner IS NOT NULL AND archived_at IS NULL ORDER BY lower(owner)"
    )
    return [r[0] for r in rows]


# ------------------------------------------------------------------ search

# Sort keys users may pick → SQL; names never come from users directly.
SORTS = {
    "updated": "coalesce(i.updated_at, i.created_at)",
    "title": "lower(i.title)",
    "stage": "coalesce(s.stage, 0)",
    "next_review": "i.next_review",
    "priority": "CASE i.priority WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END",
    "relevance": "i.member_relevance",
    "owner": "lower(i.owner)",
    "stage_since": "s.stage_since",
    "id": "i.id",
}
LIST_COLUMNS = (
    "id",
    "title",
    "stage",
    "stage_since",
    "target_stage",
    "lifecycle",
    "policy_area",
    "level",
    "owner",
    "priority",
    "member_relevance",
    "next_review",
    "tags",
    "policy_reference",
    "updated_at",
    "archived_at",
    "version",
)
_LIST_EXPR = {"stage": "coalesce(s.stage, 0) AS stage", "stage_since": "s.stage_since"}


@dataclass
class Filters:
    """A search, already validated (by the service's IssueQuery)."""

    text: str | None = None
    stages: list[int] = field(default_factory=list)
    lifecycles: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    priorities: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    review_due_by: dt.date | None = None
    archived: str = "exclude"  # exclude | include | only
    ids: list[int] | None = None


def _where(f: Filters) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if f.archived == "exclude":
        clauses.append("i.archived_at IS NULL")
    elif f.archived == "only":
        clauses.append("i.archived_at IS NOT NULL")
    if f.text:
        clauses.append(
            "(contains(lower(i.title), ?) OR contains(lower(coalesce(i.summary, '')), ?) "
            "OR contains(lower(coalesce(i.policy_reference, '')), ?) "
            "OR contains(lower(array_to_string(i.tags, ' ')), ?))"
        )
        params += [f.text.lower()] * 4

    def any_of(expr: str, values: Sequence[Any]) -> None:
        if values:
            clauses.append(f"{expr} IN ({', '.join('?' for _ in values)})")
            params.extend(values)

    any_of("coalesce(s.stage, 0)", f.stages)
    any_of("i.lifecycle", f.lifecycles)
    any_of("i.policy_area", f.areas)
    any_of("i.level", f.levels)
    any_of("i.owner", f.owners)
    any_of("i.priority", f.priorities)
    if f.ids is not None:
        if not f.ids:
            clauses.append("false")
        else:
            any_of("i.id", f.ids)
    if f.tags:
        clauses.append("list_has_any(list_transform(i.tags, lambda t: lower(t)), ?)")
        params.append([t.lower() for t in f.tags])
    if f.review_due_by is not None:
        clauses.append("i.next_review IS NOT NULL AND i.next_review <= ?")
        params.append(f.review_due_by)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def search(db: Database, f: Filters, sort: str, descending: bool, limit: int) -> Any:
    """Matching issues as a DataFrame (LIST_COLUMNS), sorted by an allow-listed key."""
    order = SORTS[sort]
    direction = "DESC" if descending else "ASC"
    where, params = _where(f)
    cols = ", ".join(_LIST_EXPR.get(c, f"i.{c}") for c in LIST_COLUMNS)
    sql = (
        f"SELECT {cols} FROM issues i LEFT JOIN issue_stage s ON s.issue_id = i.id{where} "
        f"ORDER BY {order} {direction} NULLS LAST, i.id {direction} LIMIT ?"
    )
    return db.read_df(sql, [*params, limit])


def counts(db: Database, f: Filters) -> dict[str, Any]:
    """Totals of the filtered set: all, per stage, per lifecycle, reviews due."""
    where, params = _where(f)
    base = f"FROM issues i LEFT JOIN issue_stage s ON s.issue_id = i.id{where}"
    by_stage = db.read(f"SELECT coalesce(s.stage, 0) AS st, count(*) {base} GROUP BY st", params)
    by_life = db.read(f"SELECT i.lifecycle, count(*) {base} GROUP BY i.lifecycle", params)
    return {
        "total": sum(int(r[1]) for r in by_stage),
        "by_stage": {int(r[0]): int(r[1]) for r in by_stage},
        "by_lifecycle": {str(r[0]): int(r[1]) for r in by_life},
    }
