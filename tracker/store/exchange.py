"""SQL of spreadsheet exports and imports: one query per table, the name lists that imports
match against, and set-wise writes (one Arrow table per statement).

Rows come back with the stored values (codes, stage numbers, lists). References to other
rows come back as ``{'id': …, 'name': …}`` structs (lists of them for links) so the service
can write "12: Title" cells and read them back.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import pyarrow as pa

from .bulk import insert_columns
from .database import Tx
from .tables import TABLES


# References to other rows: as text, every one is written "id: name" (an id keeps it exact
# when names repeat or contain ';'); for imports, as bare ids.
def _ref(mode: str, id_expr: str, name_expr: str) -> str:
    if mode == "ids":
        return id_expr
    return f"CASE WHEN {id_expr} IS NULL THEN NULL ELSE {id_expr} || ': ' || coalesce({name_expr}, '') END"


def _links(mode: str, owner: str, link_table: str, target: str, target_col: str, name_col: str) -> str:
    if mode == "ids":
        agg = f"list(x.{target_col} ORDER BY x.{target_col})"
        return f"SELECT x.{owner} AS owner, {agg} AS l FROM {link_table} x GROUP BY 1"
    agg = f"string_agg(t.id || ': ' || t.{name_col}, '; ' ORDER BY t.id)"
    return (
        f"SELECT x.{owner} AS owner, {agg} AS l FROM {link_table} x JOIN {target} t ON t.id = x.{target_col} GROUP BY 1"
    )


def _query(table: str, mode: str) -> str:
    empty = "[]" if mode == "ids" else "NULL"
    if table == "issues":
        return """
        SELECT i.id, i.version, i.title, i.summary, i.policy_area, i.level, i.policy_reference,
               i.reference_url, i.policy_cycle, i.owner, i.priority, i.position, i.ask,
               i.member_relevance, i.member_segments, i.why_it_matters, s.stage, s.stage_since,
               i.target_stage, i.lifecycle, i.next_review, i.tags, i.archived_at, i.created_at,
               i.created_by, i.updated_at, i.updated_by
        FROM issues i LEFT JOIN issue_stage s ON s.issue_id = i.id
        WHERE {ids}
        ORDER BY i.id"""
    if table == "stage_events":
        return f"""
        SELECT e.id, {_ref(mode, "e.issue_id", "i.title")} AS issue_id, e.from_stage,
               e.to_stage, e.event_date, e.author, e.note, e.evidence_ref, e.evidence_url, e.recorded_at
        FROM stage_events e LEFT JOIN issues i ON i.id = e.issue_id
        WHERE {{ids}}
        ORDER BY e.issue_id, e.event_date, e.id"""
    if table == "consultations":
        return f"""
        WITH links AS ({_links(mode, "consultation_id", "consultation_issues", "issues", "issue_id", "title")})
        SELECT c.id, c.version, c.title, c.authority, c.policy_areas, c.type, c.reference, c.url,
               c.opens, c.closes, c.response_status, c.submitted_on, c.feedback_reference,
               {_ref(mode, "c.joint_position_id", "jp.title")} AS joint_position_id,
               coalesce(links.l, {empty}) AS issue_ids, c.source, c.total_feedback,
               c.updated_at, c.updated_by
        FROM consultations c
        LEFT JOIN joint_positions jp ON jp.id = c.joint_position_id
        LEFT JOIN links ON links.owner = c.id
        WHERE c.deleted_at IS NULL AND {{ids}}
        ORDER BY c.id"""
    if table == "joint_positions":
        return f"""
        WITH links AS ({_links(mode, "joint_position_id", "joint_position_issues", "issues", "issue_id", "title")})
        SELECT j.id, j.version, j.title, j.summary, j.status,
               {_ref(mode, "j.lead_organisation_id", "o.name")} AS lead_organisation_id,
               {_ref(mode, "j.consultation_id", "c.title")} AS consultation_id,
               j.target_institution, j.published_on, j.document_url,
               coalesce(links.l, {empty}) AS issue_ids, j.updated_at, j.updated_by
        FROM joint_positions j
        LEFT JOIN organisations o ON o.id = j.lead_organisation_id
        LEFT JOIN consultations c ON c.id = j.consultation_id
        LEFT JOIN links ON links.owner = j.id
        WHERE j.deleted_at IS NULL AND {{ids}}
        ORDER BY j.id"""
    if table == "signatories":
        return f"""
        SELECT s.id, s.version,
               {_ref(mode, "s.joint_position_id", "j.title")} AS joint_position_id,
               {_ref(mode, "s.organisation_id", "o.name")} AS organisation_id,
               s.status, s.status_date, s.updated_at, s.updated_by
        FROM signatories s
        JOIN joint_positions j ON j.id = s.joint_position_id AND j.deleted_at IS NULL
        LEFT JOIN organisations o ON o.id = s.organisation_id
        WHERE {{ids}}
        ORDER BY s.joint_position_id, s.id"""
    if table == "organisations":
        return f"""
        SELECT o.id, o.version, o.name, o.type, o.country, o.transparency_register, o.is_partner,
               o.website, {_ref(mode, "o.merged_into", "m.name")} AS merged_into,
               o.updated_at, o.updated_by
        FROM organisations o LEFT JOIN organisations m ON m.id = o.merged_into
        WHERE o.deleted_at IS NULL AND {{ids}}
        ORDER BY o.id"""
    if table == "activities":
        return f"""
        WITH li AS ({_links(mode, "activity_id", "activity_issues", "issues", "issue_id", "title")}),
        lo AS ({_links(mode, "activity_id", "activity_organisations", "organisations", "organisation_id", "name")}),
        lc AS ({_links(mode, "activity_id", "activity_contacts", "contacts", "contact_id", "name")})
        SELECT a.id, a.version, a.activity_date, a.type, a.summary, a.outcome, a.is_influencing,
               a.effort_days, a.funding_source, a.follow_up,
               coalesce(li.l, {empty}) AS issue_ids, coalesce(lo.l, {empty}) AS organisation_ids,
               coalesce(lc.l, {empty}) AS contact_ids, a.created_by, a.updated_at, a.updated_by
        FROM activities a
        LEFT JOIN li ON li.owner = a.id LEFT JOIN lo ON lo.owner = a.id LEFT JOIN lc ON lc.owner = a.id
        WHERE a.deleted_at IS NULL AND {{ids}}
        ORDER BY a.id"""
    if table == "audit":
        return """
        SELECT a.id, a."at", a.actor, a.entity, a.entity_id, a.action, CAST(a.changes AS VARCHAR) AS changes
        FROM audit a
        WHERE {ids}
        ORDER BY a.id"""
    raise ValueError(f"not an exportable table: {table}")


EXPORTABLE = tuple(t.name for t in TABLES.values() if t.exported)
# The id column each export filters on (its first table's alias).
_ID_COLUMN = {
    "issues": "i.id",
    "stage_events": "e.id",
    "consultations": "c.id",
    "joint_positions": "j.id",
    "signatories": "s.id",
    "organisations": "o.id",
    "activities": "a.id",
    "audit": "a.id",
}


def export_rows(
    reader: Any, table: str, ids: Sequence[int] | None = None, *, mode: str = "text"
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of one table (all rows, or those with ``ids``), in a stable order.

    ``mode="text"`` gives references as "id: name" text; ``mode="ids"`` as ids (lists of ids
    for links), which imports compare with. ``reader`` is a :class:`Tx` or a cursor.
    """
    sql = _query(table, mode)
    cur = reader.cur if isinstance(reader, Tx) else reader
    if ids is None:
        result = cur.execute(sql.replace("{ids}", "true"))
        return [d[0] for d in result.description], result.fetchall()
    # A long id list goes in as an Arrow table: far faster than a list parameter.
    cur.register("export_ids", pa.table({"id": pa.array(list(ids), pa.int64())}))
    try:
        result = cur.execute(sql.replace("{ids}", f"{_ID_COLUMN[table]} IN (SELECT id FROM export_ids)"))
        return [d[0] for d in result.description], result.fetchall()
    finally:
        cur.unregister("export_ids")


