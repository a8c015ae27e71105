"""SQL for joint positions, their linked issues and their signatories."""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import versioned
from .database import Database, Tx
from .organisations import _ids
from .tables import JOINT_POSITIONS

EDITABLE = JOINT_POSITIONS.editable
COLUMNS = ("id", *EDITABLE, "version", "updated_at", "updated_by")
SIGNATORY_COLUMNS = ("id", "joint_position_id", "organisation_id", "status", "status_date", "version")
SORTS = {
    "recent": "coalesce(p.published_on, p.updated_at::DATE, p.created_at::DATE) DESC, p.id DESC",
    "title": "lower(p.title), p.id",
    "status": "array_position(['idea','drafting','circulating','adopted','published'], p.status), lower(p.title)",
}


def _rows(src: Database | Tx, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
    return src.all(sql, params) if isinstance(src, Tx) else src.read(sql, params)


def get(src: Database | Tx, position_id: int) -> dict[str, Any] | None:
    if not _ids([position_id]):
        return None
    rows = _rows(
        src,
        f"SELECT {', '.join(COLUMNS)} FROM joint_positions WHERE id = ? AND deleted_at IS NULL",
        [position_id],
    )
    if not rows:
        return None
    out = dict(zip(COLUMNS, rows[0], strict=True))
    out["issue_ids"] = issue_ids(src, position_id)
    return out


def issue_ids(src: Database | Tx, position_id: int) -> list[int]:
    rows = _rows(
        src, "SELECT issue_id FROM joint_position_issues WHERE joint_position_id = ? ORDER BY issue_id", [position_id]
    )
    return [int(r[0]) for r in rows]


def listing(
    db: Database,
    *,
    search: str | None = None,
    status: str | None = None,
    organisation_id: int | None = None,
    issue_id: int | None = None,
    sort: str = "recent",
    limit: int = 1000,
) -> Any:
    where = ["p.deleted_at IS NULL"]
    params: list[Any] = []
    if search:
        where.append("(p.title ILIKE ? OR p.target_institution ILIKE ?)")
        params += [f"%{search}%"] * 2
    if status:
        where.append("p.status = ?")
        params.append(status)
    if organisation_id is not None:
        where.append(
            "(p.lead_organisation_id = ? OR EXISTS (SELECT 1 FROM signatories s "
            "WHERE s.joint_position_id = p.id AND s.organisation_id = ?))"
        )
        params += [organisation_id, organisation_id]
    if issue_id is not None:
        where.append(
            "EXISTS (SELECT 1 FROM joint_position_issues ji WHERE ji.joint_position_id = p.id AND ji.issue_id = ?)"
        )
        params.append(issue_id)
    params.append(limit)
    return db.read_df(
        "SELECT p.id, p.title, p.status, o.name AS lead_organisation, p.target_institution, p.published_on, "
        "(SELECT count(*) FROM signatories s WHERE s.joint_position_id = p.id AND s.status = 'agreed') AS agreed, "
        "(SELECT count(*) FROM signatories s WHERE s.joint_position_id = p.id) AS invited_total, "
        "(SELECT count(*) FROM joint_position_issues ji WHERE ji.joint_position_id = p.id) AS issues "
        "FROM joint_positions p LEFT JOIN organisations o ON o.id = p.lead_organisation_id "
        f"WHERE {' AND '.join(where)} ORDER BY {SORTS.get(sort, SORTS['recent'])} LIMIT ?",
        params,
    )


def choices(db: Database) -> list[tuple[int, str]]:
    rows = db.read("SELECT id, title FROM joint_positions WHERE deleted_at IS NULL ORDER BY lower(title), id")
    return [(int(r[0]), r[1]) for r in rows]


def insert(tx: Tx, data: dict[str, Any], actor: str, now: dt.datetime) -> int:
    return versioned.insert_id(tx, "joint_positions", {c: data[c] for c in EDITABLE}, by=actor, at=now)


def set_issues(tx: Tx, position_id: int, ids: list[int]) -> None:
    versioned.replace_links(tx, "joint_position_issues", position_id, ids)


# ------------------------------------------------------------------ signatories


def signatories(src: Database | Tx, position_id: int) -> list[dict[str, Any]]:
    rows = _rows(
        src,
        "SELECT s.id, s.joint_position_id, s.organisation_id, s.status, s.status_date, s.version, o.name "
        "FROM signatories s LEFT JOIN organisations o ON o.id = s.organisation_id "
        "WHERE s.joint_position_id = ? ORDER BY array_position(['agreed','invited','declined','withdrawn'], s.status), "
        "lower(o.name), s.id",
        [position_id],
    )
    return [{**dict(zip(SIGNATORY_COLUMNS, r[:6], strict=True)), "organisation": r[6]} for r in rows]


def get_signatory(src: Database | Tx, signatory_id: int) -> dict[str, Any] | None:
    if not _ids([signatory_id]):
        return None
    rows = _rows(src, f"SELECT {', '.join(SIGNATORY_COLUMNS)} FROM signatories WHERE id = ?", [signatory_id])
    return dict(zip(SIGNATORY_COLUMNS, rows[0], strict=True)) if rows else None


def signatory_for(src: Database | Tx, position_id: int, organisation_id: int) -> dict[str, Any] | None:
    rows = _rows(
        src,
        f"SELECT {', '.join(SIGNATORY_COLUMNS)} FROM signatories WHERE joint_position_id = ? AND organisation_id = ?",
        [position_id, organisation_id],
    )
    return dict(zip(SIGNATORY_COLUMNS, rows[0], strict=True)) if rows else None


def agreed_count(src: Database | Tx, position_id: int, excluding: int | None = None) -> int:
    rows = _rows(
        src,
        "SELECT count(*) FROM signatories WHERE joint_position_id = ? AND status = 'agreed' AND id IS DISTINCT FROM ?",
        [position_id, excluding],
    )
    return int(rows[0][0])


def insert_signatory(
    tx: Tx, position_id: int, organisation_id: int, status: str, status_date: dt.date, actor: str, now: dt.datetime
) -> int:
    values = {"joint_position_id": position_id, "organisation_id": organisation_id, "status": status}
    return versioned.insert_id(tx, "signatories", values | {"status_date": status_date}, by=actor, at=now)


# ------------------------------------------------------------------ linked issues (read-only here)


def issue_rows(src: Database | Tx, ids: list[int]) -> list[dict[str, Any]]:
    """Title, version, current stage and its date of the given issues (the stage from the view)."""
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    rows = _rows(
        src,
        "SELECT i.id, i.title, i.version, coalesce(s.stage, 0), s.stage_since, i.archived_at IS NOT NULL "
        f"FROM issues i LEFT JOIN issue_stage s ON s.issue_id = i.id WHERE i.id IN ({marks}) ORDER BY i.id",
        list(ids),
    )
    keys = ("id", "title", "version", "stage", "stage_since", "archived")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def live_issue_ids(src: Database | Tx, ids: list[int]) -> set[int]:
    ids = _ids(ids)
    if not ids:
        return set()
    marks = ", ".join("?" for _ in ids)
    return {int(r[0]) for r in _rows(src, f"SELECT id FROM issues WHERE id IN ({marks})", list(ids))}


def consultation_exists(src: Database | Tx, consultation_id: int) -> bool:
    if not _ids([consultation_id]):
        return False
    rows = _rows(src, "SELECT 1 FROM consultations WHERE id = ? AND deleted_at IS NULL", [consultation_id])
    return bool(rows)


def consultation_choices(db: Database) -> list[tuple[int, str]]:
    rows = db.read("SELECT id, title FROM consultations WHERE deleted_at IS NULL ORDER BY closes DESC, id DESC")
    return [(int(r[0]), r[1]) for r in rows]


def positions_of_issue(db: Database, issue_id: int) -> Any:
    return db.read_df(
        "SELECT p.id, p.title, p.status, p.published_on FROM joint_positions p "
        "JOIN joint_position_issues ji ON ji.joint_position_id = p.id "
        "WHERE ji.issue_id = ? AND p.deleted_at IS NULL ORDER BY p.id DESC",
        [issue_id],
    )
