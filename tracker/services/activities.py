"""The activity log: quick entry with effort and funding, the filtered log, follow-ups due."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import Field

from tracker.domain import clock
from tracker.domain.enums import INFLUENCING_ACTIVITY_TYPES, ReferenceKind, Role
from tracker.domain.errors import InvalidInput, NotFound
from tracker.domain.models import Activity, ActivityInput, Model, OptDate, User, parse
from tracker.store import Database, Tx
from tracker.store import activities as store
from tracker.store import audit as audit_store
from tracker.store import contacts as contact_store
from tracker.store import organisations as org_store

from . import guard, versioned

ENTITY = "activity"
_INFLUENCING = {t.lower() for t in INFLUENCING_ACTIVITY_TYPES}


class ActivityFilter(Model):
    """The log's filters; every one optional."""

    date_from: OptDate = Field(None, title="From")
    date_to: OptDate = Field(None, title="To")
    types: list[str] = Field(default_factory=list, title="Type")
    issue_id: int | None = Field(None, title="Issue")
    organisation_id: int | None = Field(None, title="Organisation")
    funding_sources: list[str] = Field(default_factory=list, title="Funding source")
    influencing: bool | None = Field(None, title="Awareness or influencing")
    search: str | None = Field(None, max_length=200, title="Search")


def is_influencing_type(activity_type: object) -> bool:
    """The default awareness/influencing flag for a type (the user may override it)."""
    return isinstance(activity_type, str) and activity_type.strip().lower() in _INFLUENCING


def _model(row: dict[str, Any]) -> Activity:
    keys = (*store.EDITABLE, *store.LINKS, "id", "version", "created_by")
    return Activity.model_validate({k: row[k] for k in keys})


def get(db: Database, activity_id: int) -> Activity:
    row = store.get(db, activity_id)
    if row is None:
        raise NotFound(f"There is no activity #{activity_id} (it may have been deleted).")
    return _model(row)


def search(db: Database, filters: dict[str, Any] | None = None, sort: str = "newest", limit: int = 500) -> Any:
    f = parse(ActivityFilter, filters or {})
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise InvalidInput.one("To", "must be on or after the start of the period")
    return store.search(db, f.model_dump(), sort=sort, limit=limit)


def totals(db: Database, filters: dict[str, Any] | None = None) -> dict[str, Any]:
    f = parse(ActivityFilter, filters or {})
    n, days, influencing = store.totals(db, f.model_dump())
    return {"entries": n, "effort_days": days, "influencing": influencing}


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday to Sunday of the week containing ``day``."""
    start = day - dt.timedelta(days=day.weekday())
    return start, start + dt.timedelta(days=6)


def follow_ups_this_week(db: Database) -> tuple[dt.date, dt.date, Any]:
    start, end = week_of(clock.today())
    return start, end, store.follow_ups(db, start, end)


def history(db: Database, activity_id: int) -> list[dict[str, Any]]:
    return audit_store.history(db, ENTITY, activity_id)


def _canonical(tx: Tx, kind: ReferenceKind, field: str, value: str | None, previous: str | None) -> str | None:
    """The list's own spelling of ``value``; a retired value is kept only if it is unchanged."""
    if value is None:
        return None
    allowed = store.reference_values(tx, kind.value)
    for v in allowed:
        if v.lower() == value.lower():
            return v
    if previous is not None and value == previous:
        return value
    raise InvalidInput.one(field, f"must be one of: {', '.join(allowed)}")


def _prepare(data: dict[str, Any]) -> ActivityInput:
    data = dict(data)
    for key in ("type", "summary"):
        if data.get(key) is None:
            data[key] = ""  # so an empty choice reads "is required"
    if data.get("is_influencing") is None:
        data["is_influencing"] = is_influencing_type(data.get("type"))
    effort = data.get("effort_days")
    if isinstance(effort, float):
        data["effort_days"] = Decimal(str(effort))
    item = parse(ActivityInput, data)
    for key in store.LINKS:
        setattr(item, key, sorted(set(getattr(item, key))))
    return item


