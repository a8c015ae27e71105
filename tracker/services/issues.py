"""Policy issues and the influence ladder: create, edit, move stage, archive, search, bulk.

An issue's current stage is always the stage of its latest event (the ``issue_stage`` view);
moving it means recording an event, never setting a field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any, Literal

import pandas as pd
from pydantic import Field, field_validator

from tracker.domain import clock
from tracker.domain.enums import Level, Lifecycle, Priority, Role, Stage
from tracker.domain.errors import FieldError, InvalidInput, NotFound
from tracker.domain.models import Issue, IssueInput, Model, OptLine, StageMove, User, parse
from tracker.store import Database, Tx
from tracker.store import audit as audit_store
from tracker.store import issues as store
from tracker.store import users as users_store

from . import guard, versioned

ENTITY = "issue"
INPUT_FIELDS = tuple(IssueInput.model_fields)
MAX_BULK = 5_000


MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1


def _number(value: Any, field: str, upper: int) -> int:
    """A positive whole number within the column's range, or a field error (never a database error)."""
    if isinstance(value, bool):
        raise InvalidInput.one(field, "is not a number")
    try:
        number = int(str(value).strip()) if isinstance(value, str) else int(value)
    except (TypeError, ValueError, OverflowError):
        raise InvalidInput.one(field, "is not a number") from None
    if isinstance(value, float) and value != number:
        raise InvalidInput.one(field, "is not a whole number")
    if not 0 < number <= upper:
        raise InvalidInput.one(field, "is out of range")
    return number


def _issue_id(value: Any) -> int:
    try:
        return _number(value, "Issue", MAX_ID)
    except InvalidInput:
        raise NotFound(f"Issue {str(value)[:40]} does not exist.") from None


def _version(value: Any) -> int:
    return _number(value, "Version", MAX_VERSION)


# ------------------------------------------------------------------ conversions


def _db_value(v: Any) -> Any:
    if isinstance(v, Enum):
        return v.value
    if isinstance(v, list):
        return list(v)
    return v


def _db_values(model: IssueInput) -> dict[str, Any]:
    return {name: _db_value(getattr(model, name)) for name in INPUT_FIELDS}


def _to_issue(row: dict[str, Any]) -> Issue:
    data = {k: v for k, v in row.items() if k != "stage_since"}
    return Issue.model_validate(data)


def _input_of(issue: Issue) -> dict[str, Any]:
    return {name: getattr(issue, name) for name in INPUT_FIELDS}


def current_values(issue: Issue) -> dict[str, Any]:
    """The issue's user fields plus stage and version, JSON-friendly (for conflicts and exports)."""
    out = {k: guard._norm(v) for k, v in _input_of(issue).items()}
    out["stage"] = int(issue.stage)
    out["version"] = issue.version
    out["archived"] = issue.archived_at is not None
    return out


# ------------------------------------------------------------------ reading


def get(db: Database, issue_id: int) -> Issue:
    issue_id = _issue_id(issue_id)
    row = store.get(db, issue_id)
    if row is None:
        raise NotFound(f"Issue {issue_id} does not exist.")
    return _to_issue(row)


def find(db: Database, issue_id: int) -> Issue | None:
    try:
        return get(db, issue_id)
    except NotFound:
        return None


def events(db: Database, issue_id: int) -> list[dict[str, Any]]:
    """Stage events, newest first."""
    return store.events(db, issue_id)


def stage_since(db: Database, issue_id: int) -> dt.date | None:
    row = store.get(db, issue_id)
    return row["stage_since"] if row else None


def timeline(db: Database, issue_id: int) -> pd.DataFrame:
    """Stage events and activities merged, newest first."""
    rows = store.timeline(db, issue_id)
    return pd.DataFrame(rows, columns=list(store.TIMELINE_COLUMNS))


def linked_consultations(db: Database, issue_id: int) -> list[dict[str, Any]]:
    return store.linked_consultations(db, issue_id)


def linked_positions(db: Database, issue_id: int) -> list[dict[str, Any]]:
    return store.linked_positions(db, issue_id)