# ------------------------------------------------------------------ names imports match against

_NAMES = {
    "issues": "SELECT id, title FROM issues",
    "organisations": "SELECT id, name FROM organisations WHERE deleted_at IS NULL",
    "contacts": "SELECT id, name FROM contacts WHERE deleted_at IS NULL AND erased_at IS NULL",
    "joint_positions": "SELECT id, title FROM joint_positions WHERE deleted_at IS NULL",
    "consultations": "SELECT id, title FROM consultations WHERE deleted_at IS NULL",
}


def names(reader: Any, target: str) -> list[tuple[int, str]]:
    """(id, name or title) of every live row of ``target``."""
    cur = reader.cur if isinstance(reader, Tx) else reader
    return [(int(r[0]), r[1]) for r in cur.execute(_NAMES[target]).fetchall()]


def deleted_ids(tx: Tx, table: str, ids: Sequence[int]) -> set[int]:
    """Which of ``ids`` exist but are soft-deleted (their import rows must be refused)."""
    if not TABLES[table].soft_delete or not ids:
        return set()
    rows = tx.all(
        f"SELECT id FROM {table} WHERE deleted_at IS NOT NULL AND id IN (SELECT unnest(?::BIGINT[]))", [list(ids)]
    )
    return {int(r[0]) for r in rows}