def _check(tx: Tx, item: ActivityInput, before: dict[str, Any] | None) -> dict[str, Any]:
    """The stored values for ``item``; raises InvalidInput naming the field."""
    if item.activity_date > clock.today():
        today = clock.format_date(clock.today())
        raise InvalidInput.one("Date", f"must be today ({today}) or earlier — record planned work as a follow-up date")
    values = item.model_dump(exclude=set(store.LINKS))
    values["type"] = _canonical(tx, ReferenceKind.ACTIVITY_TYPE, "Type", item.type, (before or {}).get("type"))
    values["funding_source"] = _canonical(
        tx, ReferenceKind.FUNDING_SOURCE, "Funding source", item.funding_source, (before or {}).get("funding_source")
    )
    missing = set(item.issue_ids) - store.live_ids(tx, "issues", item.issue_ids)
    if missing:
        raise InvalidInput.one("Issues", "no issue " + ", ".join(f"#{i}" for i in sorted(missing)))
    kept = set((before or {}).get("organisation_ids", []))
    missing = set(item.organisation_ids) - org_store.existing_ids(tx, item.organisation_ids) - kept
    if missing:
        raise InvalidInput.one("Organisations", "no organisation " + ", ".join(f"#{i}" for i in sorted(missing)))
    kept = set((before or {}).get("contact_ids", []))
    missing = set(item.contact_ids) - contact_store.existing_ids(tx, item.contact_ids) - kept
    if missing:
        raise InvalidInput.one("Contacts", "no contact " + ", ".join(f"#{i}" for i in sorted(missing)))
    return values


def _links(item: ActivityInput) -> dict[str, list[int]]:
    return {k: list(getattr(item, k)) for k in store.LINKS}


def create(db: Database, actor: User, data: dict[str, Any]) -> Activity:
    """Record an activity. Without ``is_influencing`` the flag follows the type."""
    guard.require_role(actor, Role.EDITOR)
    item = _prepare(data)

    def work(tx: Tx) -> int:
        values = _check(tx, item, None)
        new_id = store.insert(tx, values, actor.username, clock.now())
        store.set_links(tx, new_id, _links(item))
        tx.audit(actor.username, ENTITY, new_id, "create", guard.diff({}, values | _links(item)))
        return new_id

    return get(db, db.write(work))


KIND = versioned.Kind(
    "activities",
    "activity",
    store.get,
    lambda row: versioned.fields(row, (*store.EDITABLE, *store.LINKS)),
    "There is no activity #{id} (it may have been deleted).",
)


def update(db: Database, actor: User, activity_id: int, expected_version: int, data: dict[str, Any]) -> Activity:
    guard.require_role(actor, Role.EDITOR)
    item = _prepare(data)

    def change(tx: Tx, before: dict[str, Any]) -> None:
        values = _check(tx, item, before)
        old = {k: before[k] for k in (*store.EDITABLE, *store.LINKS)}
        versioned.save(
            tx,
            KIND,
            activity_id,
            expected_version,
            values,
            actor=actor.username,
            at=clock.now(),
            before=old,
            after=values | _links(item),
        )
        store.set_links(tx, activity_id, _links(item))

    versioned.edit(db, KIND, activity_id, expected_version, change)
    return get(db, activity_id)


def delete(db: Database, actor: User, activity_id: int, expected_version: int) -> None:
    """Soft-delete: the entry leaves the log and every total; the audit keeps it."""
    guard.require_role(actor, Role.EDITOR)

    def change(tx: Tx, before: dict[str, Any]) -> None:
        versioned.remove(
            tx,
            KIND,
            activity_id,
            expected_version,
            actor=actor.username,
            at=clock.now(),
            audit={"summary": [before["summary"], None]},
        )

    versioned.edit(db, KIND, activity_id, expected_version, change)
