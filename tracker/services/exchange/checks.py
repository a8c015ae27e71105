"""The checks of an import's new and changed rows: each field through the model's own rules,
the model's cross-field rules, and the rules of particular tables (unique names, one
signature per organisation, stage events in ladder and date order)."""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from tracker.domain import clock
from tracker.domain.enums import Stage
from tracker.domain.errors import FieldError
from tracker.domain.models import User, errors_of
from tracker.store import Tx
from tracker.store import exchange as store

from .cells import Unreadable, norm
from .fields import after_validators, default_of, field_model, nullable
from .plan import (
    FAILED,
    MISSING,
    UNSET,
    Plan,
    distinct,
    field_column,
    field_value,
    stage_label,
)

MAX_AUTHOR = 100


def validate_fields(plan: Plan) -> None:
    """Each field of each new or changed row through the model's own field rules, per distinct value."""
    spec = plan.spec
    model = spec.model
    assert model is not None
    fields = model.model_fields
    headers = {c.field: c.header for c in spec.columns}
    new_rows = set(plan.creates)
    for name in fields:
        plan.final[name] = [UNSET] * plan.n
    if plan.creates:
        missing = [
            name
            for name in [*fields, *spec.key_fields]
            if not plan.has(name) and (name in spec.key_fields or not default_of(model, name)[0])
        ]
        for name in missing:
            plan.errors.append(
                FieldError(headers.get(name, name), "new rows need this column, but the file has none", 1)
            )
            plan.bad.update(plan.creates)
    for col in plan.present:
        name = col.field
        if col.readonly or name not in fields:
            continue
        rows = plan.creates + [r for r in plan.updates if name in plan.changed[r]]
        if not rows:
            continue
        column = plan.values[name]
        out = plan.final[name]
        if col.kind in ("ref", "links"):
            for r in rows:
                if column[r] is not FAILED:
                    out[r] = column[r]
            continue
        one = field_model(model, name)
        can_be_empty = nullable(model, name)

        def check(value: Any, one: type[BaseModel] = one, name: str = name, can_be_empty: bool = can_be_empty) -> Any:
            if value is FAILED:
                return FAILED
            if value is None and not can_be_empty:
                return MISSING
            try:
                return getattr(one.model_validate({name: list(value) if isinstance(value, tuple) else value}), name)
            except ValidationError as exc:
                raise Unreadable("; ".join(e.message for e in errors_of(one, exc))) from None

        checked, failures = distinct([column[r] for r in rows], check, False)
        if len(rows) == plan.n and not failures and MISSING not in checked and FAILED not in checked:
            plan.final[name] = checked  # the common case: every line new and fine
            continue
        has_default = default_of(model, name)[0]
        for k, r in enumerate(rows):
            value = checked[k]
            if k in failures:
                plan.fail(r, col.header, failures[k])
            elif value is MISSING:
                if not (r in new_rows and has_default):
                    plan.fail(r, col.header, "is required")
            elif value is not FAILED:
                out[r] = value
    for key in spec.key_fields:
        if plan.has(key):
            for r in plan.creates:
                if plan.values[key][r] is None:
                    plan.fail(r, headers[key], "is required")


def _fields_read(check: Callable[[Any], Any], model: type[BaseModel]) -> list[str]:
    """The model fields a validator reads (the attribute names its code uses)."""
    code = getattr(check, "__code__", None)
    names = set(code.co_names) if code else set(model.model_fields)
    return [f for f in model.model_fields if f in names]


