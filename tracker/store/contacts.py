"""SQL for contacts (the people met) and their erasure on request."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from . import versioned
from .database import Database, Tx
from .organisations import _ids
from .tables import CONTACTS

COLUMNS = (
    "id",
    "name",
    "role",
    "institution",
    "organisation_id",
    "email",
    "phone",
    "erased_at",
    "version",
    "updated_at",
    "updated_by",
)
EDITABLE = CONTACTS.editable


def _rows(src: Database | Tx, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
    return src.all(sql, params) if isinstance(src, Tx) else src.read(sql, params)


def get(src: Database | Tx, contact_id: int) -> dict[str, Any] | None:
    if not _ids([contact_id]):
        return None
    rows = _rows(src, f"SELECT {', '.join(COLUMNS)} FROM contacts WHERE id = ? AND deleted_at IS NULL", [contact_id])
    return dict(zip(COLUMNS, rows[0], strict=True)) if rows else None


def existing_ids(src: Database | Tx, ids: list[int]) -> set[int]:
    """Those of ``ids`` that are live and not erased."""
    ids = _ids(ids)
    if not ids:
        return set()
    marks = ", ".join("?" for _ in ids)
    rows = _rows(
        src,
        f"SELECT id FROM contacts WHERE id IN ({marks}) AND deleted_at IS NULL AND erased_at IS NULL",
        list(ids),
    )
    return {int(r[0]) for r in rows}


def listing(
    db: Database,
    *,
    search: str | None = None,
    organisation_id: int | None = None,
    institution: str | None = None,
    include_erased: bool = False,
    limit: int = 2000,
) -> Any:
    where = ["c.deleted_at IS NULL"]
    params: list[Any] = []
    if not include_erased:
        where.append("c.erased_at IS NULL")
    if search:
        where.append("(c.name ILIKE ? OR c.role ILIKE ? OR c.institution ILIKE ?)")
        params += [f"%{search}%"] * 3
    if organisation_id is not None:
        where.append("c.organisation_id = ?")
        params.append(organisation_id)
    if institution:
        where.append("c.institution = ?")
        params.append(institution)
    params.append(limit)
    return db.read_df(
        "SELECT c.id, c.name, c.role, c.institution, o.name AS organisation, c.email, c.phone, "
        "c.erased_at IS NOT NULL AS erased, "
        "(SELECT count(*) FROM activity_contacts ac JOIN activities a ON a.id = ac.activity_id "
        " AND a.deleted_at IS NULL WHERE ac.contact_id = c.id) AS meetings "
        "FROM contacts c LEFT JOIN organisations o ON o.id = c.organisation_id "
        f"WHERE {' AND '.join(where)} ORDER BY lower(c.name), c.id LIMIT ?",
        params,
    )


def choices(db: Database) -> list[tuple[int, str]]:
    rows = db.read(
        "SELECT id, name || coalesce(' — ' || institution, '') FROM contacts "
        "WHERE deleted_at IS NULL AND erased_at IS NULL ORDER BY lower(name), id"
    )
    return [(int(r[0]), r[1]) for r in rows]


def institutions(db: Database) -> list[str]:
    rows = db.read(
        "SELECT DISTINCT institution FROM contacts WHERE deleted_at IS NULL AND erased_at IS NULL "
        "AND institution IS NOT NULL ORDER BY institution"
    )
    return [r[0] for r in rows]


def insert(tx: Tx, data: dict[str, Any], actor: str, now: dt.datetime) -> int:
    return versioned.insert_id(tx, "contacts", {c: data[c] for c in EDITABLE}, by=actor, at=now)


def rewrite_audit(tx: Tx, contact_id: int, scrub: Callable[[dict[str, Any]], dict[str, Any]]) -> int:
    """Pass every audit entry of this contact through ``scrub``; returns how many were rewritten."""
    rows = tx.all("SELECT id, changes FROM audit WHERE entity = 'contact' AND entity_id = ?", [contact_id])
    n = 0
    for audit_id, changes in rows:
        before = json.loads(changes) if changes else {}
        after = scrub(before)
        if after != before:
            tx.execute("UPDATE audit SET changes = ? WHERE id = ?", [json.dumps(after, ensure_ascii=False), audit_id])
            n += 1
    return n


def audit_changes(db: Database, contact_id: int) -> list[str]:
    """The raw audit JSON of this contact (tests check nothing personal survives erasure)."""
    rows = db.read(
        "SELECT changes::VARCHAR FROM audit WHERE entity = 'contact' AND entity_id = ? ORDER BY id", [contact_id]
    )
    return [r[0] or "" for r in rows]
