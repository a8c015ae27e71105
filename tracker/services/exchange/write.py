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


def write_plan(tx: Tx, plan: Plan, actor: User, file_label: str) -> ImportReport:
    spec = plan.spec
    now = clock.now()
    audit: dict[str, list[Any]] = defaultdict(list)

    def audit_row(entity: str, entity_id: int | None, action: str, changes: dict[str, Any]) -> None:
        audit["at"].append(now)
        audit["actor"].append(actor.username)
        audit["entity"].append(entity)
        audit["entity_id"].append(entity_id)
        audit["action"].append(action)
        audit["changes"].append(json.dumps(changes, ensure_ascii=False, default=str))

    inserted = updated = 0
    if spec.name == "stage_events":
        events = plan.events
        if events:
            ids = next_ids(tx, "stage_events", len(events))
            store.insert_rows(tx, "stage_events", {"id": ids, **{k: [e[k] for e in events] for k in events[0]}})
            store.touch_issues(tx, sorted({e["issue_id"] for e in events}), at=now, by=actor.username)
        for e in events:
            audit_row(
                "issue",
                e["issue_id"],
                "stage",
                {"stage": [e["from_stage"], e["to_stage"]], "event_date": [None, e["event_date"].isoformat()]},
            )
        inserted = len(events)
    else:
        model = spec.model
        assert model is not None
        links = store.LINK_TABLES.get(spec.name, {})
        table_fields = [f for f in model.model_fields if f not in links]
        if plan.creates:
            rows = plan.creates
            ids = next_ids(tx, spec.name, len(rows))
            cols: dict[str, list[Any]] = {"id": ids}
            for f in table_fields:
                cols[f] = _db_column(field_column(plan, rows, f))
            for f in spec.key_fields:
                cols[f] = [plan.values[f][r] for r in rows]
            if spec.name in ("issues", "activities"):
                cols["created_by"] = [actor.username] * len(ids)
            store.insert_rows(tx, spec.name, cols)
            for f in links:
                store.replace_links(tx, spec.name, f, ids, field_column(plan, rows, f), new=True)
            if spec.name == "issues":
                stages = plan.values.get("stage", [None] * plan.n)
                store.insert_rows(
                    tx,
                    "stage_events",
                    {
                        "id": next_ids(tx, "stage_events", len(ids)),
                        "issue_id": ids,
                        "from_stage": [None] * len(ids),
                        "to_stage": [int(stages[r]) if stages[r] is not None else int(Stage.WATCHING) for r in rows],
                        "event_date": [clock.today()] * len(ids),
                        "author": [actor.username] * len(ids),
                        "note": ["Stage recorded when the issue was imported."] * len(ids),
                    },
                )
            store.audit_created(
                tx,
                spec.name,
                spec.entity,
                ids,
                [*table_fields, *spec.key_fields],
                list(links),
                at=now,
                by=actor.username,
            )
            inserted = len(ids)
        if plan.updates:
            rows = plan.updates
            ids = [plan.values["id"][r] for r in rows]
            cols = {"id": ids}
            for f in sorted(store.UPDATABLE[spec.name]):
                if f in spec.key_fields:
                    cols[f] = [
                        plan.values[f][r] if plan.has(f) and plan.values[f][r] is not None else plan.current[i][f]
                        for r, i in zip(rows, ids, strict=True)
                    ]
                else:
                    cols[f] = _db_column(field_column(plan, rows, f))
            done = store.update_rows(
                tx, spec.name, cols, [plan.current[i]["version"] for i in ids], at=now, by=actor.username
            )
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
                audit_row(spec.entity, i, "update", changes)
            updated = len(ids)
    if not (inserted or updated):
        return ImportReport(unchanged=plan.unchanged)
    audit_row(
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
    store.write_audit(tx, audit)
    return ImportReport(inserted=inserted, updated=updated, unchanged=plan.unchanged)


def _json(value: Any) -> Any:
    if isinstance(value, tuple):
        value = list(value)
    return guard._norm(value)
