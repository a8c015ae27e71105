"""The partner directory: create and edit organisations, spot near-duplicate names, merge duplicates."""

from __future__ import annotations

import json
from typing import Any

from tracker.domain import clock
from tracker.domain.enums import ReferenceKind, Role
from tracker.domain.errors import FieldError, InvalidInput, NotFound
from tracker.domain.models import Organisation, OrganisationInput, User, parse
from tracker.store import Database, Tx
from tracker.store import activities as activity_store
from tracker.store import organisations as store

from . import guard, versioned

ENTITY = "organisation"
DIRECTORY_LIMIT = 2000


class SimilarName(InvalidInput):
    """The name matches an existing organisation apart from case or spaces: offer that one instead."""

    def __init__(self, matches: list[Organisation]) -> None:
        self.matches = matches
        names = ", ".join(f"“{m.name}” (#{m.id})" for m in matches)
        super().__init__(
            [
                FieldError(
                    "Name",
                    f"matches the existing organisation {names} apart from case or spaces — "
                    "use the existing one, or confirm that this is a different organisation",
                )
            ]
        )


def _model(row: dict[str, Any]) -> Organisation:
    return Organisation.model_validate({k: row[k] for k in (*store.EDITABLE, "id", "version", "merged_into")})


def get(db: Database, org_id: int) -> Organisation:
    """The organisation, also when it was merged away (``merged_into`` then names the keeper)."""
    row = store.get(db, org_id)
    if row is None:
        raise NotFound(f"There is no organisation #{org_id}.")
    return _model(row)


def is_live(db: Database, org_id: int) -> bool:
    row = store.get(db, org_id)
    return bool(row and row["deleted_at"] is None)


def similar(db: Database, name: str, exclude_id: int | None = None) -> list[Organisation]:
    """Live organisations whose name equals ``name`` apart from case and spaces."""
    if not name or not name.strip():
        return []
    return [_model(r) for r in store.similar(db, name, exclude_id)]


def directory(db: Database, filters: dict[str, Any] | None = None) -> Any:
    """The directory table: search, type, country, partners only, sort."""
    f = filters or {}
    return store.directory(
        db,
        search=(f.get("search") or "").strip() or None,
        org_type=f.get("type") or None,
        country=f.get("country") or None,
        partners_only=bool(f.get("partners_only")),
        sort=f.get("sort") or "name",
        limit=DIRECTORY_LIMIT,
    )


def choices(db: Database) -> list[tuple[int, str]]:
    return store.choices(db)


def countries(db: Database) -> list[str]:
    return store.countries(db)


def signed_positions(db: Database, org_id: int) -> Any:
    return store.positions_of(db, org_id)


def activities(db: Database, org_id: int) -> Any:
    return store.activities_of(db, org_id)


def link_counts(db: Database, org_id: int) -> dict[str, int]:
    return store.link_counts(db, org_id)


def history(db: Database, org_id: int) -> list[dict[str, Any]]:
    return [
        {"id": r[0], "at": r[1], "actor": r[2], "action": r[3], "changes": json.loads(r[4]) if r[4] else {}}
        for r in store.merge_history(db, org_id)
    ]


def _canonical_type(src: Database | Tx, value: str | None, previous: str | None) -> str | None:
    """The reference list's spelling of ``value``; an unchanged retired value is kept."""
    if value is None:
        return None
    allowed = _type_values(src)
    for v in allowed:
        if v.lower() == value.lower():
            return v
    if previous is not None and value == previous:
        return value
    raise InvalidInput.one("Type", f"must be one of: {', '.join(allowed)}")


def _type_values(src: Database | Tx) -> list[str]:
    return activity_store.reference_values(src, ReferenceKind.ORGANISATION_TYPE.value)


def _check_similar(tx: Tx, name: str, exclude_id: int | None) -> None:
    matches = store.similar(tx, name, exclude_id)
    if matches:
        raise SimilarName([_model(m) for m in matches])


