"""SQL for organisations: the partner directory, near-duplicate names and the merge of two rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import versioned
from .database import Database, Tx
from .tables import ORGANISATIONS

# Ids are BIGINT: a larger number names no row (and must not reach DuckDB, which would refuse it).
MAX_ID = 2**63 - 1


def _ids(ids: list[int]) -> list[int]:
    return [i for i in ids if 0 < i <= MAX_ID]


COLUMNS = (
    "id",
    "name",
    "type",
    "country",
    "transparency_register",
    "is_partner",
    "website",
    "merged_into",
    "version",
    "deleted_at",
    "updated_at",
    "updated_by",
)
EDITABLE = ORGANISATIONS.editable
SORTS = {
    "name": "lower(o.name)",
    "country": "lower(o.country) NULLS LAST, lower(o.name)",
    "type": "lower(o.type) NULLS LAST, lower(o.name)",
    "positions": "positions_signed DESC, lower(o.name)",
    "activities": "activities DESC, lower(o.name)",
}
# Names that differ only in case or spacing are the same name.
NAME_KEY_SQL = "regexp_replace(lower(name), '\\s+', '', 'g')"


def name_key(name: str) -> str:
    return "".join(name.lower().split())


def _rows(src: Database | Tx, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
    return src.all(sql, params) if isinstance(src, Tx) else src.read(sql, params)


def _dict(row: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(COLUMNS, row, strict=True))


def get(src: Database | Tx, org_id: int) -> dict[str, Any] | None:
    if not _ids([org_id]):
        return None
    rows = _rows(src, f"SELECT {', '.join(COLUMNS)} FROM organisations WHERE id = ?", [org_id])
    return _dict(rows[0]) if rows else None


def existing_ids(src: Database | Tx, ids: list[int]) -> set[int]:
    """Those of ``ids`` that are live (not deleted, not merged away)."""
    ids = _ids(ids)
    if not ids:
        return set()
    marks = ", ".join("?" for _ in ids)
    rows = _rows(src, f"SELECT id FROM organisations WHERE id IN ({marks}) AND deleted_at IS NULL", list(ids))
    return {int(r[0]) for r in rows}


def similar(src: Database | Tx, name: str, exclude_id: int | None = None) -> list[dict[str, Any]]:
    """Live organisations whose name differs from ``name`` only in case or spaces."""
    rows = _rows(
        src,
        f"SELECT {', '.join(COLUMNS)} FROM organisations "
        f"WHERE deleted_at IS NULL AND {NAME_KEY_SQL} = ? AND id IS DISTINCT FROM ? ORDER BY id",
        [name_key(name), exclude_id],
    )
    return [_dict(r) for r in rows]


def directory(
    db: Database,
    *,
    search: str | None = None,
    org_type: str | None = None,
    country: str | None = None,
    partners_only: bool = False,
    sort: str = "name",
    limit: int = 2000,
) -> Any:
    """The live organisations with how many positions each signed and activities it joined."""
    where = ["o.deleted_at IS NULL"]
    params: list[Any] = []
    if search:
        where.append("(o.name ILIKE ? OR o.transparency_register ILIKE ?)")
        like = f"%{search}%"
        params += [like, like]
    if org_type:
        where.append("o.type = ?")
        params.append(org_type)
    if country:
        where.append("o.country = ?")
        params.append(country)
    if partners_only:
        where.append("o.is_partner")
    order = SORTS.get(sort, SORTS["name"])
    params.append(limit)
    return db.read_df(
        "WITH signed AS ("
        "  SELECT s.organisation_id, count(*) AS n FROM signatories s "
        "  JOIN joint_positions p ON p.id = s.joint_position_id AND p.deleted_at IS NULL "
        "  WHERE s.status = 'agreed' GROUP BY s.organisation_id), "
        "acts AS ("
        "  SELECT ao.organisation_id, count(*) AS n FROM activity_organisations ao "
        "  JOIN activities a ON a.id = ao.activity_id AND a.deleted_at IS NULL GROUP BY ao.organisation_id) "
        "SELECT o.id, o.name, o.type, o.country, o.transparency_register, o.is_partner, o.website, "
        "coalesce(signed.n, 0) AS positions_signed, coalesce(acts.n, 0) AS activities "
        "FROM organisations o LEFT JOIN signed ON signed.organisation_id = o.id "
        "LEFT JOIN acts ON acts.organisation_id = o.id "
        f"WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?",
        params,
    )


def choices(db: Database) -> list[tuple[int, str]]:
    return [
        (int(r[0]), r[1])
        for r in db.read("SELECT id, name FROM organisations WHERE deleted_at IS NULL ORDER BY lower(name)")
    ]


def countries(db: Database) -> list[str]:
    rows = db.read(
        "SELECT DISTINCT country FROM organisations WHERE deleted_at IS NULL AND country IS NOT NULL ORDER BY country"
    )
    return [r[0] for r in rows]


def positions_of(db: Database, org_id: int) -> Any:
    """The joint positions this organisation was asked to sign or leads."""
    return db.read_df(
        "SELECT p.id, p.title, p.status AS position_status, s.status AS signatory_status, s.status_date, "
        "p.published_on, p.lead_organisation_id = ? AS is_lead "
        "FROM joint_positions p LEFT JOIN signatories s ON s.joint_position_id = p.id AND s.organisation_id = ? "
        "WHERE p.deleted_at IS NULL AND (s.id IS NOT NULL OR p.lead_organisation_id = ?) "
        "ORDER BY coalesce(p.published_on, s.status_date) DESC NULLS LAST, p.id DESC",
        [org_id, org_id, org_id],
    )


def activities_of(db: Database, org_id: int, limit: int = 500) -> Any:
    return db.read_df(
        "SELECT a.id, a.activity_date, a.type, a.summary, a.is_influencing, a.effort_days "
        "FROM activities a JOIN activity_organisations ao ON ao.activity_id = a.id "
        "WHERE ao.organisation_id = ? AND a.deleted_at IS NULL ORDER BY a.activity_date DESC, a.id DESC LIMIT ?",
        [org_id, limit],
    )


def insert(tx: Tx, data: dict[str, Any], actor: str, now: dt.datetime) -> int:
    return versioned.insert_id(tx, "organisations", {c: data[c] for c in EDITABLE}, by=actor, at=now)


def mark_merged(tx: Tx, drop_id: int, version: int, keep_id: int, actor: str, now: dt.datetime) -> bool:
    tx.lock()
    # The duplicate's version stays: the merge is recorded on the keeper.
    n = tx.count(
        "UPDATE organisations SET merged_into = ?, deleted_at = ?, updated_at = ?, "
        "updated_by = ? WHERE id = ? AND version = ? AND deleted_at IS NULL",
        [keep_id, now, now, actor, drop_id, version],
    )
    return n == 1


def repoint_links(tx: Tx, keep_id: int, drop_id: int, actor: str, now: dt.datetime) -> dict[str, int]:
    """Move every link of ``drop_id`` to ``keep_id``; returns how many rows of each kind moved.

    A position both organisations were asked to sign keeps one signatory: the row with the
    later status date (the keeper's on a tie), carried on the keeper's organisation.
    Versions stay as they are: re-pointing a link is not an edit of those rows (the merge's own
    audit entry records it), and a stale edit naming the merged organisation is refused anyway,
    because it is no longer live.
    """
    counts: dict[str, int] = {}
    pairs = tx.all(
        "SELECT d.id, d.status, d.status_date, k.id, k.status_date FROM signatories d "
        "JOIN signatories k ON k.joint_position_id = d.joint_position_id AND k.organisation_id = ? "
        "WHERE d.organisation_id = ?",
        [keep_id, drop_id],
    )
    for drop_sig, status, status_date, keep_sig, keep_date in pairs:
        if status_date > keep_date:
            tx.execute(
                "UPDATE signatories SET status = ?, status_date = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                [status, status_date, now, actor, keep_sig],
            )
        tx.execute("DELETE FROM signatories WHERE id = ?", [drop_sig])
    counts["duplicate signatories removed"] = len(pairs)
    counts["signatories"] = tx.count(
        "UPDATE signatories SET organisation_id = ?, updated_at = ?, updated_by = ? WHERE organisation_id = ?",
        [keep_id, now, actor, drop_id],
    )
    added = tx.count(
        "INSERT INTO activity_organisations (activity_id, organisation_id) "
        "SELECT d.activity_id, ? FROM activity_organisations d WHERE d.organisation_id = ? "
        "AND NOT EXISTS (SELECT 1 FROM activity_organisations k WHERE k.activity_id = d.activity_id "
        "AND k.organisation_id = ?)",
        [keep_id, drop_id, keep_id],
    )
    tx.execute("DELETE FROM activity_organisations WHERE organisation_id = ?", [drop_id])
    counts["activities"] = added
    counts["contacts"] = tx.count(
        "UPDATE contacts SET organisation_id = ?, updated_at = ?, updated_by = ? WHERE organisation_id = ?",
        [keep_id, now, actor, drop_id],
    )
    counts["positions led"] = tx.count(
        "UPDATE joint_positions SET lead_organisation_id = ?, updated_at = ?, updated_by = ? WHERE lead_organisation_id = ?",
        [keep_id, now, actor, drop_id],
    )
    return counts


def link_counts(db: Database, org_id: int) -> dict[str, int]:
    """How many rows point at this organisation, by kind (for tests and the merge preview)."""
    row = db.read(
        "SELECT (SELECT count(*) FROM signatories WHERE organisation_id = ?), "
        "(SELECT count(*) FROM activity_organisations WHERE organisation_id = ?), "
        "(SELECT count(*) FROM contacts WHERE organisation_id = ?), "
        "(SELECT count(*) FROM joint_positions WHERE lead_organisation_id = ?)",
        [org_id, org_id, org_id, org_id],
    )[0]
    return {"signatories": row[0], "activities": row[1], "contacts": row[2], "positions led": row[3]}


def merge_history(db: Database, org_id: int, limit: int = 200) -> list[tuple[Any, ...]]:
    """Audit rows of this organisation, plus the merge that absorbed it (recorded on the keeper)."""
    return db.read(
        "SELECT id, \"at\", actor, action, changes FROM audit WHERE entity = 'organisation' AND "
        "(entity_id = ? OR (action = 'merge' AND json_extract(changes, '$.merged_id[0]')::BIGINT = ?)) "
        "ORDER BY id DESC LIMIT ?",
        [org_id, org_id, limit],
    )
