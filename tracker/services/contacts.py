"""Contacts: the people met, and their erasure on request (personal data)."""

from __future__ import annotations

from typing import Any

from tracker.domain import clock
from tracker.domain.enums import Role
from tracker.domain.errors import InvalidInput, NotFound
from tracker.domain.models import Contact, ContactInput, User, parse
from tracker.store import Database, Tx
from tracker.store import activities as activity_store
from tracker.store import audit as audit_store
from tracker.store import contacts as store
from tracker.store import organisations as org_store

from . import guard, versioned

ENTITY = "contact"
# Erasure replaces the name and clears these; institution and organisation stay, because they
# describe the institution met (a DG, a committee), not the person, and keep the counts honest.
PERSONAL_FIELDS = ("name", "role", "email", "phone")


def erased_name(contact_id: int) -> str:
    return f"Erased contact #{contact_id}"


def _model(row: dict[str, Any]) -> Contact:
    return Contact.model_validate({k: row[k] for k in (*store.EDITABLE, "id", "version", "erased_at")})


def get(db: Database, contact_id: int) -> Contact:
    row = store.get(db, contact_id)
    if row is None:
        raise NotFound(f"There is no contact #{contact_id}.")
    return _model(row)


def search(db: Database, filters: dict[str, Any] | None = None) -> Any:
    f = filters or {}
    return store.listing(
        db,
        search=(f.get("search") or "").strip() or None,
        organisation_id=f.get("organisation_id"),
        institution=f.get("institution") or None,
        include_erased=bool(f.get("include_erased")),
    )


def choices(db: Database) -> list[tuple[int, str]]:
    return store.choices(db)


def institutions(db: Database) -> list[str]:
    return store.institutions(db)


def meetings(db: Database, contact_id: int) -> Any:
    return activity_store.activities_of_contact(db, contact_id)


def history(db: Database, contact_id: int) -> list[dict[str, Any]]:
    return audit_store.history(db, ENTITY, contact_id)


KIND = versioned.Kind(
    "contacts",
    "contact",
    store.get,
    lambda row: versioned.fields(row, store.EDITABLE),
    "There is no contact #{id}.",
)


def _check_organisation(tx: Tx, organisation_id: int | None) -> None:
    if organisation_id is not None and not org_store.existing_ids(tx, [organisation_id]):
        raise InvalidInput.one("Organisation", f"organisation #{organisation_id} does not exist")


def create(db: Database, actor: User, data: dict[str, Any]) -> Contact:
    guard.require_role(actor, Role.EDITOR)
    item = parse(ContactInput, data)

    def work(tx: Tx) -> int:
        _check_organisation(tx, item.organisation_id)
        values = item.model_dump()
        new_id = store.insert(tx, values, actor.username, clock.now())
        tx.audit(actor.username, ENTITY, new_id, "create", guard.diff({}, values))
        return new_id

    return get(db, db.write(work))


def update(db: Database, actor: User, contact_id: int, expected_version: int, data: dict[str, Any]) -> Contact:
    guard.require_role(actor, Role.EDITOR)
    item = parse(ContactInput, data)

    def work(tx: Tx) -> None:
        before = versioned.read(tx, KIND, contact_id)
        if before["erased_at"] is not None:
            raise InvalidInput.one("Contact", "was erased on request and can no longer be edited")
        versioned.check(tx, KIND, contact_id, before, expected_version)
        _check_organisation(tx, item.organisation_id)
        values = item.model_dump()
        versioned.save(
            tx,
            KIND,
            contact_id,
            expected_version,
            values,
            actor=actor.username,
            at=clock.now(),
            before={k: before[k] for k in store.EDITABLE},
        )

    db.write(work)
    return get(db, contact_id)


def _scrubber(contact_id: int) -> Any:
    placeholder = erased_name(contact_id)

    def scrub(changes: dict[str, Any]) -> dict[str, Any]:
        out = dict(changes)
        for key in PERSONAL_FIELDS:
            if key not in out:
                continue
            value = out[key]
            replacement = placeholder if key == "name" else None
            if isinstance(value, list):
                out[key] = [None if v is None else replacement for v in value]
            else:
                out[key] = None if value is None else replacement
        return out

    return scrub


def erase(db: Database, actor: User, contact_id: int, expected_version: int) -> Contact:
    """Erase a contact's personal data on request: in the record and in its audit history.

    The name becomes "Erased contact #id", role, e-mail and phone are cleared, ``erased_at`` is
    set; every earlier audit entry of this contact has the same fields rewritten; the erasure
    itself is audited as "erase" without any personal data. Links to activities remain.
    """
    guard.require_role(actor, Role.EDITOR)

    def work(tx: Tx) -> None:
        before = versioned.read(tx, KIND, contact_id)
        if before["erased_at"] is not None:
            raise InvalidInput.one("Contact", "was already erased")
        versioned.check(tx, KIND, contact_id, before, expected_version)
        now = clock.now()
        replacement = {"name": erased_name(contact_id), "role": None, "email": None, "phone": None}
        versioned.save(
            tx, KIND, contact_id, expected_version, replacement | {"erased_at": now}, actor=actor.username, at=now
        )
        rewritten = store.rewrite_audit(tx, contact_id, _scrubber(contact_id))
        tx.audit(
            actor.username,
            ENTITY,
            contact_id,
            "erase",
            {"erased_at": [None, now], "history entries scrubbed": [None, rewritten]},
        )

    db.write(work)
    return get(db, contact_id)


def audit_text(db: Database, contact_id: int) -> str:
    """Every audit entry of this contact as one text (for checks that nothing personal remains)."""
    return "\n".join(store.audit_changes(db, contact_id))
