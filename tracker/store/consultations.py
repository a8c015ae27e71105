"""SQL for consultations, their issue links and the Have Your Say import."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa

from . import versioned
from .bulk import insert_columns, next_ids
from .database import Database, Tx
from .tables import CONSULTATIONS

# The editable columns, in the order forms and exports use them.
FIELDS = CONSULTATIONS.editable
COLUMNS = ("id", "version", *FIELDS, "source", "total_feedback", "updated_at", "updated_by")
# What a Have Your Say import owns; everything else (our response, links, authority) is ours.
IMPORTED_FIELDS = ("title", "policy_areas", "url", "opens", "closes", "total_feedback")
HYS_SOURCE = "have_your_say"

_SELECT = f"SELECT {', '.join('c.' + c for c in COLUMNS)} FROM consultations c"


def _row(cols: tuple[str, ...], r: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip(cols, r, strict=True))


def _links(cur: Any, ids: list[int]) -> dict[int, list[int]]:
    if not ids:
        return {}
    rows = cur.execute(
        "SELECT consultation_id, issue_id FROM consultation_issues "
        "WHERE consultation_id IN (SELECT unnest(?)) ORDER BY consultation_id, issue_id",
        [ids],
    ).fetchall()
    out: dict[int, list[int]] = {}
    for cid, iid in rows:
        out.setdefault(cid, []).append(iid)
    return out


def get(db: Database, consultation_id: int) -> dict[str, Any] | None:
    """One live consultation with its linked issue ids, or None."""
    with db.cursor() as cur:
        return _get(cur, consultation_id)


def get_tx(tx: Tx, consultation_id: int) -> dict[str, Any] | None:
    return _get(tx.cur, consultation_id)


def _get(cur: Any, consultation_id: int) -> dict[str, Any] | None:
    r = cur.execute(f"{_SELECT} WHERE c.id = ? AND c.deleted_at IS NULL", [consultation_id]).fetchone()
    if r is None:
        return None
    row = _row(COLUMNS, r)
    row["issue_ids"] = _links(cur, [consultation_id]).get(consultation_id, [])
    return row


# ---------------------------------------------------------------- lists

# Sort keys a caller may ask for; never user text in ORDER BY.
SORTS = {
    "closes": "c.closes, c.id",
    "closes_desc": "c.closes DESC, c.id DESC",
    "title": "lower(c.title), c.id",
}


def search(
    db: Database,
    *,
    authorities: list[str] | None = None,
    types: list[str] | None = None,
    statuses: list[str] | None = None,
    areas: list[str] | None = None,
    issue_id: int | None = None,
    closes_from: dt.date | None = None,
    closes_to: dt.date | None = None,
    text: str | None = None,
    sort: str = "closes",
) -> Any:
    """Live consultations matching every given filter, as a DataFrame (one row each)."""
    where = ["c.deleted_at IS NULL"]
    params: list[Any] = []
    if authorities:
        where.append("c.authority IN (SELECT unnest(?))")
        params.append(list(authorities))
    if types:
        where.append("c.type IN (SELECT unnest(?))")
        params.append(list(types))
    if statuses:
        where.append("c.response_status IN (SELECT unnest(?))")
        params.append(list(statuses))
    if areas:
        where.append("list_has_any(c.policy_areas, ?::VARCHAR[])")
        params.append(list(areas))
    if issue_id is not None:
        where.append("c.id IN (SELECT consultation_id FROM consultation_issues WHERE issue_id = ?)")
        params.append(issue_id)
    if closes_from is not None:
        where.append("c.closes >= ?")
        params.append(closes_from)
    if closes_to is not None:
        where.append("c.closes <= ?")
        params.append(closes_to)
    if text:
        where.append("(c.title ILIKE ? ESCAPE '\\' OR coalesce(c.reference, '') ILIKE ? ESCAPE '\\')")
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [like, like]
    order = SORTS[sort]
    sql = f"""
        SELECT c.id, c.title, c.authority, c.type, c.policy_areas, c.reference, c.url, c.opens, c.closes,
               c.response_status, c.submitted_on, c.feedback_reference, c.joint_position_id,
               jp.title AS joint_position, c.source, c.total_feedback, c.version,
               coalesce(li.issue_ids, []::BIGINT[]) AS issue_ids,
               coalesce(li.issue_titles, []::VARCHAR[]) AS issue_titles
        FROM consultations c
        LEFT JOIN joint_positions jp ON jp.id = c.joint_position_id
        LEFT JOIN (
            SELECT ci.consultation_id, list(i.id ORDER BY i.id) AS issue_ids,
                   list(i.title ORDER BY i.id) AS issue_titles
            FROM consultation_issues ci JOIN issues i ON i.id = ci.issue_id
            GROUP BY ci.consultation_id
        ) li ON li.consultation_id = c.id
        WHERE {" AND ".join(where)}
        ORDER BY {order}
    """
    df = db.read_df(sql, params)
    for col in ("opens", "closes", "submitted_on"):
        # DataFrames turn DATE into timestamps; the app speaks in dates.
        df[col] = [d.date() if d is not None and not _isnat(d) else None for d in df[col].astype(object)]
    return df


def _isnat(value: Any) -> bool:
    return value != value  # NaT and NaN are the only values unequal to themselves


def filter_options(db: Database) -> dict[str, list[Any]]:
    """The values the list's filters can offer: authorities and areas in use."""
    authorities = [
        r[0]
        for r in db.read(
            "SELECT DISTINCT authority FROM consultations WHERE deleted_at IS NULL ORDER BY lower(authority)"
        )
    ]
    areas = [
        r[0]
        for r in db.read(
            "SELECT DISTINCT a FROM (SELECT unnest(policy_areas) AS a FROM consultations WHERE deleted_at IS NULL) "
            "ORDER BY lower(a)"
        )
    ]
    linked = db.read(
        "SELECT DISTINCT i.id, i.title FROM consultation_issues ci JOIN issues i ON i.id = ci.issue_id "
        "JOIN consultations c ON c.id = ci.consultation_id AND c.deleted_at IS NULL ORDER BY lower(i.title), i.id"
    )
    return {"authorities": authorities, "areas": areas, "issues": [(r[0], r[1]) for r in linked]}


