"""Set-wise inserts for generators and importers: one Arrow table, one INSERT … SELECT."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import pyarrow as pa

from .database import Tx
from .tables import LINK_TABLES
from .tables import TABLES as REGISTRY
from .tables import columns as registry_columns

# Tables a bulk insert may target, and their id sequences: the registry's (names never come
# from users).
TABLES = frozenset((*REGISTRY, *LINK_TABLES))
SEQUENCES = {name: t.sequence for name, t in REGISTRY.items()}


def next_ids(tx: Tx, table: str, count: int) -> list[int]:
    """Reserve ``count`` ids from the table's sequence, so later inserts never collide."""
    if count <= 0:
        return []
    seq = SEQUENCES[table]
    return [int(r[0]) for r in tx.all(f"SELECT nextval('{seq}') FROM range(?)", [count])]


def insert_columns(tx: Tx, table: str, columns: Mapping[str, Sequence[Any]]) -> int:
    """Insert equal-length columns into ``table``; returns the row count."""
    if table not in TABLES:
        raise ValueError(f"not a table: {table}")
    unknown = set(columns) - set(registry_columns(table))
    if unknown:
        raise ValueError(f"not a column of {table}: {sorted(unknown)}")
    lengths = {len(v) for v in columns.values()}
    if len(lengths) != 1:
        raise ValueError("columns differ in length")
    n = lengths.pop()
    if n == 0:
        return 0
    source = pa.Table.from_pydict({k: list(v) for k, v in columns.items()})
    names = ", ".join(f'"{c}"' for c in columns)
    tx.cur.register("bulk_source", source)
    try:
        tx.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM bulk_source")
    finally:
        try:
            tx.cur.unregister("bulk_source")
        except duckdb.Error:
            pass  # an aborted transaction refuses this too; the insert's own error is the one to report
    return n
