"""Joint positions: the status flow, signatories, and the Formal-input suggestion on publication.

Status flow (idea → drafting → circulating → adopted → published):

* forward moves may skip steps (a short paper can go from drafting straight to adopted);
* a step back is allowed one step at a time before publication (e.g. circulating → drafting
  when partners ask for a rewrite);
* publishing needs at least one signatory who agreed and a publication date (not in the
  future); a publication date is only kept on a published position;
* published is final: the paper is public and other records cite it. Its date and link stay
  editable to correct mistakes, and it keeps at least one agreed signatory.

Publishing never changes an issue's stage by itself: :func:`formal_input_suggestions` lists
each linked issue still below Formal input, and :func:`record_formal_input` records the event
when a person asks for it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracker.domain import clock
from tracker.domain.enums import JointPositionStatus, Role, SignatoryStatus
from tracker.domain.errors import InvalidInput, NotFound
from tracker.domain.models import (
    JointPosition,
    JointPositionInput,
    Signatory,
    SignatoryInput,
    User,
    parse,
)
from tracker.store import Database, Tx
from tracker.store import audit as audit_store
from tracker.store import joint_positions as store
from tracker.store import organisations as org_store
from tracker.store import versioned as store_versioned

from . import attribution, formal_input, guard, versioned
from . import issues as issue_service

ENTITY = "joint_position"
LABEL = "joint position"
S = JointPositionStatus
ORDER = list(JointPositionStatus)


def _status(code: str) -> JointPositionStatus:
    return next(s for s in JointPositionStatus if s.value == code)


def _sig_status(code: str) -> SignatoryStatus:
    return next(s for s in SignatoryStatus if s.value == code)


def allowed_moves(current: JointPositionStatus) -> list[JointPositionStatus]:
    """The statuses a position at ``current`` may move to (besides staying)."""
    if current == S.PUBLISHED:
        return []
    forward = [s for s in ORDER if s.rank > current.rank]
    back = [ORDER[current.rank - 1]] if current.rank > 0 else []
    return back + forward


def _check_move(before: JointPositionStatus, after: JointPositionStatus) -> None:
    if before == after:
        return
    if before == S.PUBLISHED:
        raise InvalidInput.one("Status", "a published position stays published (its date and link can be corrected)")
    if after not in allowed_moves(before):
        raise InvalidInput.one(
            "Status", f"cannot go back from {before.label} to {after.label}; step back one status at a time"
        )


def _model(row: dict[str, Any]) -> JointPosition:
    return JointPosition.model_validate({k: row[k] for k in (*store.EDITABLE, "id", "version", "issue_ids")})


def get(db: Database, position_id: int) -> JointPosition:
    row = store.get(db, position_id)
    if row is None:
        raise NotFound(f"There is no joint position #{position_id}.")
    return _model(row)


def search(db: Database, filters: dict[str, Any] | None = None) -> Any:
    f = filters or {}
    status = f.get("status")
    return store.listing(
        db,
        search=(f.get("search") or "").strip() or None,
        status=status.value if isinstance(status, JointPositionStatus) else (status or None),
        organisation_id=f.get("organisation_id"),
        issue_id=f.get("issue_id"),
        sort=f.get("sort") or "recent",
    )


def choices(db: Database) -> list[tuple[int, str]]:
    return store.choices(db)


def issue_choices(db: Database) -> list[tuple[int, str]]:
    """Issues for select boxes (not archived), by title."""
    return issue_service.choices(db)


def consultation_choices(db: Database) -> list[tuple[int, str]]:
    return store.consultation_choices(db)


def linked_issues(db: Database, position_id: int) -> list[dict[str, Any]]:
    return store.issue_rows(db, store.issue_ids(db, position_id))


def signatories(db: Database, position_id: int) -> list[dict[str, Any]]:
    return store.signatories(db, position_id)


def history(db: Database, position_id: int) -> list[dict[str, Any]]:
    return audit_store.history(db, ENTITY, position_id)


def readable_history(db: Database, position_id: int) -> list[dict[str, Any]]:
    """:func:`history` as people read it: authors by display name, actions in words."""
    return attribution.readable(db, history(db, position_id))


# ------------------------------------------------------------------ rules


def _check(tx: Tx, position_id: int | None, item: JointPositionInput) -> None:
    """Every rule a saved position obeys; raises InvalidInput naming the field."""
    if item.published_on and item.status != S.PUBLISHED:
        raise InvalidInput.one("Published on", "only a published position has a publication date")
    if item.published_on and item.published_on > clock.today():
        raise InvalidInput.one("Published on", _not_after_today(item.published_on))
    if item.status == S.PUBLISHED:
        agreed = store.agreed_count(tx, position_id) if position_id is not None else 0
        if agreed == 0:
            raise InvalidInput.one(
                "Signatories", "a position can be published only once at least one signatory has agreed"
            )
    if item.lead_organisation_id is not None and not org_store.existing_ids(tx, [item.lead_organisation_id]):
        raise InvalidInput.one("Lead organisation", f"organisation #{item.lead_organisation_id} does not exist")
    if item.consultation_id is not None and not store.consultation_exists(tx, item.consultation_id):
        raise InvalidInput.one("Consultation", f"consultation #{item.consultation_id} does not exist")
    missing = sorted(set(item.issue_ids) - store.live_issue_ids(tx, item.issue_ids))
    if missing:
        raise InvalidInput.one("Linked issues", "no issue " + ", ".join(f"#{i}" for i in missing))


def _values(item: JointPositionInput) -> dict[str, Any]:
    values = item.model_dump(exclude={"issue_ids"})
    values["status"] = item.status.value
    return values


# ------------------------------------------------------------------ positions


def create(db: Database, actor: User, data: dict[str, Any]) -> JointPosition:
    guard.require_role(actor, Role.EDITOR)
    item = parse(JointPositionInput, data)
    item.issue_ids = sorted(set(item.issue_ids))

    def work(tx: Tx) -> int:
        _check(tx, None, item)
        values = _values(item)
        new_id = store.insert(tx, values, actor.username, clock.now())
        store.set_issues(tx, new_id, item.issue_ids)
        tx.audit(actor.username, ENTITY, new_id, "create", guard.diff({}, values | {"issue_ids": item.issue_ids}))
        return new_id

    return get(db, db.write(work))


def update(db: Database, actor: User, position_id: int, expected_version: int, data: dict[str, Any]) -> JointPosition:
    """Save the whole position (status included) if nobody saved since ``expected_version``."""
    guard.require_role(actor, Role.EDITOR)
    item = parse(JointPositionInput, data)
    item.issue_ids = sorted(set(item.issue_ids))

    def work(tx: Tx) -> None:
        before = versioned.read(tx, KIND, position_id)
        _check_move(_status(before["status"]), item.status)
        _check(tx, position_id, item)
        versioned.check(tx, KIND, position_id, before, expected_version)
        values = _values(item)
        old = {k: before[k] for k in store.EDITABLE} | {"issue_ids": before["issue_ids"]}
        new = values | {"issue_ids": item.issue_ids}
        publishing = item.status == S.PUBLISHED and before["status"] != S.PUBLISHED.value
        versioned.save(
            tx,
            KIND,
            position_id,
            expected_version,
            values,
            actor=actor.username,
            at=clock.now(),
            action="publish" if publishing else "update",
            before=old,
            after=new,
        )
        store.set_issues(tx, position_id, item.issue_ids)

    db.write(work)
    return get(db, position_id)


def set_status(
    db: Database,
    actor: User,
    position_id: int,
    expected_version: int,
    data: dict[str, Any],
) -> JointPosition:
    """Move the position to ``data["status"]``; publishing also takes ``published_on`` and
    optionally ``document_url``. Leaving the other fields as they are."""
    current = get(db, position_id)
    values = current.model_dump(exclude={"id", "version"})
    status = data.get("status")
    values["status"] = status
    if str(getattr(status, "value", status)) == S.PUBLISHED.value:
        values["published_on"] = data.get("published_on")
        if data.get("document_url") is not None:
            values["document_url"] = data.get("document_url")
    else:
        values["published_on"] = None
    return update(db, actor, position_id, expected_version, values)


# ------------------------------------------------------------------ signatories


def _signatory_model(row: dict[str, Any]) -> Signatory:
    return Signatory.model_validate({k: row[k] for k in store.SIGNATORY_COLUMNS})


def _not_after_today(day: dt.date) -> str:
    """A refused future date in words that name the allowed range."""
    return (
        f"{clock.format_date(day)} is in the future: it must be today ({clock.format_date(clock.today())}) or earlier"
    )


def _check_date(day: dt.date) -> None:
    if day > clock.today():
        raise InvalidInput.one("Date", _not_after_today(day))


def _describe(name: str | None, status: str, day: dt.date) -> str:
    return f"{name or 'organisation'}: {_sig_status(status).label} ({clock.format_date(day)})"


def add_signatory(db: Database, actor: User, position_id: int, data: dict[str, Any]) -> Signatory:
    """Invite (or record) an organisation as a signatory; the same organisation twice is refused."""
    payload = dict(data)
    org_id = payload.pop("organisation_id", None)
    [added] = add_signatories(db, actor, position_id, {**payload, "organisation_ids": [org_id]})
    return added


def add_signatories(db: Database, actor: User, position_id: int, data: dict[str, Any]) -> list[Signatory]:
    """Add several organisations with one status and date, all or none: an organisation that
    is already a signatory (or listed twice) refuses the whole request."""
    guard.require_role(actor, Role.EDITOR)
    org_ids = list(data.get("organisation_ids") or [])
    if not org_ids:
        raise InvalidInput.one("Organisation", "choose at least one organisation")
    payload = {"status_date": clock.today(), **{k: v for k, v in data.items() if k != "organisation_ids"}}
    items = [parse(SignatoryInput, {**payload, "organisation_id": oid}) for oid in org_ids]
    _check_date(items[0].status_date)
    twice = sorted({oid for oid in org_ids if org_ids.count(oid) > 1})
    if twice:
        named = ", ".join(f"#{oid}" for oid in twice)
        raise InvalidInput.one("Organisation", f"listed more than once: organisation {named}. Nothing was added")

    def work(tx: Tx) -> list[int]:
        if store.get(tx, position_id) is None:
            raise NotFound(f"There is no joint position #{position_id}.")
        now = clock.now()
        orgs = {}
        for item in items:
            org = org_store.get(tx, item.organisation_id)
            if org is None or org["deleted_at"] is not None:
                raise InvalidInput.one("Organisation", f"organisation #{item.organisation_id} does not exist")
            orgs[item.organisation_id] = org
        _refuse_existing(tx, position_id, orgs)
        ids = []
        for item in items:
            org = orgs[item.organisation_id]
            ids.append(
                store.insert_signatory(
                    tx, position_id, item.organisation_id, item.status.value, item.status_date, actor.username, now
                )
            )
            tx.audit(
                actor.username,
                ENTITY,
                position_id,
                "add signatory",
                {"signatory": [None, _describe(org["name"], item.status.value, item.status_date)]},
            )
        return ids

    out = []
    for sid in db.write(work):
        row = store.get_signatory(db, sid)
        assert row is not None
        out.append(_signatory_model(row))
    return out


def _refuse_existing(tx: Tx, position_id: int, orgs: dict[int, dict[str, Any]]) -> None:
    """Name every organisation of the batch that already signs, so one correction is enough."""
    already = []
    for oid, org in orgs.items():
        existing = store.signatory_for(tx, position_id, oid)
        if existing is not None:
            already.append(f"{org['name']} ({_sig_status(existing['status']).label})")
    if len(already) == 1:
        raise InvalidInput.one(
            "Organisation",
            f"{already[0]} is already a signatory of this position; change its status instead. Nothing was added",
        )
    if already:
        raise InvalidInput.one(
            "Organisation",
            f"{len(already)} are already signatories of this position: {'; '.join(already)}. "
            "Remove them from the list (change their status instead). Nothing was added",
        )


def _keeps_an_agreed_signatory(tx: Tx, signatory: dict[str, Any], new_status: str | None) -> None:
    """A published position must keep at least one agreed signatory."""
    position = store.get(tx, signatory["joint_position_id"])
    if (
        position
        and position["status"] == S.PUBLISHED.value
        and signatory["status"] == SignatoryStatus.AGREED.value
        and new_status != SignatoryStatus.AGREED.value
        and store.agreed_count(tx, signatory["joint_position_id"], excluding=signatory["id"]) == 0
    ):
        raise InvalidInput.one("Signatory status", "a published position keeps at least one agreed signatory")


def update_signatory(
    db: Database, actor: User, signatory_id: int, expected_version: int, data: dict[str, Any]
) -> Signatory:
    """Change a signatory's status and date (its organisation stays)."""
    guard.require_role(actor, Role.EDITOR)

    def work(tx: Tx) -> None:
        before = versioned.read(tx, SIGNATORY, signatory_id)
        item = parse(
            SignatoryInput, {"status_date": clock.today(), **data, "organisation_id": before["organisation_id"]}
        )
        _check_date(item.status_date)
        _keeps_an_agreed_signatory(tx, before, item.status.value)
        versioned.check(tx, SIGNATORY, signatory_id, before, expected_version)
        now = clock.now()
        values = {"status": item.status.value, "status_date": item.status_date}
        versioned.save(tx, SIGNATORY, signatory_id, expected_version, values, actor=actor.username, at=now)
        pid = before["joint_position_id"]
        org = org_store.get(tx, before["organisation_id"])
        name = org["name"] if org else None
        tx.audit(
            actor.username,
            ENTITY,
            pid,
            "update signatory",
            {
                "signatory": [
                    _describe(name, before["status"], before["status_date"]),
                    _describe(name, item.status.value, item.status_date),
                ]
            },
        )

    db.write(work)
    row = store.get_signatory(db, signatory_id)
    assert row is not None
    return _signatory_model(row)


