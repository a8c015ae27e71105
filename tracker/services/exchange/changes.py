"""Matching an import to the stored rows: references resolved to ids, and each line with an
ID compared with its row (what it changes, whether its version is still current)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from tracker.domain import clock
from tracker.store import Tx
from tracker.store import exchange as store

from .cells import Resolver, Unreadable
from .plan import (
    FAILED,
    NO_LINKS,
    Plan,
    distinct,
    stage_label,
    stored_form,
)


def resolve_references(tx: Tx, plan: Plan) -> None:
    """Reference cells ("12: name", "12", "name"; several joined by ";") to ids, once per distinct cell."""
    resolvers: dict[str, Resolver] = {}
    for col in plan.present:
        if col.readonly or col.kind not in ("ref", "links"):
            continue
        assert col.target is not None
        if col.target not in resolvers:
            resolvers[col.target] = Resolver(col.target, store.names(tx, col.target))
        res = resolvers[col.target]
        many = col.kind == "links"

        def resolve(text: Any, res: Resolver = res, many: bool = many) -> Any:
            if text is FAILED:
                return FAILED
            if text is None:
                return NO_LINKS if many else None
            if many:
                ids, problems = res.many(text)
                if problems:
                    raise Unreadable("; ".join(problems))
                return tuple(ids)
            return res.one(text)

        out, failures = distinct(plan.values[col.field], resolve, False)
        for r, message in failures.items():
            plan.fail(r, col.header, message)
        plan.values[col.field] = out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        try:
            return Decimal(str(a)) == Decimal(str(b))
        except InvalidOperation:
            return False
    return bool(a == b)


def classify(tx: Tx, plan: Plan) -> None:
    """Each line a create, an update (changed, version current) or unchanged; refuse the rest."""
    spec = plan.spec
    ids = plan.values.get("id") or [None] * plan.n
    first_line = _first_lines(plan, ids)
    wanted = list(first_line)
    names, rows = store.export_rows(tx, spec.name, wanted, mode="ids") if wanted else ([], [])
    plan.current = {int(row[0]): dict(zip(names, row, strict=True)) for row in rows}
    deleted = store.deleted_ids(tx, spec.name, [i for i in wanted if i not in plan.current])
    changes = _changed_fields(plan, ids, first_line)
    stale: list[int] = []
    for r, i in enumerate(ids):
        if i is FAILED:
            continue
        if i is None:
            plan.creates.append(r)
        elif first_line.get(i) != r:
            continue
        elif i not in plan.current:
            why = "was deleted" if i in deleted else "does not exist (it may have been deleted)"
            plan.fail(r, "ID", f"{spec.entity.replace('_', ' ')} {i} {why}; clear the ID to add the line as new")
        elif r not in plan.bad and _existing_line(plan, r, changes.get(r, [])):
            stale.append(r)
    if stale:
        _refuse_stale(tx, plan, stale)


def _first_lines(plan: Plan, ids: Sequence[Any]) -> dict[int, int]:
    """The row each ID is first on; a repeated ID is refused."""
    first_line: dict[int, int] = {}
    for r, i in enumerate(ids):
        if i is None or i is FAILED:
            continue
        if i in first_line:
            plan.fail(r, "ID", f"ID {i} is also on line {plan.lines[first_line[i]]}; each row once")
            continue
        first_line[i] = r
    return first_line


def _changed_fields(plan: Plan, ids: Sequence[Any], first_line: dict[int, int]) -> dict[int, list[str]]:
    """Column by column: what each existing line changes (codes compare equal to their enums)."""
    current = plan.current
    existing = [
        r
        for r, i in enumerate(ids)
        if i is not None and i is not FAILED and first_line.get(i) == r and i in current and r not in plan.bad
    ]
    changes: dict[int, list[str]] = defaultdict(list)
    for c in plan.present:
        if c.readonly or c.kind in ("id", "version"):
            continue
        column = plan.values[c.field]
        stored = [current[ids[r]].get(c.field) for r in existing]
        if c.kind in ("list", "links", "decimal"):
            stored = [stored_form(c, v) for v in stored]
        for r, new, old in zip(existing, [column[r] for r in existing], stored, strict=True):
            if new != old and not _same(new, stored_form(c, old)):
                changes[r].append(c.field)
    return changes


def _existing_line(plan: Plan, r: int, changed: list[str]) -> bool:
    """Plan the update of a line with a stored row (or refuse it); True if its version is stale."""
    spec = plan.spec
    row = plan.current[plan.values["id"][r]]
    versions = plan.values.get("version")
    if spec.name == "issues" and "stage" in changed:
        if plan.values["stage"][r] is not None:
            plan.fail(
                r,
                "Current stage",
                f"is {stage_label(row.get('stage'))} in the tracker; change stages with a stage event "
                "(the issue page, or an import of stage events), not here",
            )
            return False
        changed.remove("stage")
    if not changed:
        plan.unchanged += 1
    elif spec.name == "stage_events":
        plan.fail(
            r, "ID", "stage events are history and cannot be changed; add a new line without an ID to move the issue"
        )
    elif versions is None:
        plan.fail(r, "Version", "the file has no Version column; export again to update existing rows")
    elif versions[r] is None:
        plan.fail(r, "Version", "is needed to update an existing row; export again")
    elif versions[r] != row["version"]:
        return True
    else:
        plan.changed[r] = changed
        plan.updates.append(r)
    return False


def _refuse_stale(tx: Tx, plan: Plan, stale: list[int]) -> None:
    """Lines whose row was saved since the export: who changed it, and when."""
    spec = plan.spec
    ids, versions = plan.values["id"], plan.values["version"]
    last = store.latest_changes(tx, spec.entity, [ids[r] for r in stale])
    for r in stale:
        who, when = last.get(ids[r], (None, None))
        by = f" by {who}" if who else ""
        at = f" at {clock.format_timestamp(when)}" if when else ""
        plan.fail(
            r,
            "Version",
            f"this {spec.entity.replace('_', ' ')} was changed{by}{at} after the file was exported "
            f"(version {versions[r]} in the file, {plan.current[ids[r]]['version']} now); "
            "export again and reapply your changes",
        )
