"""One versioned write for every entity: read the row in the transaction, check its version,
write, audit (who, before → after) — or refuse with :class:`EditConflict`.

The conflict is built inside the refused transaction, from the row it read: ``current`` holds
the stored values after the other person's save, keyed by the entity's input-model field
names (plus ``version``), so a form can show their values beside the user's; ``changed_by``
and ``changed_at`` come from the row's latest audit entry (the account's display name when it
has one). Nothing is written: raising inside :meth:`Database.write` rolls the transaction back.

Each entity declares one :class:`Kind`. :func:`edit` is the common case (load, then the
change, which calls :func:`save` or :func:`remove`); a unit that checks other things between
reading the row and its version (an issue's fields, a contact's erasure) or changes several
rows (a bulk edit, a merge) calls :func:`read`, :func:`check` and :func:`save` itself.

A unit that reads before it writes can run with ``read_first`` (see
:meth:`tracker.store.Database.transaction`): the row is read before the write lock is taken,
and :mod:`tracker.store.versioned` takes it at the first write.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from tracker.domain.clock import format_timestamp
from tracker.domain.errors import EditConflict, NotFound
from tracker.store import Database, Tx, tables
from tracker.store import audit as audit_store
from tracker.store import versioned as store
from tracker.store.versioned import Stamp

from .guard import diff

T = TypeVar("T")
Row = dict[str, Any]


@dataclass(frozen=True)
class Kind:
    """How the versioned write reads and shows one entity."""

    table: str  # its registry table
    label: str  # how messages name one ("joint position")
    read: Callable[[Tx, int], Row | None]  # the row as the transaction sees it, or None
    current: Callable[[Row], dict[str, Any]]  # input-model field → stored value
    missing: str  # the NotFound message, with ``{id}``
    audit_entity: str | None = None  # where its changes are logged, when not its own entity
    audit_id: Callable[[Row], int] | None = None  # … and on which row

    @property
    def entity(self) -> str:
        return self.audit_entity or tables.table(self.table).entity


def fields(row: Mapping[str, Any], names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """``current`` for a Kind: the named fields of the row, and its version."""
    out = {k: list(row[k]) if isinstance(row[k], tuple) else row[k] for k in names}
    out["version"] = row["version"]
    return out


def read(tx: Tx, kind: Kind, row_id: int) -> Row:
    row = kind.read(tx, row_id)
    if row is None:
        raise NotFound(kind.missing.format(id=row_id))
    return row


def conflict(tx: Tx, kind: Kind, row_id: int, row: Row | None = None) -> EditConflict:
    """The refusal, with the values stored now and who saved them, read in this transaction."""
    if row is None:
        row = kind.read(tx, row_id)
    audit_id = kind.audit_id(row) if kind.audit_id is not None and row is not None else row_id
    last = audit_store.latest_change_tx(tx, kind.entity, audit_id)
    return EditConflict(
        kind.label,
        row_id,
        changed_by=last["name"] if last else None,
        changed_at=format_timestamp(last["at"]) if last else None,
        current=kind.current(row) if row is not None else None,
    )


def check(tx: Tx, kind: Kind, row_id: int, row: Row, expected_version: int) -> None:
    """Refuse with EditConflict unless the row is still at ``expected_version``."""
    if int(row["version"]) != int(expected_version):
        raise conflict(tx, kind, row_id, row)


def load(tx: Tx, kind: Kind, row_id: int, expected_version: int) -> Row:
    """The row, read in the transaction and checked against ``expected_version``."""
    row = read(tx, kind, row_id)
    check(tx, kind, row_id, row, expected_version)
    return row


def edit(
    db: Database,
    kind: Kind,
    row_id: int,
    expected_version: int,
    change: Callable[[Tx, Row], T],
    *,
    read_first: bool = False,
) -> T:
    """Read the row in one transaction, check its version, then ``change(tx, row)``, which
    writes with :func:`save` / :func:`remove` and audits. Any stale step refuses the whole
    unit with EditConflict."""

    def unit(tx: Tx) -> T:
        return change(tx, load(tx, kind, row_id, expected_version))

    return db.write(unit, read_first=read_first)


def save(
    tx: Tx,
    kind: Kind,
    row_id: int,
    expected_version: int,
    values: Mapping[str, Any],
    *,
    actor: str,
    at: Any,
    action: str = "update",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> Stamp:
    """Version-checked update of ``values``; audits ``before`` → ``after`` (default: the values)
    when ``before`` is given and something changed. EditConflict when no row matched (the
    version was checked in this transaction already; this catches a row deleted since)."""
    stamp = store.update(tx, kind.table, row_id, expected_version, values, by=actor, at=at)
    if stamp is None:
        raise conflict(tx, kind, row_id)
    if before is not None:
        changes = diff(dict(before), dict(after if after is not None else values))
        if changes:
            tx.audit(actor, kind.entity, row_id, action, changes)
    return stamp


def remove(
    tx: Tx, kind: Kind, row_id: int, expected_version: int, *, actor: str, at: Any, audit: dict[str, Any]
) -> Stamp:
    """Version-checked soft delete, audited as "delete" with ``audit`` as its changes."""
    stamp = store.soft_delete(tx, kind.table, row_id, expected_version, by=actor, at=at)
    if stamp is None:
        raise conflict(tx, kind, row_id)
    tx.audit(actor, kind.entity, row_id, "delete", audit)
    return stamp
