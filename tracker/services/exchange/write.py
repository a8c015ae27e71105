"""Writing a checked import: set-wise, in the one transaction, with an audit entry per changed
row and one for the import."""

from __future__ import annotations

import json
from collections import defaultdict
from enum import Enum
from typing import Any

from tracker.domain import clock
from tracker.domain.enums import Stage
from tracker.domain.errors import ImportReport
from tracker.domain.models import User
from tracker.services import guard
from tracker.store import Tx
from tracker.store import exchange as store
from tracker.store.bulk import next_ids

from .plan import (
    Plan,
    field_column,
    field_value,
    stored_form,
)


def _db_value(value: Any) -> Any:
    if isinstance(value, Stage):
        return int(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    return value


def _db_column(values: list[Any]) -> list[Any]:
    sample = next((v for v in values if v is not None), None)
    if isinstance(sample, (Enum, tuple)):
        return [_db_value(v) for v in values]
    return values


class _Audit:
    """The audit rows of one import, written together at the end."""

    def __init__(self, actor: User) -> None:
        self.by = actor.username
        self.now = clock.now()
        self.columns: dict[str, list[Any]] = defaultdict(list)

    def add(self, entity: str, entity_id: int | None, action: str, changes: dict[str, Any]) -> None:
        self.columns["at"].append(self.now)
        self.columns["actor"].append(self.by)
        self.columns["entity"].append(entity)
        self.columns["entity_id"].append(entity_id)
        self.columns["action"].append(action)
        self.columns["changes"].append(json.dumps(changes, ensure_ascii=False, default=str))


def write_plan(tx: Tx, plan: Plan, actor: User, file_label: str) -> ImportReport:
    """Write what the checked plan creates and updates; the counts."""
    spec = plan.spec
    audit = _Audit(actor)
    inserted = updated = 0
    if spec.name == "stage_events":
        inserted = _write_events(tx, plan, audit)
    else:
        if plan.creates:
            inserted = _insert(tx, plan, audit)
        if plan.updates:
            updated = _update(tx, plan, audit)
    if not (inserted or updated):
        return ImportReport(unchanged=plan.unchanged)
    audit.add(
        "import",
        None,
        "import",
        {
            "table": [None, spec.name],
            "file": [None, file_label],
            "inserted": [None, inserted],
            "updated": [None, updated],
        },
    )
    store.write_audit(tx, audit.columns)
    return ImportReport(inserted=inserted, updated=updated, unchanged=plan.unchanged)


def _write_events(tx: Tx, plan: Plan, audit: _Audit) -> int:
    events = plan.events
    if events:
        ids = next_ids(tx, "stage_events", len(events))
        store.insert_rows(tx, "stage_events", {"id": ids, **{k: [e[k] for e in events] for k in events[0]}})
        store.touch_issues(tx, sorted({e["issue_id"] for e in events}), at=audit.now, by=audit.by)
    for e in events:
        audit.add(
            "issue",
            e["issue_id"],
            "stage",
            {"stage": [e["from_stage"], e["to_stage"]], "event_date": [None, e["event_date"].isoformat()]},
        )
    return len(events)


def _fields(plan: Plan) -> tuple[list[str], dict[str, Any]]:
    """The model's fields stored in the table itself, and those stored as links."""
    model = plan.spec.model
    assert model is not None
    links = store.LINK_TABLES.get(plan.spec.name, {})
    return [f for f in model.model_fields if f not in links], links


def _insert(tx: Tx, plan: Plan, audit: _Audit) -> int:
    spec, rows = plan.spec, plan.creates
    table_fields, links = _fields(plan)
    ids = next_ids(tx, spec.name, len(rows))
    cols: dict[str, list[Any]] = {"id": ids}
    for f in table_fields:
        cols[f] = _db_column(field_column(plan, rows, f))
    for f in spec.key_fields:
        cols[f] = [plan.values[f][r] for r in rows]
    if spec.name in ("issues", "activities"):
        cols["created_by"] = [audit.by] * len(ids)
    store.insert_rows(tx, spec.name, cols)
    for f in links:
        store.replace_links(tx, spec.name, f, ids, field_column(plan, rows, f), new=True)
    if spec.name == "issues":
        _first_stages(tx, plan, ids, audit.by)
    store.audit_created(
        tx, spec.name, spec.entity, ids, [*table_fields, *spec.key_fields], list(links), at=audit.now, by=audit.by
    )
    return len(ids)


def _first_stages(tx: Tx, plan: Plan, ids: list[int], by: str) -> None:
    """A new issue's first stage event: the file's Current stage, else Watching."""
    stages = plan.values.get("stage", [None] * plan.n)
    store.insert_rows(
        tx,
        "stage_events",
        {
            "id": next_ids(tx, "stage_events", len(ids)),
            "issue_id": ids,
            "from_stage": [None] * len(ids),
            "to_stage": [int(stages[r]) if stages[r] is not None else int(Stage.WATCHING) for r in plan.creates],
            "event_date": [clock.today()] * len(ids),
            "author": [by] * len(ids),
            "note": ["Stage recorded when the issue was imported."] * len(ids),
        },
    )


def _update(tx: Tx, plan: Plan, audit: _Audit) -> int:
    spec, rows = plan.spec, plan.updates
    _, links = _fields(plan)
    ids = [plan.values["id"][r] for r in rows]
    cols: dict[str, list[Any]] = {"id": ids}
    for f in sorted(store.UPDATABLE[spec.name]):
        if f in spec.key_fields:
            cols[f] = [
                plan.values[f][r] if plan.has(f) and plan.values[f][r] is not None else plan.current[i][f]
                for r, i in zip(rows, ids, strict=True)
            ]
        else:
            cols[f] = _db_column(field_column(plan, rows, f))
    done = store.update_rows(tx, spec.name, cols, [plan.current[i]["version"] for i in ids], at=audit.now, by=audit.by)
    if len(done) != len(ids):
        missed = next(i for i in ids if i not in set(done))
        raise guard.conflict(spec.entity, missed, None)
    for f in links:
        changed = [k for k, r in enumerate(rows) if f in plan.changed[r]]
        store.replace_links(
            tx, spec.name, f, [ids[k] for k in changed], [field_value(plan, rows[k], f) for k in changed]
        )
    for r, i in zip(rows, ids, strict=True):
        before = plan.current[i]
        changes = {}
        for f in plan.changed[r]:
            old = stored_form(spec.col(f), before.get(f))
            new = field_value(plan, r, f) if f in plan.final else plan.values[f][r]
            changes[f] = [_json(old), _json(new)]
        audit.add(spec.entity, i, "update", changes)
    return len(ids)


def _json(value: Any) -> Any:
    if isinstance(value, tuple):
        value = list(value)
    return guard._norm(value)
