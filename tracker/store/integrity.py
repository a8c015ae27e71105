"""SQL for the integrity check: every query reads one consistent snapshot.

The rules (what counts as a problem) live in :mod:`tracker.services.integrity`; this module
only knows how to find candidate rows. Table and column names come from the constants below
or from DuckDB's own catalogue, never from users.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from . import tables as tables_registry
from .database import Database

# (table, column, referenced table): every foreign key the schema implies but does not declare
# (DuckDB cannot declare them on tables that are updated in place), from the table registry.
LINKS: tuple[tuple[str, str, str], ...] = tables_registry.references()

# The audit log names entities in the singular; a few writers use the table name.
ENTITY_TABLES: dict[str, str] = tables_registry.entity_tables()

# How many offending rows each query returns as examples (the count is always complete).
EXAMPLES = 20


class Snapshot:
    """A read-only view of the database as of one moment (one transaction, one cursor)."""

    def __init__(self, cur: Any) -> None:
        self._cur = cur

    def all(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return (self._cur.execute(sql, params) if params is not None else self._cur.execute(sql)).fetchall()

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        rows = self.all(sql, params)
        return rows[0][0] if rows else None

    def found(
        self, base: str, order: str, limit: int, params: list[Any] | None = None
    ) -> tuple[int, list[tuple[Any, ...]]]:
        """How many rows the query ``base`` finds, and the first ``limit`` of them by ``order``."""
        n = self.scalar(f"SELECT count(*) FROM ({base})", params)
        rows = self.all(f"{base} ORDER BY {order} LIMIT ?", [*(params or []), limit])
        return int(n), [tuple(r) for r in rows]


@contextmanager
def snapshot(db: Database) -> Iterator[Snapshot]:
    """Every query inside sees the same committed state, even while others write."""
    with db.cursor() as cur:
        cur.execute("BEGIN TRANSACTION")
        try:
            yield Snapshot(cur)
        finally:
            cur.execute("ROLLBACK")


def _q(name: str) -> str:
    """Quote an identifier taken from the catalogue."""
    return '"' + name.replace('"', '""') + '"'


# ---------------------------------------------------------------- catalogue


def tables(snap: Snapshot) -> list[str]:
    rows = snap.all(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    return [r[0] for r in rows]


def columns(snap: Snapshot, table: str) -> list[str]:
    rows = snap.all(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
        [table],
    )
    return [r[0] for r in rows]


def applied_migrations(snap: Snapshot) -> list[int]:
    return [int(r[0]) for r in snap.all("SELECT version FROM schema_migrations ORDER BY version")]


def view_exists(snap: Snapshot, name: str) -> bool:
    return bool(snap.scalar("SELECT count(*) FROM duckdb_views() WHERE view_name = ? AND NOT internal", [name]))


def sequences(snap: Snapshot) -> dict[str, tuple[int | None, int]]:
    """Sequence name → (last value handed out or None, start value)."""
    rows = snap.all("SELECT sequence_name, last_value, start_value FROM duckdb_sequences()")
    return {r[0]: (None if r[1] is None else int(r[1]), int(r[2])) for r in rows}


# ---------------------------------------------------------------- whole-table reads


def read_all(snap: Snapshot, table: str) -> int:
    """Read every value of every row (so a damaged block fails here); returns the row count."""
    row = snap.all(f"SELECT count(*), bit_xor(hash(t)) FROM {_q(table)} AS t")
    return int(row[0][0])


def max_id(snap: Snapshot, table: str) -> int | None:
    value = snap.scalar(f"SELECT max(id) FROM {_q(table)}")
    return None if value is None else int(value)


def bad_versions(snap: Snapshot, table: str, limit: int = EXAMPLES) -> tuple[int, list[tuple[Any, Any]]]:
    """(count, examples of (id, version)) of rows whose version is missing or below 1."""
    n = snap.scalar(f"SELECT count(*) FROM {_q(table)} WHERE version IS NULL OR version < 1")
    rows = snap.all(
        f"SELECT id, version FROM {_q(table)} WHERE version IS NULL OR version < 1 ORDER BY id LIMIT ?", [limit]
    )
    return int(n), [(r[0], r[1]) for r in rows]


def duplicate_ids(snap: Snapshot, table: str, limit: int = EXAMPLES) -> list[tuple[Any, int]]:
    return [
        (r[0], int(r[1]))
        for r in snap.all(
            f"SELECT id, count(*) FROM {_q(table)} GROUP BY id HAVING count(*) > 1 ORDER BY id LIMIT ?", [limit]
        )
    ]


# ---------------------------------------------------------------- the ladder


def broken_stage_chains(snap: Snapshot, limit: int = EXAMPLES) -> tuple[int, list[tuple[Any, ...]]]:
    """Events whose from_stage is not the previous event's to_stage (NULL for the first).

    Order is the one the ``issue_stage`` view uses: event date, then id.
    Returns (count, examples of (issue_id, event_id, event_date, from_stage, expected_from)).
    """
    base = (
        "WITH ordered AS ("
        " SELECT issue_id, id, event_date, from_stage, to_stage,"
        "  lag(to_stage) OVER (PARTITION BY issue_id ORDER BY event_date, id) AS expected,"
        "  row_number() OVER (PARTITION BY issue_id ORDER BY event_date, id) AS n"
        " FROM stage_events)"
        " SELECT issue_id, id, event_date, from_stage, expected FROM ordered"
        " WHERE (n = 1 AND from_stage IS NOT NULL) OR (n > 1 AND from_stage IS DISTINCT FROM expected)"
    )
    return snap.found(base, "issue_id, event_date, id", limit)


def stages_out_of_range(
    snap: Snapshot, low: int, high: int, limit: int = EXAMPLES
) -> tuple[int, list[tuple[Any, ...]]]:
    where = (
        "to_stage IS NULL OR to_stage NOT BETWEEN ? AND ? "
        "OR (from_stage IS NOT NULL AND from_stage NOT BETWEEN ? AND ?)"
    )
    params = [low, high, low, high]
    n = snap.scalar(f"SELECT count(*) FROM stage_events WHERE {where}", params)
    rows = snap.all(
        f"SELECT issue_id, id, from_stage, to_stage FROM stage_events WHERE {where} ORDER BY id LIMIT ?",
        [*params, limit],
    )
    return int(n), [tuple(r) for r in rows]


def issues_without_events(snap: Snapshot, limit: int = EXAMPLES) -> tuple[int, list[int]]:
    base = "FROM issues i WHERE NOT EXISTS (SELECT 1 FROM stage_events e WHERE e.issue_id = i.id)"
    n = snap.scalar(f"SELECT count(*) {base}")
    rows = snap.all(f"SELECT i.id {base} ORDER BY i.id LIMIT ?", [limit])
    return int(n), [int(r[0]) for r in rows]


def stage_view_disagreements(snap: Snapshot, limit: int = EXAMPLES) -> tuple[int, list[tuple[Any, ...]]]:
    """Issues whose ``issue_stage`` row is not the to_stage of their latest event (or is missing).

    Returns (count, examples of (issue_id, view stage, latest event's to_stage)).
    """
    base = (
        "WITH latest AS ("
        " SELECT issue_id, to_stage FROM ("
        "  SELECT issue_id, to_stage,"
        "   row_number() OVER (PARTITION BY issue_id ORDER BY event_date DESC, id DESC) AS n"
        "  FROM stage_events) WHERE n = 1)"
        " SELECT l.issue_id, v.stage, l.to_stage FROM latest l"
        " LEFT JOIN issue_stage v ON v.issue_id = l.issue_id"
        " WHERE v.stage IS DISTINCT FROM l.to_stage"
    )
    return snap.found(base, "l.issue_id", limit)


# ---------------------------------------------------------------- links


def dangling(
    snap: Snapshot, table: str, column: str, target: str, limit: int = EXAMPLES
) -> tuple[int, list[tuple[Any, Any]]]:
    """Rows of ``table`` whose ``column`` names an id missing from ``target``.

    Returns (count, examples of (row key, missing id)); the row key is ``id`` when the table
    has one, else the whole row.
    """
    cols = columns(snap, table)
    if column not in cols or "id" not in columns(snap, target):
        return 0, []
    key = "s.id" if "id" in cols else "s"
    base = (
        f"FROM {_q(table)} s WHERE s.{_q(column)} IS NOT NULL AND NOT EXISTS "
        f"(SELECT 1 FROM {_q(target)} t WHERE t.id = s.{_q(column)})"
    )
    n = snap.scalar(f"SELECT count(*) {base}")
    rows = snap.all(f"SELECT {key}, s.{_q(column)} {base} ORDER BY s.{_q(column)} LIMIT ?", [limit])
    return int(n), [(r[0], r[1]) for r in rows]


def duplicate_signatories(snap: Snapshot, limit: int = EXAMPLES) -> tuple[int, list[tuple[Any, ...]]]:
    """(joint position, organisation) pairs listed more than once among the signatories."""
    base = (
        "SELECT joint_position_id, organisation_id, count(*) AS n FROM signatories "
        "GROUP BY joint_position_id, organisation_id HAVING count(*) > 1"
    )
    return snap.found(base, "joint_position_id, organisation_id", limit)


def values_outside(
    snap: Snapshot, table: str, column: str, allowed: list[Any], nullable: bool, limit: int = EXAMPLES
) -> tuple[int, list[tuple[Any, Any]]]:
    """Rows whose closed-list column holds a value outside ``allowed``."""
    if column not in columns(snap, table):
        return 0, []
    marks = ", ".join("?" for _ in allowed)
    cond = f"{_q(column)} NOT IN ({marks})" + ("" if nullable else f" OR {_q(column)} IS NULL")
    n = snap.scalar(f"SELECT count(*) FROM {_q(table)} WHERE {cond}", list(allowed))
    rows = snap.all(f"SELECT id, {_q(column)} FROM {_q(table)} WHERE {cond} ORDER BY id LIMIT ?", [*allowed, limit])
    return int(n), [(r[0], r[1]) for r in rows]


# ---------------------------------------------------------------- audit


def audit_entities(snap: Snapshot) -> list[tuple[str, int]]:
    """Entity names in the audit log and how many entries each has."""
    return [(r[0], int(r[1])) for r in snap.all("SELECT entity, count(*) FROM audit GROUP BY entity ORDER BY entity")]


def bulk_entries(snap: Snapshot) -> int:
    """Entries that record a load of many rows at once (no single entity id): demo data, imports."""
    return int(snap.scalar("SELECT count(*) FROM audit WHERE entity_id IS NULL"))


def audited_missing_rows(
    snap: Snapshot, entities: list[str], table: str, removal_actions: list[str], limit: int = EXAMPLES
) -> tuple[int, list[tuple[Any, ...]]]:
    """Audit entries naming a row of ``table`` that does not exist, when no entry records its removal."""
    ents = ", ".join("?" for _ in entities)
    acts = ", ".join("?" for _ in removal_actions)
    base = (
        f"SELECT a.entity, a.entity_id, min(a.id) AS first_entry FROM audit a "
        f"WHERE a.entity IN ({ents}) AND a.entity_id IS NOT NULL "
        f"AND NOT EXISTS (SELECT 1 FROM {_q(table)} t WHERE t.id = a.entity_id) "
        f"AND NOT EXISTS (SELECT 1 FROM audit r WHERE r.entity = a.entity AND r.entity_id = a.entity_id "
        f"AND lower(r.action) IN ({acts})) "
        f"GROUP BY a.entity, a.entity_id"
    )
    params = [*entities, *removal_actions]
    return snap.found(base, "a.entity_id", limit, params)


def versions_without_audit(
    snap: Snapshot,
    entities: list[str],
    table: str,
    creation_actions: list[str],
    allow_unlogged: bool,
    *,
    logged_on: str = "id",
    action_like: str | None = None,
    limit: int = EXAMPLES,
) -> tuple[int, list[tuple[Any, ...]]]:
    """Rows changed after creation (version > 1) whose changes the log does not record.

    A row with entries, all of them creations, is always a problem. A row with no entry at all
    is one unless ``allow_unlogged`` (the log records a bulk load that may have written it).
    Rows whose changes are logged on another row (a signatory on its joint position) name that
    row's id column in ``logged_on`` and the actions that concern them in ``action_like``.
    Returns (count, examples of (id, version, entries)).
    """
    ents = ", ".join("?" for _ in entities)
    acts = ", ".join("?" for _ in creation_actions)
    only = " AND lower(action) LIKE ?" if action_like else ""
    base = (
        f"WITH log AS (SELECT entity_id, count(*) AS entries, "
        f"count(*) FILTER (WHERE lower(action) NOT IN ({acts})) AS changes "
        f"FROM audit WHERE entity IN ({ents}) AND entity_id IS NOT NULL{only} GROUP BY entity_id) "
        f"SELECT t.id, t.version, coalesce(l.entries, 0) AS entries FROM {_q(table)} t "
        f"LEFT JOIN log l ON l.entity_id = t.{_q(logged_on)} "
        f"WHERE t.version > 1 AND coalesce(l.changes, 0) = 0 "
        f"AND (coalesce(l.entries, 0) > 0 OR NOT ?)"
    )
    params: list[Any] = [*creation_actions, *entities, *([action_like] if action_like else []), allow_unlogged]
    return snap.found(base, "t.id", limit, params)


def audit_without_actor(snap: Snapshot) -> int:
    return int(snap.scalar("SELECT count(*) FROM audit WHERE actor IS NULL OR trim(actor) = ''"))
