"""Changing one issue: create, edit, move stage, archive and restore.

An issue's current stage is always the stage of its latest event (the ``issue_stage`` view);
moving it means recording an event, never setting a field.
"""

from __future__ import annotations

from typing import Any

from tracker.domain import clock
from tracker.domain.enums import Role, Stage
from tracker.domain.errors import FieldError, InvalidInput
from tracker.domain.models import Issue, IssueInput, StageMove, User, parse
from tracker.store import Database, Tx
from tracker.store import issues as store

from .. import guard, versioned
from .ladder import check_move, review_date_errors, start_date_errors
from .records import ENTITY, INPUT_FIELDS, KIND, committed, db_values, input_of, parse_id, parse_version, to_issue

# What a new issue's first stage event takes besides its stage; ``event_date`` is the day it was
# identified (or reached its starting stage), so an issue worked on for a year starts dated.
CREATE_EVENT_KEYS = ("event_date", "note", "evidence_ref", "evidence_url")


def _initial_stage(data: dict[str, Any]) -> tuple[Stage, dict[str, Any]]:
    """Take the creation-only keys (starting stage and its evidence) out of ``data``."""
    rest = dict(data)
    raw = rest.pop("stage", None)
    extra = {k: rest.pop(k, None) for k in CREATE_EVENT_KEYS}
    stage = Stage.WATCHING
    if raw not in (None, ""):
        try:
            stage = raw if isinstance(raw, Stage) else Stage(int(raw)) if str(raw).isdigit() else Stage.from_label(raw)
        except ValueError:
            raise InvalidInput.one("Starting stage", "must be one of: " + ", ".join(s.label for s in Stage)) from None
    return stage, extra


def create(db: Database, actor: User, data: dict[str, Any]) -> Issue:
    """A new issue and its first stage event (from nothing to the starting stage), dated
    ``event_date`` (today when not given); later moves are recorded on or after that date."""
    guard.require_role(actor, Role.EDITOR)
    stage, extra = _initial_stage(data)
    if extra.get("event_date") in (None, ""):
        extra["event_date"] = clock.today()
    rest = {k: v for k, v in data.items() if k not in ("stage", *CREATE_EVENT_KEYS)}
    errors: list[FieldError] = []
    try:
        model = parse(IssueInput, rest)
        errors += review_date_errors(model.next_review, clock.today())
    except InvalidInput as exc:
        errors += exc.errors
        model = None
    evidence: StageMove | None = None
    try:
        evidence = parse(StageMove, {"to_stage": stage, **extra})
        errors += start_date_errors(evidence.event_date, clock.today())
    except InvalidInput as exc:
        errors += exc.errors
    if evidence is not None and stage > Stage.WATCHING and not (evidence.evidence_ref or evidence.evidence_url):
        errors.append(
            FieldError("Evidence reference", f"starting at {stage.label} needs evidence: a reference or a link")
        )
    if errors:
        raise InvalidInput(errors)
    assert model is not None and evidence is not None
    values = db_values(model)
    now = clock.now()

    def work(tx: Tx) -> Issue:
        row = store.insert(tx, values, actor.username, now)
        issue_id = int(row["id"])
        store.insert_event(
            tx,
            issue_id,
            None,
            int(stage),
            evidence.event_date,
            actor.username,
            evidence.note or "Issue created",
            evidence.evidence_ref,
            evidence.evidence_url,
            now,
        )
        changes = guard.diff({}, {**values, "stage": int(stage)})
        tx.audit(actor.username, ENTITY, issue_id, "create", changes)
        # Its one event is its latest: the stage is the starting stage, since the event's date.
        return to_issue({**row, "stage": int(stage), "stage_since": evidence.event_date})

    return db.write(work)


