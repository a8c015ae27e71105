"""Import of the Commission's "Have Your Say" export (CSV, or JSON: a list of objects with the same keys).

All or nothing: the file is read and every row checked before anything is written; one
unusable row refuses the whole file, and the refusal lists every such row with its line,
column and reason. Re-importing is idempotent on the initiative id: the Commission's own
fields (title, topics, link, dates, feedback count) are updated, our fields — the response,
its date and reference, linked issues and joint position, the authority and type — are never
touched.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.domain import clock
from tracker.domain.enums import Role
from tracker.domain.errors import ImportRefused, ImportReport
from tracker.domain.models import User
from tracker.services import guard
from tracker.store import Database, Tx
from tracker.store import consultations as store

from .hys_file import MAX_BYTES, UnreadableExport, read_export, too_large_message
from .hys_rows import COMMISSION_TOPICS, check_records, parse_date, split_topics, vocabulary

__all__ = [
    "COMMISSION_TOPICS",
    "MAX_BYTES",
    "HaveYourSayReport",
    "UnreadableExport",
    "import_export",
    "import_file",
    "parse_date",
    "read_export",
    "split_topics",
    "too_large_message",
]


@dataclass
class HaveYourSayReport(ImportReport):
    """Counts of an import (or of its preview), with notes worth telling the user."""

    total: int = 0
    file_format: str = "CSV"
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        verb = "would be" if self.dry_run else ""
        if self.dry_run:
            return (
                f"{self.total:,} consultations read: {self.inserted:,} {verb} inserted, "
                f"{self.updated:,} {verb} updated, {self.unchanged:,} unchanged"
            )
        return f"{self.total:,} consultations read: {super().summary()}"


# Inserts, updates (each with its changes), unchanged and deleted-here counts.
PlanResult = tuple[list[dict[str, Any]], list[tuple[dict[str, Any], dict[str, list[Any]]]], int, int]


def _plan(ready: list[dict[str, Any]], existing: dict[str, dict[str, Any]]) -> PlanResult:
    """Split checked rows into inserts, updates (with their changes), unchanged and deleted-here."""
    inserts: list[dict[str, Any]] = []
    updates: list[tuple[dict[str, Any], dict[str, list[Any]]]] = []
    unchanged = deleted = 0
    for row in ready:
        old = existing.get(row["reference"])
        if old is None:
            inserts.append(row)
            continue
        if old["deleted_at"] is not None:
            deleted += 1  # someone deleted it here; an import never brings it back
            continue
        before = {f: old[f] for f in store.IMPORTED_FIELDS}
        after = {f: row[f] for f in store.IMPORTED_FIELDS}
        if before["policy_areas"] is not None:
            before["policy_areas"] = list(before["policy_areas"])
        changes = guard.diff(before, after)
        if changes:
            updates.append(({**row, "id": old["id"]}, changes))
        else:
            unchanged += 1
    return inserts, updates, unchanged, deleted


def import_export(
    db: Database,
    actor: User,
    data: bytes,
    *,
    filename: str = "",
    dry_run: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> HaveYourSayReport:
    """Import (or, with ``dry_run``, only count) a Have Your Say export; all or nothing."""
    guard.require_role(actor, Role.EDITOR)
    records, fmt, notes = read_export(data, filename)
    ready, errors, unknown = check_records(records, vocabulary(db), on_progress)
    if errors:
        raise ImportRefused(errors)
    if unknown:
        shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
        notes.append(f"Topics outside the Commission's list were kept as written: {shown}.")
    report = HaveYourSayReport(total=len(ready), file_format=fmt, dry_run=dry_run, notes=notes)

    if dry_run:
        with db.cursor() as cur:
            existing = store.imported_rows_cursor(cur)
        inserts, updates, unchanged, deleted = _plan(ready, existing)
    else:
        now = clock.now()

        def work(tx: Tx) -> PlanResult:
            inserts, updates, unchanged, deleted = _plan(ready, store.imported_rows(tx))
            if not inserts and not updates:
                return inserts, updates, unchanged, deleted  # an unchanged export is a true no-op
            ids = store.import_insert(tx, inserts, actor.username, now)
            store.import_update(tx, [u for u, _ in updates], actor.username, now)
            audit_rows = [
                (cid, "import", _dumps(guard.diff({}, _audit_fields(row))))
                for cid, row in zip(ids, inserts, strict=True)
            ]
            audit_rows += [(row["id"], "import update", _dumps(changes)) for row, changes in updates]
            store.import_audit(tx, actor.username, audit_rows)
            tx.audit(
                actor.username,
                "import",
                None,
                "have your say import",
                {
                    "file": [None, filename or fmt],
                    "inserted": [None, len(inserts)],
                    "updated": [None, len(updates)],
                    "unchanged": [None, unchanged + deleted],
                },
            )
            return inserts, updates, unchanged, deleted

        inserts, updates, unchanged, deleted = db.write(work)
    report.inserted, report.updated, report.unchanged = len(inserts), len(updates), unchanged + deleted
    if deleted:
        notes.append(f"{deleted:,} consultations deleted here were left deleted.")
    if on_progress:
        on_progress(len(records), len(records))
    return report


def import_file(
    db: Database,
    actor: User,
    path: str | os.PathLike[str],
    *,
    dry_run: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> HaveYourSayReport:
    """:func:`import_export` for a file on disk; a missing or oversized file is refused before reading."""
    p = Path(path).expanduser()
    if not p.is_file():
        raise UnreadableExport(f"There is no file at {p}.")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise UnreadableExport(too_large_message(size))
    return import_export(db, actor, p.read_bytes(), filename=p.name, dry_run=dry_run, on_progress=on_progress)


def _audit_fields(row: dict[str, Any]) -> dict[str, Any]:
    return {
        f: row[f]
        for f in ("title", "authority", "policy_areas", "type", "reference", "url", "opens", "closes", "total_feedback")
    }


def _dumps(changes: dict[str, list[Any]]) -> str:
    return json.dumps(changes, ensure_ascii=False, default=str)
