"""Reference lists that feed the forms' choices, and the admin's editing of them.

Values in use can be renamed — everywhere they are used, in the same transaction — but not
deleted; unused values can be deleted (softly, so an old audit entry still makes sense).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from tracker.domain import clock
from tracker.domain.enums import ReferenceKind, Role
from tracker.domain.errors import InvalidInput, NotFound
from tracker.domain.models import Line, Model, User, parse
from tracker.store import Database, Tx
from tracker.store import audit as audit_store
from tracker.store import reference as store

from . import versioned
from .guard import require_role


class ReferenceValueInput(Model):
    value: Line = Field(min_length=1, max_length=100, title="Value")


def values(db: Database, kind: ReferenceKind) -> list[str]:
    """The current values of one list, in the admin's order."""
    return store.values(db, kind.value)


def entries(db: Database, kind: ReferenceKind) -> list[dict[str, Any]]:
    """The list's entries in order, each with how many records use it."""
    counts = store.usage_counts(db, kind.value)
    return [{**e, "uses": counts.get(e["value"].lower(), 0)} for e in store.entries(db, kind.value)]


def describe_usage(counts: dict[str, int]) -> str:
    """'3 issues and 1 consultation' for the tables that use a value."""
    parts = []
    for table, n in counts.items():
        if n:
            one, many = store.NOUNS.get(table, (table, table))
            parts.append(f"{n:,} {one if n == 1 else many}")
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else "nothing"


def _live(tx: Tx, entry_id: int) -> dict[str, Any] | None:
    entry = store.get_tx(tx, entry_id)
    return entry if entry is not None and entry["deleted_at"] is None else None


VALUE = versioned.Kind(
    "reference_values",
    "list value",
    _live,
    lambda row: versioned.fields(row, ("value",)),
    "This value is no longer in the list; reload the page.",
)


def _entry(db: Database, entry_id: int) -> dict[str, Any]:
    entry = store.get(db, entry_id)
    if entry is None or entry["deleted_at"] is not None:
        raise NotFound("This value is no longer in the list; reload the page.")
    return entry


def _clean(value: str) -> str:
    return parse(ReferenceValueInput, {"value": value}).value


def add(db: Database, actor: User | None, kind: ReferenceKind, value: str) -> dict[str, Any]:
    require_role(actor, Role.ADMIN)
    assert actor is not None
    clean = _clean(value)
    existing = store.find(db, kind.value, clean)
    if existing and existing["deleted_at"] is None:
        raise InvalidInput.one("Value", f"'{existing['value']}' is already in the list")

    def work(tx: Tx) -> int:
        position = store.next_position(tx, kind.value)
        if existing:
            store.restore(tx, existing["id"], clean, position)
            entry_id = existing["id"]
        else:
            entry_id = store.insert(tx, kind.value, clean, position)
        tx.audit(
            actor.username, "reference_value", entry_id, "create", {"kind": [None, kind.value], "value": [None, clean]}
        )
        return entry_id

    return _entry(db, db.write(work))


def rename(
    db: Database, actor: User | None, entry_id: int, expected_version: int, new_value: str
) -> tuple[dict[str, Any], dict[str, int]]:
    """Rename a value here and in every record that uses it; returns the entry and the rows changed."""
    require_role(actor, Role.ADMIN)
    assert actor is not None
    entry = _entry(db, entry_id)
    clean = _clean(new_value)
    if clean == entry["value"]:
        return entry, {}
    other = store.find(db, entry["kind"], clean)
    if other and other["deleted_at"] is None and other["id"] != entry_id:
        raise InvalidInput.one(
            "Value", f"'{other['value']}' is already in the list; change the records that use it instead of merging"
        )
    now = clock.now()
    old = entry["value"]

    def change(tx: Tx, _row: dict[str, Any]) -> dict[str, int]:
        versioned.save(tx, VALUE, entry_id, expected_version, {"value": clean}, actor=actor.username, at=now)
        changed = store.rename_uses(tx, entry["kind"], old, clean, now, actor.username)
        tx.audit(
            actor.username,
            "reference_value",
            entry_id,
            "rename",
            {"value": [old, clean], **{f"{t} renamed": [0, n] for t, n in changed.items() if n}},
        )
        return changed

    changed = versioned.edit(db, VALUE, entry_id, expected_version, change)
    return _entry(db, entry_id), changed


def delete(db: Database, actor: User | None, entry_id: int, expected_version: int) -> None:
    """Remove an unused value from its list; a value in use is refused with where it is used."""
    require_role(actor, Role.ADMIN)
    assert actor is not None
    entry = _entry(db, entry_id)
    counts = store.usage(db, entry["kind"], entry["value"])
    if any(counts.values()):
        raise InvalidInput.one(
            "Value",
            f"'{entry['value']}' is used by {describe_usage(counts)} (archived ones included); "
            "rename it instead, or change those records first",
        )

    def change(tx: Tx, row: dict[str, Any]) -> None:
        versioned.remove(
            tx,
            VALUE,
            entry_id,
            expected_version,
            actor=actor.username,
            at=clock.now(),
            audit={"value": [row["value"], None]},
        )

    versioned.edit(db, VALUE, entry_id, expected_version, change)


def move(db: Database, actor: User | None, entry_id: int, offset: int) -> list[dict[str, Any]]:
    """Move a value up (negative offset) or down the list; positions are renumbered 1..n."""
    require_role(actor, Role.ADMIN)
    assert actor is not None
    entry = _entry(db, entry_id)
    current = store.entries(db, entry["kind"])
    ordered = [e["id"] for e in current]
    before = {e["id"]: e["position"] for e in current}
    index = ordered.index(entry_id)
    target = max(0, min(len(ordered) - 1, index + offset))
    if target == index:
        return current
    ordered.insert(target, ordered.pop(index))

    def work(tx: Tx) -> None:
        # Every value whose position changes gets a new version, so each gets its audit entry.
        for position, eid in enumerate(ordered, start=1):
            if before[eid] != position:
                store.set_position(tx, eid, position)
                tx.audit(actor.username, "reference_value", eid, "move", {"position": [before[eid], position]})

    db.write(work)
    return store.entries(db, entry["kind"])


def history(db: Database, actor: User | None, limit: int = 200) -> list[dict[str, Any]]:
    """Changes to the reference lists, newest first, each with its list and current value."""
    require_role(actor, Role.ADMIN)
    labels = {k.value: k.label for k in ReferenceKind}
    out = []
    for entry in audit_store.recent(db, ["reference_value"], limit=limit):
        current = store.get(db, entry["entity_id"]) if entry["entity_id"] is not None else None
        kind = current["kind"] if current else None
        out.append({**entry, "list": labels.get(kind or "", ""), "value": current["value"] if current else ""})
    return out