def update(db: Database, actor: User, issue_id: int, expected_version: int, data: dict[str, Any]) -> Issue:
    """Change some or all fields; refused with EditConflict if the issue changed since ``expected_version``."""
    guard.require_role(actor, Role.EDITOR)
    if "stage" in data:
        raise InvalidInput.one("Current stage", "changes only through “Move to stage…”, with its evidence")
    unknown = sorted(str(k) for k in set(data) - set(INPUT_FIELDS))
    if unknown:
        raise InvalidInput(
            [FieldError(k.replace("_", " ").capitalize(), "is not a field of an issue") for k in unknown]
        )
    issue_id, expected_version = parse_id(issue_id), parse_version(expected_version)
    now = clock.now()

    def work(tx: Tx) -> Issue:
        # One read, inside the transaction. The checks keep their order: a missing issue, then
        # the fields (merged over the stored values), then a stale version, then archived.
        row = versioned.read(tx, KIND, issue_id)
        before_issue = to_issue(row)
        merged = parse(IssueInput, {**input_of(before_issue), **data})
        if "next_review" in data and (wrong := review_date_errors(merged.next_review, clock.today())):
            raise InvalidInput(wrong)
        after = db_values(merged)
        versioned.check(tx, KIND, issue_id, row, expected_version)
        if before_issue.archived_at is not None:
            raise InvalidInput.one("Issue", "is archived; restore it before editing")
        before = db_values(before_issue)
        changed = {k: v for k, v in after.items() if guard.diff({k: before[k]}, {k: v})}
        if not changed:
            return before_issue
        stamp = versioned.save(
            tx, KIND, issue_id, expected_version, changed, actor=actor.username, at=now, before=before
        )
        return committed(row, stamp, changed)

    return db.write(work, read_first=True)


def move_stage(db: Database, actor: User, issue_id: int, expected_version: int, data: dict[str, Any]) -> Issue:
    """Record a stage event (``StageMove`` keys; the date defaults to today) and bump the issue's version."""
    guard.require_role(actor, Role.EDITOR)
    issue_id, expected_version = parse_id(issue_id), parse_version(expected_version)
    payload = dict(data)
    if payload.get("event_date") in (None, ""):
        payload["event_date"] = clock.today()
    raw_stage = payload.get("to_stage")
    if isinstance(raw_stage, str) and not raw_stage.strip().isdigit():
        try:
            payload["to_stage"] = Stage.from_label(raw_stage)
        except ValueError:
            raise InvalidInput.one("New stage", "must be one of: " + ", ".join(s.label for s in Stage)) from None
    move = parse(StageMove, payload)
    now = clock.now()
    today = clock.today()

    def change(tx: Tx, row: dict[str, Any]) -> Issue:
        if row["archived_at"] is not None:
            raise InvalidInput.one("Issue", "is archived; restore it before moving it")
        # The view's stage is the latest event's (by date, then id) and stage_since is that
        # event's date (the latest date); an issue without events is at Watching since never.
        current, last_date = Stage(row["stage"]), row["stage_since"]
        errors = check_move(current, last_date, move, today)
        if errors:
            raise InvalidInput(errors)
        stamp = versioned.save(tx, KIND, issue_id, expected_version, {}, actor=actor.username, at=now)
        event_id = store.insert_event(
            tx,
            issue_id,
            int(current),
            int(move.to_stage),
            move.event_date,
            actor.username,
            move.note,
            move.evidence_ref,
            move.evidence_url,
            now,
        )
        changes: dict[str, list[Any]] = {"stage": [int(current), int(move.to_stage)]}
        changes |= guard.diff(
            {},
            {
                "event_date": move.event_date,
                "note": move.note,
                "evidence_ref": move.evidence_ref,
                "evidence_url": move.evidence_url,
                "event_id": event_id,
            },
        )
        tx.audit(actor.username, ENTITY, issue_id, "stage", changes)
        # check_move refused any date before the latest event's, and the new event's id comes
        # from the sequence (above every existing id), so the new event is the latest one.
        return committed(row, stamp, {"stage": int(move.to_stage), "stage_since": move.event_date})

    return versioned.edit(db, KIND, issue_id, expected_version, change, read_first=True)


def _set_archived(db: Database, actor: User, issue_id: int, expected_version: int, archive: bool) -> Issue:
    guard.require_role(actor, Role.EDITOR)
    issue_id, expected_version = parse_id(issue_id), parse_version(expected_version)
    now = clock.now()

    def change(tx: Tx, row: dict[str, Any]) -> Issue:
        if (row["archived_at"] is not None) == archive:
            raise InvalidInput.one("Issue", "is already archived" if archive else "is not archived")
        archived_at = now if archive else None
        values = {"archived_at": archived_at}
        stamp = versioned.save(tx, KIND, issue_id, expected_version, values, actor=actor.username, at=now)
        tx.audit(
            actor.username, ENTITY, issue_id, "archive" if archive else "restore", {"archived": [not archive, archive]}
        )
        return committed(row, stamp, values)

    return versioned.edit(db, KIND, issue_id, expected_version, change, read_first=True)


def archive(db: Database, actor: User, issue_id: int, expected_version: int) -> Issue:
    """Hide the issue from lists and charts; its history stays."""
    return _set_archived(db, actor, issue_id, expected_version, True)


def restore(db: Database, actor: User, issue_id: int, expected_version: int) -> Issue:
    return _set_archived(db, actor, issue_id, expected_version, False)