def remove_signatory(db: Database, actor: User, signatory_id: int, expected_version: int) -> None:
    """Remove a signatory added by mistake (one who changed their mind is "withdrawn" instead)."""
    guard.require_role(actor, Role.EDITOR)

    def work(tx: Tx) -> None:
        before = versioned.read(tx, SIGNATORY, signatory_id)
        _keeps_an_agreed_signatory(tx, before, None)
        versioned.check(tx, SIGNATORY, signatory_id, before, expected_version)
        pid = before["joint_position_id"]
        if not store_versioned.delete(tx, "signatories", signatory_id, expected_version):
            raise versioned.conflict(tx, SIGNATORY, signatory_id)
        org = org_store.get(tx, before["organisation_id"])
        tx.audit(
            actor.username,
            ENTITY,
            pid,
            "remove signatory",
            {"signatory": [_describe(org["name"] if org else None, before["status"], before["status_date"]), None]},
        )

    db.write(work)


# ------------------------------------------------------------------ publication → Formal input


def formal_input_suggestions(db: Database, position_id: int) -> list[dict[str, Any]]:
    """For a published position: each linked, active issue still below Formal input, with the
    stage event that would record it (pre-filled evidence: the position's title and link)."""
    position = get(db, position_id)
    if position.status != S.PUBLISHED or position.published_on is None:
        return []
    return formal_input.proposals(
        db,
        position.issue_ids,
        position.published_on,
        evidence_ref=f"Joint position published {clock.format_date(position.published_on)}: {position.title}",
        evidence_url=position.document_url,
        note=f"Formal input through the published joint position “{position.title}”.",
    )


def record_formal_input(db: Database, actor: User, position_id: int, issue_id: int, expected_version: int) -> Any:
    """Record the suggested "Formal input" stage event on one linked issue (a person asked for it)."""
    guard.require_role(actor, Role.EDITOR)
    match = formal_input.proposal_for(formal_input_suggestions(db, position_id), issue_id)
    return issue_service.move_stage(db, actor, issue_id, expected_version, dict(match["data"]))


KIND = versioned.Kind(
    "joint_positions",
    LABEL,
    store.get,
    lambda row: versioned.fields(row, (*store.EDITABLE, "issue_ids")),
    "There is no joint position #{id}.",
)
SIGNATORY = versioned.Kind(
    "signatories",
    "signatory",
    store.get_signatory,
    lambda row: versioned.fields(row, ("organisation_id", "status", "status_date")),
    "There is no signatory #{id}.",
    audit_entity=ENTITY,
    audit_id=lambda row: int(row["joint_position_id"]),
)