def history(db: Database, issue_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """Audit entries for the issue, newest first: at, actor, action, changes (field → [before, after])."""
    return audit_store.history(db, ENTITY, issue_id, limit)


def choices(db: Database) -> list[tuple[int, str]]:
    """(id, title) of every issue that is not archived, by title."""
    return store.choices(db)


def tags_in_use(db: Database) -> list[str]:
    return store.tags_in_use(db)


def areas_in_use(db: Database) -> list[str]:
    return store.areas_in_use(db)


def owners_in_use(db: Database) -> list[str]:
    return store.owners_in_use(db)


def people(db: Database) -> dict[str, str]:
    """User name → display name, to show owners, authors and editors as people know them."""
    return users_store.display_names(db)


# ------------------------------------------------------------------ search

SortKey = Literal["updated", "title", "stage", "next_review", "priority", "relevance", "owner", "stage_since", "id"]
SORT_LABELS: dict[str, str] = {
    "updated": "Last changed",
    "title": "Title",
    "stage": "Stage",
    "next_review": "Next review",
    "priority": "Priority",
    "relevance": "Member relevance",
    "owner": "Owner",
    "stage_since": "On this stage since",
    "id": "Number",
}


class IssueQuery(Model):
    """A search over issues: text, filters, sort. Every field is optional."""

    text: OptLine = Field(None, max_length=200, title="Search")
    stages: list[Stage] = Field(default_factory=list, title="Stage")
    lifecycles: list[Lifecycle] = Field(default_factory=list, title="Lifecycle status")
    areas: list[str] = Field(default_factory=list, title="Policy area")
    levels: list[Level] = Field(default_factory=list, title="Level")
    owners: list[str] = Field(default_factory=list, title="Owner")
    priorities: list[Priority] = Field(default_factory=list, title="Priority")
    tags: list[str] = Field(default_factory=list, title="Tag")
    review_due: bool = Field(False, title="Review due")
    archived: Literal["exclude", "include", "only"] = Field("exclude", title="Archived issues")
    ids: list[int] | None = Field(None, title="Issues")
    sort: SortKey = Field("updated", title="Sort by")
    descending: bool = Field(True, title="Descending")
    limit: int = Field(10_000, ge=1, le=100_000, title="Limit")

    @field_validator("stages", mode="before")
    @classmethod
    def _stages(cls, v: Any) -> Any:
        if v is None:
            return []
        return [Stage.from_label(x) if isinstance(x, str) and not x.isdigit() else x for x in v]

    def filters(self) -> store.Filters:
        return store.Filters(
            text=self.text,
            stages=[int(s) for s in self.stages],
            lifecycles=[x.value for x in self.lifecycles],
            areas=list(self.areas),
            levels=[x.value for x in self.levels],
            owners=list(self.owners),
            priorities=[x.value for x in self.priorities],
            tags=list(self.tags),
            review_due_by=clock.today() if self.review_due else None,
            archived=self.archived,
            ids=self.ids,
        )


def _query(query: IssueQuery | dict[str, Any] | None) -> IssueQuery:
    if query is None:
        return IssueQuery()
    if isinstance(query, IssueQuery):
        return query
    return parse(IssueQuery, query)


def search(db: Database, query: IssueQuery | dict[str, Any] | None = None) -> pd.DataFrame:
    """Matching issues, one row each (columns ``store.LIST_COLUMNS``; stage as its number)."""
    q = _query(query)
    df = store.search(db, q.filters(), q.sort, q.descending, q.limit)
    df["tags"] = df["tags"].map(lambda t: list(t) if t is not None else [])
    return df


def counts(db: Database, query: IssueQuery | dict[str, Any] | None = None) -> dict[str, Any]:
    """Totals of the matching set: ``total``, ``by_stage`` {stage: n}, ``by_lifecycle`` {code: n},
    and ``review_due`` (matching issues whose review date has come)."""
    q = _query(query)
    out = store.counts(db, q.filters())
    due = store.counts(db, q.model_copy(update={"review_due": True}).filters())
    out["review_due"] = due["total"]
    return out


# ------------------------------------------------------------------ writes


def _row(tx: Tx, issue_id: int) -> dict[str, Any] | None:
    """The issue's stored row (with ``stage`` and ``stage_since``) as this transaction sees it.

    A write reads its issue once, here, inside its transaction (before the write lock: the
    writes run with ``read_first``); the Issue it returns is this row plus what the write
    stored (see :func:`_after`), never a second read.
    """
    return store.get_tx(tx, issue_id)


KIND = versioned.Kind("issues", "issue", _row, lambda row: current_values(_to_issue(row)), "Issue {id} does not exist.")


def _after(row: dict[str, Any], stamp: dict[str, Any], changes: dict[str, Any] | None = None) -> Issue:
    """The issue as it is once this transaction commits: the row read at its start, the
    values it changed and the stamp of its version-checked statement."""
    return _to_issue({**row, **(changes or {}), **stamp})


# What a new issue's first stage event takes besides its stage; ``event_date`` is the day it was
# identified (or reached its starting stage), so an issue worked on for a year starts dated.
CREATE_EVENT_KEYS = ("event_date", "note", "evidence_ref", "evidence_url")
HISTORY_FROM = dt.date(2000, 1, 1)


def start_date_errors(day: dt.date, today: dt.date) -> list[FieldError]:
    """A new issue's first event may be dated in the past (its history), never in the future."""
    if HISTORY_FROM <= day <= today:
        return []
    return [
        FieldError("Date", f"must be between {clock.format_date(HISTORY_FROM)} and today, {clock.format_date(today)}")
    ]


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
    values = _db_values(model)
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
        return _to_issue({**row, "stage": int(stage), "stage_since": evidence.event_date})

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
    issue_id, expected_version = _issue_id(issue_id), _version(expected_version)
    now = clock.now()

    def work(tx: Tx) -> Issue:
        # One read, inside the transaction. The checks keep their order: a missing issue, then
        # the fields (merged over the stored values), then a stale version, then archived.
        row = versioned.read(tx, KIND, issue_id)
        before_issue = _to_issue(row)
        merged = parse(IssueInput, {**_input_of(before_issue), **data})
        if "next_review" in data and (wrong := review_date_errors(merged.next_review, clock.today())):
            raise InvalidInput(wrong)
        after = _db_values(merged)
        versioned.check(tx, KIND, issue_id, row, expected_version)
        if before_issue.archived_at is not None:
            raise InvalidInput.one("Issue", "is archived; restore it before editing")
        before = _db_values(before_issue)
        changed = {k: v for k, v in after.items() if guard.diff({k: before[k]}, {k: v})}
        if not changed:
            return before_issue
        stamp = versioned.save(
            tx, KIND, issue_id, expected_version, changed, actor=actor.username, at=now, before=before
        )
        return _after(row, stamp, changed)

    return db.write(work, read_first=True)


def move_date_range(last_date: dt.date | None, today: dt.date) -> str:
    """The dates a stage change may take, in words: from the previous change to today."""
    if last_date is None:
        return f"must be today ({clock.format_date(today)}) or earlier"
    return (
        f"must be between {clock.format_date(last_date)} (the previous stage change) "
        f"and today, {clock.format_date(today)}"
    )


REVIEW_FROM = dt.date(2000, 1, 1)
REVIEW_YEARS_AHEAD = 10


def review_date_errors(day: dt.date | None, today: dt.date) -> list[FieldError]:
    """A next review date must be plausible: a typo like 2090 is refused, never stored."""
    if day is None:
        return []
    latest = _years_after(today, REVIEW_YEARS_AHEAD)
    if REVIEW_FROM <= day <= latest:
        return []
    return [
        FieldError("Next review", f"must be between {clock.format_date(REVIEW_FROM)} and {clock.format_date(latest)}")
    ]


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check_move(current: Stage, last_date: dt.date | None, move: StageMove, today: dt.date) -> list[FieldError]:
    """The ladder's rules for one move; an empty list means allowed."""
    errors: list[FieldError] = []
    if move.to_stage == current:
        errors.append(FieldError("New stage", f"the issue is already at {current.label}"))
    if move.event_date > today or (last_date is not None and move.event_date < last_date):
        errors.append(FieldError("Date", move_date_range(last_date, today)))
    if move.to_stage > current and not (move.evidence_ref or move.evidence_url):
        errors.append(
            FieldError("Evidence reference", "a move up the ladder needs evidence: a reference or a link (or both)")
        )
    if move.to_stage < current and not move.note:
        errors.append(FieldError("Note", "a move down the ladder needs the reason"))
    return errors


def move_stage(db: Database, actor: User, issue_id: int, expected_version: int, data: dict[str, Any]) -> Issue:
    """Record a stage event (``StageMove`` keys; the date defaults to today) and bump the issue's version."""
    guard.require_role(actor, Role.EDITOR)
    issue_id, expected_version = _issue_id(issue_id), _version(expected_version)
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
        return _after(row, stamp, {"stage": int(move.to_stage), "stage_since": move.event_date})

    return versioned.edit(db, KIND, issue_id, expected_version, change, read_first=True)


def _set_archived(db: Database, actor: User, issue_id: int, expected_version: int, archive: bool) -> Issue:
    guard.require_role(actor, Role.EDITOR)
    issue_id, expected_version = _issue_id(issue_id), _version(expected_version)
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
        return _after(row, stamp, values)

    return versioned.edit(db, KIND, issue_id, expected_version, change, read_first=True)


def archive(db: Database, actor: User, issue_id: int, expected_version: int) -> Issue:
    """Hide the issue from lists and charts; its history stays."""
    return _set_archived(db, actor, issue_id, expected_version, True)


def restore(db: Database, actor: User, issue_id: int, expected_version: int) -> Issue:
    return _set_archived(db, actor, issue_id, expected_version, False)


# ------------------------------------------------------------------ bulk actions


def _bulk(
    db: Database,
    actor: User,
    items: Iterable[tuple[int, int]],
    change: Callable[[Issue], dict[str, Any]],
    action: str,
) -> list[Issue]:
    """Apply ``change`` (issue → new field values) to every (id, version) pair in one transaction.

    Any stale version refuses the whole batch with an EditConflict naming that issue.
    """
    guard.require_role(actor, Role.EDITOR)
    try:
        pairs = [(_issue_id(i), _version(v)) for i, v in items]
    except (NotFound, TypeError, ValueError):
        raise InvalidInput.one("Issues", "the selection is not a list of issues and their versions") from None
    if not pairs:
        raise InvalidInput.one("Issues", "select at least one issue")
    if len(pairs) > MAX_BULK:
        raise InvalidInput.one("Issues", f"at most {MAX_BULK:,} issues at once")
    if len({i for i, _ in pairs}) != len(pairs):
        raise InvalidInput.one("Issues", "an issue is selected twice")
    now = clock.now()

    def work(tx: Tx) -> list[Issue]:
        out: list[Issue] = []
        for issue_id, version in pairs:
            row = versioned.load(tx, KIND, issue_id, version)
            issue = _to_issue(row)
            if issue.archived_at is not None:
                raise InvalidInput.one("Issues", f"issue {issue_id} is archived; restore it first")
            before = _db_values(issue)
            model = parse(IssueInput, {**_input_of(issue), **change(issue)})
            after = _db_values(model)
            changed = {k: v for k, v in after.items() if guard.diff({k: before[k]}, {k: v})}
            if not changed:
                out.append(issue)
                continue
            stamp = versioned.save(
                tx, KIND, issue_id, version, changed, actor=actor.username, at=now, action=action, before=before
            )
            out.append(_after(row, stamp, changed))
        return out

    return db.write(work)


def bulk_reassign(db: Database, actor: User, items: Iterable[tuple[int, int]], owner: str | None) -> list[Issue]:
    """Give every selected issue to ``owner`` (None: no owner)."""
    return _bulk(db, actor, items, lambda _i: {"owner": owner}, "bulk reassign")


def bulk_set_review(db: Database, actor: User, items: Iterable[tuple[int, int]], day: dt.date | None) -> list[Issue]:
    """Set the next review date of every selected issue (None clears it)."""
    if isinstance(day, dt.date) and (wrong := review_date_errors(day, clock.today())):
        raise InvalidInput(wrong)
    return _bulk(db, actor, items, lambda _i: {"next_review": day}, "bulk review date")


def bulk_add_tag(db: Database, actor: User, items: Iterable[tuple[int, int]], tag: str) -> list[Issue]:
    """Add ``tag`` to every selected issue that lacks it."""
    if not isinstance(tag, str) or not tag.strip():
        raise InvalidInput.one("Tag", "is required")
    return _bulk(db, actor, items, lambda i: {"tags": [*i.tags, tag]}, "bulk add tag")
