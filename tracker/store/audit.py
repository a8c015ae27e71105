"""SQL for reading the audit log (writing happens through :meth:`Tx.audit`)."""

from __future__ import annotations

import json
from typing import Any

from .database import Database, Tx


def history(db: Database, entity: str, entity_id: int, limit: int = 200) -> list[dict[str, Any]]:
    rows = db.read(
        'SELECT id, "at", actor, action, changes FROM audit WHERE entity = ? AND entity_id = ? '
        "ORDER BY id DESC LIMIT ?",
        [entity, entity_id, limit],
    )
    return [
        {"id": r[0], "at": r[1], "actor": r[2], "action": r[3], "changes": json.loads(r[4]) if r[4] else {}}
        for r in rows
    ]


def latest_change(db: Database, entity: str, entity_id: int) -> dict[str, Any] | None:
    entries = history(db, entity, entity_id, limit=1)
    return entries[0] if entries else None


def recent(db: Database, entities: list[str] | None = None, limit: int = 500) -> list[dict[str, Any]]:
    where, params = "", []
    if entities:
        where = f"WHERE entity IN ({', '.join('?' for _ in entities)})"
        params = list(entities)
    rows = db.read(
        f'SELECT id, "at", actor, entity, entity_id, action, changes FROM audit {where} ORDER BY id DESC LIMIT ?',
        [*params, limit],
    )
    return [
        {
            "id": r[0],
            "at": r[1],
            "actor": r[2],
            "entity": r[3],
            "entity_id": r[4],
            "action": r[5],
            "changes": json.loads(r[6]) if r[6] else {},
        }
        for r in rows
    ]


def latest_change_tx(tx: Tx, entity: str, entity_id: int) -> dict[str, Any] | None:
    """Who made the latest audited change of one row (their display name when the account has
    one, else the user name) and when, as this transaction sees the log."""
    row = tx.one(
        'SELECT a."at", a.actor, u.display_name FROM audit a '
        "LEFT JOIN users u ON lower(u.username) = lower(a.actor) "
        "WHERE a.entity = ? AND a.entity_id = ? ORDER BY a.id DESC LIMIT 1",
        [entity, entity_id],
    )
    if row is None:
        return None
    return {"at": row[0], "actor": row[1], "name": row[2] or row[1]}
