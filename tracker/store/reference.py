"""SQL for the admin-editable reference lists (policy areas, activity types, ...)."""

from __future__ import annotations

from .database import Database


def values(db: Database, kind: str) -> list[str]:
    rows = db.read(
        "SELECT value FROM reference_values WHERE kind = ? AND deleted_at IS NULL ORDER BY position, lower(value)",
        [kind],
    )
    return [r[0] for r in rows]