def create(db: Database, actor: User, data: dict[str, Any], *, confirm_similar: bool = False) -> Organisation:
    """A new organisation. A name equal to an existing one apart from case or spaces is refused
    with :class:`SimilarName` (carrying the existing ones) unless ``confirm_similar``."""
    guard.require_role(actor, Role.EDITOR)
    item = parse(OrganisationInput, data)

    def work(tx: Tx) -> int:
        values = item.model_dump()
        values["type"] = _canonical_type(tx, item.type, None)
        if not confirm_similar:
            _check_similar(tx, item.name, None)
        new_id = store.insert(tx, values, actor.username, clock.now())
        tx.audit(actor.username, ENTITY, new_id, "create", guard.diff({}, values))
        return new_id

    return get(db, db.write(work))


def update(
    db: Database,
    actor: User,
    org_id: int,
    expected_version: int,
    data: dict[str, Any],
    *,
    confirm_similar: bool = False,
) -> Organisation:
    guard.require_role(actor, Role.EDITOR)
    item = parse(OrganisationInput, data)

    def change(tx: Tx, before: dict[str, Any]) -> None:
        values = item.model_dump()
        values["type"] = _canonical_type(tx, item.type, before["type"])
        if not confirm_similar and store.name_key(values["name"]) != store.name_key(before["name"]):
            _check_similar(tx, item.name, org_id)
        old = {k: before[k] for k in store.EDITABLE}
        versioned.save(tx, KIND, org_id, expected_version, values, actor=actor.username, at=clock.now(), before=old)

    versioned.edit(db, KIND, org_id, expected_version, change)
    return get(db, org_id)


def merge(db: Database, actor: User, keep_id: int, keep_version: int, drop_id: int, drop_version: int) -> Organisation:
    """Fold the duplicate ``drop_id`` into ``keep_id``: every link moves to the keeper, the
    keeper's empty fields take the duplicate's values, the duplicate is marked ``merged_into``
    and soft-deleted. One audit entry names both."""
    guard.require_role(actor, Role.EDITOR)
    if keep_id == drop_id:
        raise InvalidInput.one("Duplicate", "choose two different organisations")

    def work(tx: Tx) -> None:
        keep, drop = _live(tx, keep_id), _live(tx, drop_id)
        for label, row, oid in (("Keep", keep, keep_id), ("Duplicate", drop, drop_id)):
            if row is None:
                raise InvalidInput.one(label, f"organisation #{oid} does not exist or was already merged")
        assert keep is not None and drop is not None
        versioned.check(tx, KIND, keep_id, keep, keep_version)
        versioned.check(tx, KIND, drop_id, drop, drop_version)
        now = clock.now()
        filled = {
            k: drop[k] for k in ("type", "country", "transparency_register", "website") if keep[k] is None and drop[k]
        }
        if drop["is_partner"] and not keep["is_partner"]:
            filled["is_partner"] = True
        values = {k: keep[k] for k in store.EDITABLE} | filled
        versioned.save(tx, KIND, keep_id, keep_version, values, actor=actor.username, at=now)
        moved = store.repoint_links(tx, keep_id, drop_id, actor.username, now)
        if not store.mark_merged(tx, drop_id, drop_version, keep_id, actor.username, now):
            raise versioned.conflict(tx, KIND, drop_id)
        changes: dict[str, Any] = {
            "merge": [f"#{drop_id} {drop['name']}", f"#{keep_id} {keep['name']}"],
            "merged_id": [drop_id, keep_id],
            "links moved": [None, ", ".join(f"{n} {kind}" for kind, n in moved.items())],
        }
        changes |= guard.diff({k: keep[k] for k in filled}, filled)
        tx.audit(actor.username, ENTITY, keep_id, "merge", changes)

    db.write(work)
    return get(db, keep_id)


def _live(tx: Tx, org_id: int) -> dict[str, Any] | None:
    """The organisation unless it was deleted or merged away."""
    row = store.get(tx, org_id)
    return row if row is not None and row["deleted_at"] is None else None


KIND = versioned.Kind(
    "organisations",
    "organisation",
    _live,
    lambda row: versioned.fields(row, store.EDITABLE),
    "Organisation #{id} does not exist or was merged into another.",
)