def stage_state(tx: Tx, issue_ids: Sequence[int]) -> dict[int, tuple[int | None, Any, bool]]:
    """Per issue: (current stage, date of its latest event, archived?)."""
    if not issue_ids:
        return {}
    rows = tx.all(
        "SELECT i.id, s.stage, s.stage_since, i.archived_at IS NOT NULL FROM issues i "
        "LEFT JOIN issue_stage s ON s.issue_id = i.id WHERE i.id IN (SELECT unnest(?::BIGINT[]))",
        [list(issue_ids)],
    )
    return {int(r[0]): (r[1], r[2], bool(r[3])) for r in rows}


# ------------------------------------------------------------------ set-wise writes

# Link tables: (table, owner column, target column) per link field, from the registry.
LINK_TABLES: dict[str, dict[str, tuple[str, str, str]]] = {
    t.name: {link.field: (link.table, link.owner, link.column) for link in t.links}
    for t in TABLES.values()
    if t.exported and t.links
}
# Columns a set-wise update may assign, per table (names never come from users).
UPDATABLE: dict[str, set[str]] = {
    t.name: set(t.updatable) for t in TABLES.values() if t.exported and t.versioned and t.editable
}


def insert_rows(tx: Tx, table: str, columns: Mapping[str, Sequence[Any]]) -> int:
    """New rows (ids already reserved with :func:`bulk.next_ids`)."""
    return insert_columns(tx, table, columns)


def update_rows(
    tx: Tx,
    table: str,
    columns: Mapping[str, Sequence[Any]],
    expected_versions: Sequence[int],
    *,
    at: Any,
    by: str,
) -> list[int]:
    """Set ``columns`` on the rows whose ``id`` is given, each only if still at its expected
    version; bumps versions. Returns the ids actually updated."""
    fields = [c for c in columns if c != "id"]
    bad = set(fields) - UPDATABLE[table]
    if bad:
        raise ValueError(f"cannot update {sorted(bad)} of {table}")
    if not columns.get("id"):
        return []
    data = {**{k: list(v) for k, v in columns.items()}, "expected_version": list(expected_versions)}
    tx.cur.register("update_source", pa.Table.from_pydict(data))
    try:
        assignments = ", ".join(f'"{f}" = u."{f}"' for f in fields)
        rows = tx.all(
            f"UPDATE {table} AS t SET {assignments}, version = t.version + 1, updated_at = ?, updated_by = ? "
            "FROM update_source u WHERE t.id = u.id AND t.version = u.expected_version RETURNING t.id",
            [at, by],
        )
    finally:
        tx.cur.unregister("update_source")
    return [int(r[0]) for r in rows]


def replace_links(
    tx: Tx,
    table: str,
    field: str,
    owner_ids: Sequence[int],
    links: Sequence[Sequence[int] | None],
    *,
    new: bool = False,
) -> None:
    """The links of ``field`` for ``owner_ids`` become exactly ``links`` (one list per owner);
    ``new`` owners have none yet."""
    link_table, owner_col, target_col = LINK_TABLES[table][field]
    if not owner_ids:
        return
    if not new:
        with id_list(tx, owner_ids):
            tx.execute(f"DELETE FROM {link_table} WHERE {owner_col} IN (SELECT id FROM id_list)")
    source = pa.table(
        {
            "owner": pa.array(list(owner_ids), pa.int64()),
            "targets": pa.array(list(links), pa.list_(pa.int64())),
        }
    )
    tx.cur.register("link_source", source)
    try:
        tx.execute(
            f"INSERT INTO {link_table} ({owner_col}, {target_col}) SELECT owner, unnest(targets) FROM link_source"
        )
    finally:
        tx.cur.unregister("link_source")


def touch_issues(tx: Tx, issue_ids: Sequence[int], *, at: Any, by: str) -> None:
    """A stage move changes the issue: bump its version so open edit forms notice."""
    if issue_ids:
        tx.execute(
            "UPDATE issues SET version = version + 1, updated_at = ?, updated_by = ? "
            "WHERE id IN (SELECT unnest(?::BIGINT[]))",
            [at, by, list(issue_ids)],
        )