def cross_check(plan: Plan) -> None:
    """The model's rules that relate several fields (closing after opening, …), once per distinct
    combination of the fields each rule reads."""
    model = plan.spec.model
    assert model is not None
    headers = {c.field: c.header for c in plan.spec.columns}
    rows = [r for r in [*plan.creates, *plan.updates] if r not in plan.bad]
    for check in after_validators(model):
        names = _fields_read(check, model)
        columns = [field_column(plan, rows, f) for f in names]
        outcome: dict[tuple[Any, ...], str | None] = {}
        for k, r in enumerate(rows):
            key = tuple(_hashable(c[k]) for c in columns)
            if key not in outcome:
                try:
                    check(types.SimpleNamespace(**{f: c[k] for f, c in zip(names, columns, strict=True)}))
                    outcome[key] = None
                except ValueError as exc:
                    outcome[key] = str(exc)
            message = outcome[key]
            if message is not None:
                name, _, reason = message.partition(":")
                plan.fail(r, headers.get(name.strip()) or name.strip(), reason.strip() or message)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def table_rules(tx: Tx, plan: Plan) -> None:
    name = plan.spec.name
    ids = plan.values.get("id") or [None] * plan.n
    if name == "organisations":
        existing: dict[str, int] = {}
        for i, org in store.names(tx, "organisations"):
            existing.setdefault(norm(org), i)
        in_file: dict[str, int] = {}
        for r in [*plan.creates, *plan.updates]:
            if r in plan.bad or plan.final["name"][r] is UNSET:
                continue
            name_key = norm(plan.final["name"][r])
            other = existing.get(name_key)
            if other is not None and other != ids[r]:
                plan.fail(
                    r,
                    "Name",
                    f"an organisation with this name exists already (ID {other}); "
                    "put its ID in the ID column to update it",
                )
            elif name_key in in_file:
                plan.fail(r, "Name", f"is also on line {plan.lines[in_file[name_key]]}")
            else:
                in_file[name_key] = r
    elif name == "signatories":
        pairs = store.signatory_pairs(tx)
        seen: dict[tuple[int, int], int] = {}
        for r in [*plan.creates, *plan.updates]:
            if r in plan.bad:
                continue
            jp = plan.values["joint_position_id"][r] if plan.has("joint_position_id") else None
            if jp is None and r in plan.changed:
                jp = plan.current[ids[r]]["joint_position_id"]
            org = field_value(plan, r, "organisation_id")
            if jp is None or org is None:
                continue
            key = (int(jp), int(org))
            other = pairs.get(key)
            if other is not None and other != ids[r]:
                plan.fail(r, "Organisation", f"has signed this joint position already (signatory ID {other})")
            elif key in seen:
                plan.fail(r, "Organisation", f"is also on line {plan.lines[seen[key]]} for this joint position")
            else:
                seen[key] = r


def stage_events(tx: Tx, plan: Plan, actor: User) -> None:
    """New events must climb or descend the ladder in date order, from where each issue stands."""
    today = clock.today()
    rows = [r for r in plan.creates if r not in plan.bad]
    issue_column = plan.values["issue_id"]
    issue_ids = sorted({issue_column[r] for r in rows if issue_column[r] is not None})
    state = store.stage_state(tx, issue_ids)
    headers = {c.field: c.header for c in plan.spec.columns}
    authors = plan.values.get("author", [None] * plan.n)
    froms = plan.values.get("from_stage", [None] * plan.n)
    for r in rows:
        if r in plan.bad:
            continue
        issue = issue_column[r]
        stage, since, archived = state.get(issue, (None, None, False))
        to, when = field_value(plan, r, "to_stage"), field_value(plan, r, "event_date")
        note, ref, url = (field_value(plan, r, f) for f in ("note", "evidence_ref", "evidence_url"))
        author = (authors[r] or actor.username).strip()
        problems: list[tuple[str, str]] = []
        if archived:
            problems.append((headers["issue_id"], "is archived; restore it before moving its stage"))
        if when > today:
            problems.append((headers["event_date"], "cannot be in the future"))
        if since is not None and when < since:
            problems.append(
                (
                    headers["event_date"],
                    f"is before the issue's latest stage event ({since.isoformat()}); add events in date order",
                )
            )
        given_from = froms[r]
        if given_from is not None and (stage is None or Stage(stage) != given_from):
            problems.append(
                (headers["from_stage"], f"the issue is at {stage_label(stage)} at that point, not {given_from.label}")
            )
        if stage is not None and int(to) == int(stage):
            problems.append((headers["to_stage"], f"the issue is already at {Stage(stage).label}"))
        elif stage is not None and int(to) > int(stage) and not (ref or url):
            problems.append((headers["evidence_ref"], "a move up needs evidence (a reference or a link)"))
        elif stage is not None and int(to) < int(stage) and not note:
            problems.append((headers["note"], "a move down needs a reason in the note"))
        if len(author) > MAX_AUTHOR:
            problems.append((headers["author"], f"is too long (at most {MAX_AUTHOR} characters)"))
        if problems:
            for column, message in problems:
                plan.fail(r, column, message)
            continue
        plan.events.append(
            {
                "issue_id": issue,
                "from_stage": None if stage is None else int(stage),
                "to_stage": int(to),
                "event_date": when,
                "author": author,
                "note": note,
                "evidence_ref": ref,
                "evidence_url": url,
            }
        )
        state[issue] = (int(to), when, archived)