def issue_titles(db: Database, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {r[0]: r[1] for r in db.read("SELECT id, title FROM issues WHERE id IN (SELECT unnest(?))", [ids])}


def joint_position_choices(db: Database) -> list[tuple[int, str]]:
    rows = db.read("SELECT id, title FROM joint_positions WHERE deleted_at IS NULL ORDER BY lower(title), id")
    return [(r[0], r[1]) for r in rows]


def existing_issue_ids(tx: Tx, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    return {r[0] for r in tx.all("SELECT id FROM issues WHERE id IN (SELECT unnest(?))", [ids])}


def joint_position_exists(tx: Tx, jp_id: int) -> bool:
    return tx.one("SELECT 1 FROM joint_positions WHERE id = ? AND deleted_at IS NULL", [jp_id]) is not None


def upcoming(db: Database, today: dt.date) -> list[dict[str, Any]]:
    """Open and upcoming consultations (closing today or later), soonest first."""
    cols = (
        "id",
        "title",
        "authority",
        "type",
        "url",
        "opens",
        "closes",
        "response_status",
        "reference",
        "version",
        "updated_at",
    )
    rows = db.read(
        f"SELECT {', '.join(cols)} FROM consultations WHERE deleted_at IS NULL AND closes >= ? ORDER BY closes, id",
        [today],
    )
    return [_row(cols, r) for r in rows]


# ---------------------------------------------------------------- writes


def insert(tx: Tx, values: dict[str, Any], by: str, now: dt.datetime, source: str = "manual") -> int:
    return versioned.insert_id(
        tx, "consultations", {**{f: values.get(f) for f in FIELDS}, "source": source}, by=by, at=now
    )


def set_issue_links(tx: Tx, consultation_id: int, issue_ids: list[int]) -> None:
    versioned.replace_links(tx, "consultation_issues", consultation_id, issue_ids)


# ---------------------------------------------------------------- Have Your Say import


def imported_rows(tx: Tx) -> dict[str, dict[str, Any]]:
    """Every consultation a Have Your Say import created, deleted ones too, by initiative id."""
    return imported_rows_cursor(tx.cur)


def imported_rows_cursor(cur: Any) -> dict[str, dict[str, Any]]:
    cols = ("id", "reference", *IMPORTED_FIELDS, "deleted_at")
    rows = cur.execute(f"SELECT {', '.join(cols)} FROM consultations WHERE source = ?", [HYS_SOURCE]).fetchall()
    return {r[1]: _row(cols, r) for r in rows}


def import_insert(tx: Tx, rows: list[dict[str, Any]], by: str, now: dt.datetime) -> list[int]:
    """Insert new imported consultations set-wise; returns their ids in order."""
    ids = next_ids(tx, "consultations", len(rows))
    if not rows:
        return ids
    columns: dict[str, list[Any]] = {"id": ids}
    for f in ("title", "authority", "policy_areas", "type", "reference", "url", "opens", "closes", "total_feedback"):
        columns[f] = [r[f] for r in rows]
    n = len(rows)
    columns["response_status"] = [r["response_status"] for r in rows]
    columns["source"] = [HYS_SOURCE] * n
    columns["created_at"] = [now] * n
    columns["updated_at"] = [now] * n
    columns["updated_by"] = [by] * n
    insert_columns(tx, "consultations", columns)
    return ids


def import_update(tx: Tx, rows: list[dict[str, Any]], by: str, now: dt.datetime) -> None:
    """Overwrite the imported fields of existing consultations in one statement."""
    if not rows:
        return
    source = pa.table(
        {
            "id": pa.array([r["id"] for r in rows], pa.int64()),
            "title": pa.array([r["title"] for r in rows], pa.string()),
            "policy_areas": pa.array([r["policy_areas"] for r in rows], pa.list_(pa.string())),
            "url": pa.array([r["url"] for r in rows], pa.string()),
            "opens": pa.array([r["opens"] for r in rows], pa.date32()),
            "closes": pa.array([r["closes"] for r in rows], pa.date32()),
            "total_feedback": pa.array([r["total_feedback"] for r in rows], pa.int64()),
        }
    )
    tx.cur.register("hys_updates", source)
    try:
        tx.execute(
            "UPDATE consultations SET title = u.title, policy_areas = u.policy_areas, url = u.url, "
            "opens = u.opens, closes = u.closes, total_feedback = u.total_feedback, "
            "version = consultations.version + 1, updated_at = ?, updated_by = ? "
            "FROM hys_updates u WHERE consultations.id = u.id",
            [now, by],
        )
    finally:
        tx.cur.unregister("hys_updates")


def import_audit(tx: Tx, actor: str, entries: list[tuple[int, str, str]]) -> None:
    """Audit rows (consultation id, action, changes as JSON) in one insert."""
    if not entries:
        return
    insert_columns(
        tx,
        "audit",
        {
            "actor": [actor] * len(entries),
            "entity": ["consultation"] * len(entries),
            "entity_id": [e[0] for e in entries],
            "action": [e[1] for e in entries],
            "changes": [e[2] for e in entries],
        },
    )