def versions(tx: Tx, table: str, ids: Sequence[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = tx.all(f"SELECT id, version FROM {table} WHERE id IN (SELECT unnest(?::BIGINT[]))", [list(ids)])
    return {int(r[0]): int(r[1]) for r in rows}


def signatory_pairs(tx: Tx) -> dict[tuple[int, int], int]:
    """(joint position, organisation) → signatory id, to refuse a second signature."""
    rows = tx.all("SELECT joint_position_id, organisation_id, id FROM signatories")
    return {(int(r[0]), int(r[1])): int(r[2]) for r in rows}


def write_audit(tx: Tx, columns: Mapping[str, Sequence[Any]]) -> int:
    """Many audit rows at once (``at``, ``actor``, ``entity``, ``entity_id``, ``action``, ``changes`` JSON text).

    Not :func:`bulk.insert_columns`: "at" is a reserved word and must be quoted."""
    names = ("at", "actor", "entity", "entity_id", "action", "changes")
    n = len(columns["actor"])
    if n == 0:
        return 0
    source = pa.Table.from_pydict(
        {k: list(columns[k]) for k in names},
        schema=pa.schema(
            [
                ("at", pa.timestamp("us")),
                ("actor", pa.string()),
                ("entity", pa.string()),
                ("entity_id", pa.int64()),
                ("action", pa.string()),
                ("changes", pa.string()),
            ]
        ),
    )
    tx.cur.register("audit_source", source)
    try:
        tx.execute(
            'INSERT INTO audit ("at", actor, entity, entity_id, action, changes) '
            'SELECT "at", actor, entity, entity_id, action, changes FROM audit_source'
        )
    finally:
        tx.cur.unregister("audit_source")
    return n


def latest_changes(tx: Tx, entity: str, ids: Sequence[int]) -> dict[int, tuple[str, Any]]:
    """Who last changed each of ``ids`` and when (for conflict messages)."""
    if not ids:
        return {}
    rows = tx.all(
        'SELECT entity_id, arg_max(actor, id), max("at") FROM audit WHERE entity = ? '
        "AND entity_id IN (SELECT unnest(?::BIGINT[])) GROUP BY entity_id",
        [entity, list(ids)],
    )
    return {int(r[0]): (r[1], r[2]) for r in rows}


def audit_created(
    tx: Tx,
    table: str,
    entity: str,
    ids: Sequence[int],
    fields: Sequence[str],
    link_fields: Sequence[str],
    *,
    at: Any,
    by: str,
) -> None:
    """One "create" audit row per new row, built set-wise from the stored rows: every field
    that has a value, as field → [null, value] (the shape :func:`guard.diff` gives)."""
    if not ids:
        return
    allowed = UPDATABLE[table] | {"joint_position_id", "organisation_id"}
    parts = []
    for f in fields:
        if f not in allowed:
            raise ValueError(f"not a column of {table}: {f}")
        value = f't."{f}"'
        if f == "effort_days":
            value = f"CAST({value} AS DOUBLE)"
        empty = f" OR len({value}) = 0" if f in ("member_segments", "tags", "policy_areas") else ""
        parts.append(
            f"""CASE WHEN {value} IS NULL{empty} THEN NULL ELSE '"{f}":[null,' || to_json({value}) || ']' END"""
        )
    joins = []
    for k, f in enumerate(link_fields):
        link_table, owner_col, target_col = LINK_TABLES[table][f]
        joins.append(
            f"LEFT JOIN (SELECT x.{owner_col} AS owner, list(x.{target_col} ORDER BY x.{target_col}) AS l "
            f"FROM {link_table} x WHERE x.{owner_col} IN (SELECT id FROM id_list) GROUP BY 1) l{k} ON l{k}.owner = t.id"
        )
        parts.append(f"""CASE WHEN l{k}.l IS NULL THEN NULL ELSE '"{f}":[null,' || to_json(l{k}.l) || ']' END""")
    changes = "'{' || concat_ws(',', " + ", ".join(parts) + ") || '}'"
    with id_list(tx, ids):
        tx.execute(
            'INSERT INTO audit ("at", actor, entity, entity_id, action, changes) '
            f"SELECT ?, ?, ?, t.id, 'create', {changes} FROM {table} t {' '.join(joins)} "
            "WHERE t.id IN (SELECT id FROM id_list) ORDER BY t.id",
            [at, by, entity],
        )


@contextmanager
def id_list(tx: Tx, ids: Sequence[int]) -> Iterator[None]:
    """``ids`` as the one-column table ``id_list`` for this statement (a long list is far faster
    through Arrow than as a parameter)."""
    tx.cur.register("id_list", pa.table({"id": pa.array(list(ids), pa.int64())}))
    try:
        yield
    finally:
        tx.cur.unregister("id_list")
