"""Insert, update-if-version and soft-delete for every versioned table of the registry.

One decision for all tables, on RETURNING: the UPDATEs here do not use it. In DuckDB an
``UPDATE … RETURNING`` costs about twice the plain UPDATE and makes its COMMIT slower too,
and nothing is lost without it: the row count says whether the row was still at the expected
version, and the new stamp is known in advance (``version + 1``, ``updated_at``,
``updated_by``). So a write answers with that :data:`Stamp`, or None when no row matched
(someone saved first, or the row was deleted). Other UPDATEs and DELETEs of the store that
need to know how many rows they changed read the same row count (:meth:`Tx.count`). INSERTs
return the new id (or the columns asked for), which only the database knows. The one
exception is the import's set-wise version-checked update
(:func:`tracker.store.exchange.update_rows`): it returns the ids it matched, to name the row
someone else saved first among thousands.

Table and column names come from the registry (:mod:`tracker.store.tables`), never from
users; values are always parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from .database import Tx
from .tables import LINK_TABLES, Table, table

Stamp = dict[str, Any]


def _check(t: Table, values: Mapping[str, Any], allowed: frozenset[str] | set[str]) -> None:
    bad = set(values) - set(allowed)
    if bad:
        raise ValueError(f"not a settable column of {t.name}: {sorted(bad)}")


def insert(
    tx: Tx,
    name: str,
    values: Mapping[str, Any],
    *,
    by: str | None,
    at: dt.datetime | None,
    returning: Sequence[str] = ("id",),
) -> dict[str, Any]:
    """A new row of ``name`` with ``values`` plus its creation stamp; the ``returning`` columns."""
    t = table(name)
    _check(t, values, set(t.columns) - {"id", "version"})
    cols = list(values)
    params = list(values.values())
    stamp: dict[str, Any] = {}
    if "created_at" in t.created and at is not None:
        stamp["created_at"] = at
    if "created_by" in t.created:
        stamp["created_by"] = by
    if t.stamped:
        stamp |= {"updated_at": at, "updated_by": by}
    for c, v in stamp.items():
        if c not in values:
            cols.append(c)
            params.append(v)
    tx.lock()
    row = tx.one(
        f"INSERT INTO {t.name} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)}) "
        f"RETURNING {', '.join(returning)}",
        params,
    )
    assert row is not None
    return dict(zip(returning, row, strict=True))


def insert_id(tx: Tx, name: str, values: Mapping[str, Any], *, by: str | None, at: dt.datetime | None) -> int:
    return int(insert(tx, name, values, by=by, at=at)["id"])


def _matched(tx: Tx, sql: str, params: list[Any]) -> bool:
    return tx.count(sql, params) == 1


def update(
    tx: Tx,
    name: str,
    row_id: int,
    expected_version: int,
    values: Mapping[str, Any],
    *,
    by: str | None = None,
    at: dt.datetime | None = None,
) -> Stamp | None:
    """Set ``values`` on the row if it is still at ``expected_version`` (and live): the new
    stamp, or None when no row matched."""
    t = table(name)
    _check(t, values, t.settable)
    sets = [f"{c} = ?" for c in values]
    params: list[Any] = list(values.values())
    sets.append("version = version + 1")
    stamp: Stamp = {"version": int(expected_version) + 1}
    if t.stamped:
        sets += ["updated_at = ?", "updated_by = ?"]
        params += [at, by]
        stamp |= {"updated_at": at, "updated_by": by}
    live = "".join(f" AND {c} IS NULL" for c in t.live)
    tx.lock()
    if not _matched(
        tx,
        f"UPDATE {t.name} SET {', '.join(sets)} WHERE id = ? AND version = ?{live}",
        [*params, row_id, expected_version],
    ):
        return None
    return stamp


def soft_delete(
    tx: Tx, name: str, row_id: int, expected_version: int, *, by: str | None = None, at: dt.datetime
) -> Stamp | None:
    """Hide the row (``deleted_at``) if still at ``expected_version``: the stamp, or None."""
    t = table(name)
    if not t.soft_delete:
        raise ValueError(f"{name} rows are not soft-deleted")
    sets = ["deleted_at = ?", "version = version + 1"]
    params: list[Any] = [at]
    if t.stamped:
        sets += ["updated_at = ?", "updated_by = ?"]
        params += [at, by]
    live = "".join(f" AND {c} IS NULL" for c in t.live)
    tx.lock()
    if not _matched(
        tx,
        f"UPDATE {t.name} SET {', '.join(sets)} WHERE id = ? AND version = ?{live}",
        [*params, row_id, expected_version],
    ):
        return None
    stamp: Stamp = {"version": int(expected_version) + 1, "deleted_at": at}
    if t.stamped:
        stamp |= {"updated_at": at, "updated_by": by}
    return stamp


def delete(tx: Tx, name: str, row_id: int, expected_version: int) -> bool:
    """Remove the row for good if still at ``expected_version`` (a signatory added by mistake)."""
    t = table(name)
    tx.lock()
    return _matched(tx, f"DELETE FROM {t.name} WHERE id = ? AND version = ?", [row_id, expected_version])


def replace_links(tx: Tx, link_table: str, owner_id: int, target_ids: Sequence[int]) -> None:
    """The links of one owner in ``link_table`` become exactly ``target_ids``."""
    link = LINK_TABLES[link_table]
    tx.lock()
    tx.execute(f"DELETE FROM {link.table} WHERE {link.owner} = ?", [owner_id])
    ids = sorted(set(target_ids))
    if ids:
        tx.execute(f"INSERT INTO {link.table} ({link.owner}, {link.column}) SELECT ?, unnest(?)", [owner_id, ids])
