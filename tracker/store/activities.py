"""SQL for the activity log: entries, their links, the filtered log and due follow-ups."""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import versioned
from .database import Database, Tx
from .organisations import _ids
from .tables import ACTIVITIES

EDITABLE = ACTIVITIES.editable
COLUMNS = ("id", *EDITABLE, "created_by", "version", "updated_at", "updated_by")
# Link field → (link table, target column).
LINKS = {link.field: (link.table, link.column) for link in ACTIVITIES.links}
SORTS = {
    "newest": "a.activity_date DESC, a.id DESC",
    "oldest": "a.activity_date, a.id",
    "effort": "a.effort_days DESC, a.activity_date DESC, a.id DESC",
}


def _rows(src: Database | Tx, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
    return src.all(sql, params) if isinstance(src, Tx) else src.read(sql, params)


def get(src: Database | Tx, activity_id: int) -> dict[str, Any] | None:
    if not _ids([activity_id]):
        return None
    rows = _rows(src, f"SELECT {', '.join(COLUMNS)} FROM activities WHERE id = ? AND deleted_at IS NULL", [activity_id])
    if not rows:
        return None
    out = dict(zip(COLUMNS, rows[0], strict=True))
    for key, (table, col) in LINKS.items():
        out[key] = [
            int(r[0])
            for r in _rows(src, f"SELECT {col} FROM {table} WHERE activity_id = ? ORDER BY {col}", [activity_id])
        ]
    return out


def insert(tx: Tx, data: dict[str, Any], actor: str, now: dt.datetime) -> int:
    return versioned.insert_id(tx, "activities", {c: data[c] for c in EDITABLE}, by=actor, at=now)


def set_links(tx: Tx, activity_id: int, data: dict[str, Any]) -> None:
    for key, (table, _col) in LINKS.items():
        versioned.replace_links(tx, table, activity_id, data[key])


def _where(filters: dict[str, Any]) -> tuple[str, list[Any]]:
    where = ["a.deleted_at IS NULL"]
    params: list[Any] = []
    if filters.get("date_from"):
        where.append("a.activity_date >= ?")
        params.append(filters["date_from"])
    if filters.get("date_to"):
        where.append("a.activity_date <= ?")
        params.append(filters["date_to"])
    if filters.get("types"):
        where.append(f"a.type IN ({', '.join('?' for _ in filters['types'])})")
        params += list(filters["types"])
    if filters.get("funding_sources"):
        where.append(f"a.funding_source IN ({', '.join('?' for _ in filters['funding_sources'])})")
        params += list(filters["funding_sources"])
    if filters.get("issue_id") is not None:
        where.append("EXISTS (SELECT 1 FROM activity_issues x WHERE x.activity_id = a.id AND x.issue_id = ?)")
        params.append(filters["issue_id"])
    if filters.get("organisation_id") is not None:
        where.append(
            "EXISTS (SELECT 1 FROM activity_organisations x WHERE x.activity_id = a.id AND x.organisation_id = ?)"
        )
        params.append(filters["organisation_id"])
    if filters.get("influencing") is not None:
        where.append("a.is_influencing = ?")
        params.append(bool(filters["influencing"]))
    if filters.get("search"):
        where.append("(a.summary ILIKE ? OR a.outcome ILIKE ?)")
        params += [f"%{filters['search']}%"] * 2
    return " AND ".join(where), params


def search(db: Database, filters: dict[str, Any], sort: str = "newest", limit: int = 500) -> Any:
    """One page of the log (newest first by default) with the names of what each entry links to."""
    where, params = _where(filters)
    order = SORTS.get(sort, SORTS["newest"])
    # Names are aggregated over the page's rows only, with joins (not per-row subqueries).
    return db.read_df(
        "WITH page AS ("
        f"  SELECT a.* FROM activities a WHERE {where} ORDER BY {order} LIMIT ?), "
        "iss AS (SELECT x.activity_id, string_agg(i.title, '; ' ORDER BY i.title) AS names "
        "  FROM page p JOIN activity_issues x ON x.activity_id = p.id JOIN issues i ON i.id = x.issue_id GROUP BY 1), "
        "org AS (SELECT x.activity_id, string_agg(o.name, '; ' ORDER BY o.name) AS names "
        "  FROM page p JOIN activity_organisations x ON x.activity_id = p.id "
        "  JOIN organisations o ON o.id = x.organisation_id GROUP BY 1), "
        "con AS (SELECT x.activity_id, string_agg(c.name, '; ' ORDER BY c.name) AS names "
        "  FROM page p JOIN activity_contacts x ON x.activity_id = p.id JOIN contacts c ON c.id = x.contact_id "
        "  GROUP BY 1) "
        "SELECT a.id, a.activity_date, a.type, a.is_influencing, a.summary, a.outcome, a.effort_days, "
        "a.funding_source, a.follow_up, iss.names AS issues, org.names AS organisations, con.names AS contacts, "
        "a.created_by "
        "FROM page a LEFT JOIN iss ON iss.activity_id = a.id LEFT JOIN org ON org.activity_id = a.id "
        f"LEFT JOIN con ON con.activity_id = a.id ORDER BY {order}",
        [*params, limit],
    )


def totals(db: Database, filters: dict[str, Any]) -> tuple[int, float, int]:
    """(entries, person-days, influencing entries) over the whole filtered log."""
    where, params = _where(filters)
    row = db.read(
        f"SELECT count(*), coalesce(sum(a.effort_days), 0), count(*) FILTER (WHERE a.is_influencing) "
        f"FROM activities a WHERE {where}",
        params,
    )[0]
    return int(row[0]), float(row[1]), int(row[2])


def follow_ups(db: Database, start: dt.date, end: dt.date) -> Any:
    return db.read_df(
        "WITH due AS (SELECT id, follow_up, activity_date, type, summary, created_by FROM activities "
        "  WHERE deleted_at IS NULL AND follow_up BETWEEN ? AND ?), "
        "iss AS (SELECT x.activity_id, string_agg(i.title, '; ' ORDER BY i.title) AS names "
        "  FROM due d JOIN activity_issues x ON x.activity_id = d.id JOIN issues i ON i.id = x.issue_id GROUP BY 1) "
        "SELECT d.id, d.follow_up, d.activity_date, d.type, d.summary, d.created_by, iss.names AS issues "
        "FROM due d LEFT JOIN iss ON iss.activity_id = d.id ORDER BY d.follow_up, d.id",
        [start, end],
    )


def reference_values(src: Database | Tx, kind: str) -> list[str]:
    """The current values of one reference list, read inside a write transaction if need be."""
    rows = _rows(
        src,
        "SELECT value FROM reference_values WHERE kind = ? AND deleted_at IS NULL ORDER BY position, lower(value)",
        [kind],
    )
    return [r[0] for r in rows]


def live_ids(src: Database | Tx, table: str, ids: list[int]) -> set[int]:
    """Those of ``ids`` that exist in ``table`` (issues only: organisations and contacts check themselves)."""
    ids = _ids(ids)
    if table != "issues" or not ids:
        return set()
    marks = ", ".join("?" for _ in ids)
    return {int(r[0]) for r in _rows(src, f"SELECT id FROM issues WHERE id IN ({marks})", list(ids))}


def activities_of_contact(db: Database, contact_id: int, limit: int = 200) -> Any:
    return db.read_df(
        "SELECT a.id, a.activity_date, a.type, a.summary FROM activities a "
        "JOIN activity_contacts x ON x.activity_id = a.id WHERE x.contact_id = ? AND a.deleted_at IS NULL "
        "ORDER BY a.activity_date DESC, a.id DESC LIMIT ?",
        [contact_id, limit],
    )
