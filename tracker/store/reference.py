"""SQL for the admin-editable reference lists (policy areas, activity types, ...)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import versioned
from .database import Database, Tx

# Where each list's values are used: (table, column, is a list column). Matching ignores case,
# so a rename also tidies values typed or imported with other capitalisation.
USES: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "policy_area": (("issues", "policy_area", False), ("consultations", "policy_areas", True)),
    "member_segment": (("issues", "member_segments", True),),
    "funding_source": (("activities", "funding_source", False),),
    "activity_type": (("activities", "type", False),),
    "organisation_type": (("organisations", "type", False),),
}
# What a table's rows are called in messages.
NOUNS = {
    "issues": ("issue", "issues"),
    "consultations": ("consultation", "consultations"),
    "activities": ("activity", "activities"),
    "organisations": ("organisation", "organisations"),
}
_COLUMNS = "id, kind, value, position, version"


def values(db: Database, kind: str) -> list[str]:
    rows = db.read(
        "SELECT value FROM reference_values WHERE kind = ? AND deleted_at IS NULL ORDER BY position, lower(value)",
        [kind],
    )
    return [r[0] for r in rows]


def entries(db: Database, kind: str) -> list[dict[str, Any]]:
    rows = db.read(
        f"SELECT {_COLUMNS} FROM reference_values WHERE kind = ? AND deleted_at IS NULL "
        "ORDER BY position, lower(value), id",
        [kind],
    )
    return [dict(zip(("id", "kind", "value", "position", "version"), r, strict=True)) for r in rows]


def get(db: Database, entry_id: int) -> dict[str, Any] | None:
    rows = db.read(f"SELECT {_COLUMNS}, deleted_at FROM reference_values WHERE id = ?", [entry_id])
    return (
        dict(zip(("id", "kind", "value", "position", "version", "deleted_at"), rows[0], strict=True)) if rows else None
    )


def get_tx(tx: Tx, entry_id: int) -> dict[str, Any] | None:
    row = tx.one(f"SELECT {_COLUMNS}, deleted_at FROM reference_values WHERE id = ?", [entry_id])
    return dict(zip(("id", "kind", "value", "position", "version", "deleted_at"), row, strict=True)) if row else None


def find(db: Database, kind: str, value: str) -> dict[str, Any] | None:
    """An entry of ``kind`` whose value equals ``value`` ignoring case (deleted ones too)."""
    rows = db.read(
        f"SELECT {_COLUMNS}, deleted_at FROM reference_values WHERE kind = ? AND lower(value) = lower(?) "
        "ORDER BY deleted_at NULLS FIRST, id LIMIT 1",
        [kind, value],
    )
    if not rows:
        return None
    return dict(zip(("id", "kind", "value", "position", "version", "deleted_at"), rows[0], strict=True))


def _match(column: str, is_list: bool) -> str:
    if is_list:
        return f"list_contains(list_transform({column}, lambda x: lower(x)), lower(?))"
    return f"lower({column}) = lower(?)"


def usage(db: Database, kind: str, value: str) -> dict[str, int]:
    """How many rows of each table use ``value`` (archived and deleted rows included)."""
    out: dict[str, int] = {}
    for table, column, is_list in USES[kind]:
        rows = db.read(f"SELECT count(*) FROM {table} WHERE {_match(column, is_list)}", [value])
        out[table] = out.get(table, 0) + int(rows[0][0])
    return out


def usage_counts(db: Database, kind: str) -> dict[str, int]:
    """Rows using each (lower-cased) value of a list, over all its using tables."""
    totals: dict[str, int] = {}
    for table, column, is_list in USES[kind]:
        if is_list:
            sql = f"SELECT lower(v), count(*) FROM (SELECT unnest({column}) AS v FROM {table}) GROUP BY 1"
        else:
            sql = f"SELECT lower({column}), count(*) FROM {table} WHERE {column} IS NOT NULL GROUP BY 1"
        for value, count in db.read(sql):
            if value is not None:
                totals[value] = totals.get(value, 0) + int(count)
    return totals


def next_position(tx: Tx, kind: str) -> int:
    row = tx.one("SELECT coalesce(max(position), 0) + 1 FROM reference_values WHERE kind = ?", [kind])
    return int(row[0]) if row else 1


def insert(tx: Tx, kind: str, value: str, position: int) -> int:
    return versioned.insert_id(
        tx, "reference_values", {"kind": kind, "value": value, "position": position}, by=None, at=None
    )


def restore(tx: Tx, entry_id: int, value: str, position: int) -> None:
    tx.execute(
        "UPDATE reference_values SET value = ?, position = ?, deleted_at = NULL, version = version + 1 WHERE id = ?",
        [value, position, entry_id],
    )


def set_position(tx: Tx, entry_id: int, position: int) -> None:
    tx.execute(
        "UPDATE reference_values SET position = ?, version = version + 1 WHERE id = ? AND position <> ?",
        [position, entry_id, position],
    )


def rename_uses(tx: Tx, kind: str, old: str, new: str, at: dt.datetime, by: str) -> dict[str, int]:
    """Replace ``old`` by ``new`` wherever the list's values are used; each changed row gets a
    new version so an editor holding the old one sees a conflict instead of writing it back."""
    out: dict[str, int] = {}
    for table, column, is_list in USES[kind]:
        if is_list:
            new_value = f"list_transform({column}, lambda x: CASE WHEN lower(x) = lower(?) THEN ? ELSE x END)"
        else:
            new_value = "?"
        params: list[Any] = [old, new] if is_list else [new]
        n = tx.count(
            f"UPDATE {table} SET {column} = {new_value}, version = version + 1, updated_at = ?, updated_by = ? "
            f"WHERE {_match(column, is_list)}",
            [*params, at, by, old],
        )
        out[table] = out.get(table, 0) + n
    return out
