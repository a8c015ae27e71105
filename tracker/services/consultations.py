"""Consultations: deadlines, our responses, links to issues and joint positions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
from pydantic import Field, model_validator

from tracker.domain import clock
from tracker.domain.enums import ConsultationType, ResponseStatus, Role
from tracker.domain.errors import FieldError, InvalidInput, NotFound
from tracker.domain.models import Consultation, ConsultationInput, Model, OptDate, OptLine, User, parse
from tracker.store import Database, Tx
from tracker.store import audit as audit_store
from tracker.store import consultations as store

from . import attribution, formal_input, guard, issues, versioned

ENTITY = "consultation"
WARNING_DAYS = 14  # a pending response closing within this many days is flagged
STRONG_WARNING_DAYS = 3
# A response that is done (or deliberately not given) needs no warning.
PENDING = (ResponseStatus.NOT_STARTED, ResponseStatus.DRAFTING)

Urgency = Literal["strong", "warning"] | None


# ---------------------------------------------------------------- deadlines (pure)


@dataclass(frozen=True)
class Deadline:
    """Where a consultation stands relative to today, in words."""

    days_left: int
    phase: Literal["upcoming", "open", "closed"]
    label: str
    urgency: Urgency


def deadline(
    closes: dt.date, today: dt.date, *, opens: dt.date | None = None, status: ResponseStatus | str | None = None
) -> Deadline:
    """'closes in 5 days', and whether to warn: only while our response is still pending."""
    days = (closes - today).days
    if days < 0:
        n = -days
        return Deadline(days, "closed", f"closed {n} day{'s' if n != 1 else ''} ago", None)
    phase: Literal["upcoming", "open"] = "upcoming" if opens is not None and opens > today else "open"
    if days == 0:
        label = "closes today"
    elif days == 1:
        label = "closes tomorrow"
    else:
        label = f"closes in {days} days"
    pending = status is None or ResponseStatus.of(status) in PENDING
    urgency: Urgency = None
    if pending and days <= STRONG_WARNING_DAYS:
        urgency = "strong"
    elif pending and days <= WARNING_DAYS:
        urgency = "warning"
    return Deadline(days, phase, label, urgency)


MISSED = "Missed"


def response_word(status: ResponseStatus | str, closes: dt.date, today: dt.date) -> str:
    """Our response as people read it: a consultation that closed while ours was still pending
    (not started, drafting) was missed."""
    member = next(m for m in ResponseStatus if status in (m, m.value))
    return MISSED if member in PENDING and closes < today else member.label


# ---------------------------------------------------------------- reading


class ConsultationFilter(Model):
    """The list's filters; every one optional."""

    authorities: list[str] = Field(default_factory=list, title="Authority")
    types: list[ConsultationType] = Field(default_factory=list, title="Type")
    statuses: list[ResponseStatus] = Field(default_factory=list, title="Our response")
    areas: list[str] = Field(default_factory=list, title="Policy area")
    issue_id: int | None = Field(None, title="Linked issue")
    closes_from: OptDate = Field(None, title="Closing from")
    closes_to: OptDate = Field(None, title="Closing until")
    text: OptLine = Field(None, max_length=200, title="Search")

    @model_validator(mode="after")
    def _period_in_order(self) -> ConsultationFilter:
        if self.closes_from and self.closes_to and self.closes_from > self.closes_to:
            raise ValueError("closes_to: the end of the period is before its start")
        return self


def search(db: Database, filters: dict[str, Any] | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """Consultations matching the filters, soonest deadline first, with their deadline in words.

    Columns include ``days_left``, ``phase`` (upcoming / open / closed), ``deadline``
    ('closes in 5 days') and ``urgency`` ('strong' / 'warning' / None).
    """
    f = parse(ConsultationFilter, filters or {})
    today = today or clock.today()
    df = store.search(
        db,
        authorities=f.authorities,
        types=[t.value for t in f.types],
        statuses=[s.value for s in f.statuses],
        areas=f.areas,
        issue_id=f.issue_id,
        closes_from=f.closes_from,
        closes_to=f.closes_to,
        text=f.text,
    )
    marks = [
        deadline(c, today, opens=o if pd.notna(o) else None, status=s)
        for c, o, s in zip(df["closes"], df["opens"], df["response_status"], strict=True)
    ]
    df["days_left"] = [m.days_left for m in marks]
    df["phase"] = [m.phase for m in marks]
    df["deadline"] = [m.label for m in marks]
    df["urgency"] = [m.urgency for m in marks]
    return df


def split_by_deadline(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(open and upcoming, soonest first; past, most recent first)."""
    current = df[df["days_left"] >= 0].sort_values(["closes", "id"])
    past = df[df["days_left"] < 0].sort_values(["closes", "id"], ascending=[False, False])
    return current.reset_index(drop=True), past.reset_index(drop=True)


def get(db: Database, consultation_id: int) -> Consultation:
    row = store.get(db, consultation_id)
    if row is None:
        raise NotFound(f"There is no consultation number {consultation_id} (it may have been deleted).")
    return Consultation.model_validate(row)


def filter_options(db: Database) -> dict[str, list[Any]]:
    """Authorities, policy areas and linked issues in use, for the filters."""
    return store.filter_options(db)


def issue_choices(db: Database) -> list[tuple[int, str]]:
    """(id, title) of the issues a consultation may be linked to (not archived)."""
    return issues.choices(db)


def issue_titles(db: Database, ids: list[int]) -> dict[int, str]:
    return store.issue_titles(db, ids)


def joint_position_choices(db: Database) -> list[tuple[int, str]]:
    return store.joint_position_choices(db)


def history(db: Database, consultation_id: int) -> list[dict[str, Any]]:
    """Who changed this consultation, when, and what (newest first)."""
    return audit_store.history(db, ENTITY, consultation_id)


def readable_history(db: Database, consultation_id: int) -> list[dict[str, Any]]:
    """:func:`history` as people read it: authors by display name, actions in words."""
    return attribution.readable(db, history(db, consultation_id))


def upcoming(db: Database, today: dt.date) -> list[dict[str, Any]]:
    """Open and upcoming consultations (closing today or later), soonest first."""
    return store.upcoming(db, today)


# ---------------------------------------------------------------- writing


def _values(item: ConsultationInput) -> dict[str, Any]:
    values = item.model_dump(exclude={"issue_ids"})
    values["type"] = item.type.value
    values["response_status"] = item.response_status.value
    return values


def _audit_view(values: dict[str, Any], issue_ids: list[int]) -> dict[str, Any]:
    return {**values, "issue_ids": sorted(issue_ids)}


def _check_rules(item: ConsultationInput, today: dt.date) -> None:
    """A submission is dated between the consultation's opening and today (the message says so)."""
    day = item.submitted_on
    if day is None:
        return
    earliest = item.opens
    if day > today or (earliest is not None and day < earliest):
        allowed = (
            f"between {clock.format_date(earliest)} (the opening date) and today ({clock.format_date(today)})"
            if earliest is not None
            else f"today ({clock.format_date(today)}) or earlier"
        )
        why = "is in the future" if day > today else "is before the consultation opened"
        raise InvalidInput.one("Submitted on", f"{clock.format_date(day)} {why}: it must be {allowed}")


def _check_links(tx: Tx, item: ConsultationInput, current_jp: int | None) -> None:
    errors: list[FieldError] = []
    ids = sorted(set(item.issue_ids))
    found = store.existing_issue_ids(tx, ids)
    missing = [i for i in ids if i not in found]
    if missing:
        errors.append(FieldError("Linked issues", f"no issue with number {', '.join(map(str, missing))}"))
    if item.joint_position_id is not None and item.joint_position_id != current_jp:
        if not store.joint_position_exists(tx, item.joint_position_id):
            errors.append(FieldError("Joint position", f"no joint position number {item.joint_position_id}"))
    if errors:
        raise InvalidInput(errors)


def create(db: Database, actor: User, data: dict[str, Any]) -> Consultation:
    """A new consultation (manual entry)."""
    guard.require_role(actor, Role.EDITOR)
    item = parse(ConsultationInput, data)
    _check_rules(item, clock.today())
    values = _values(item)

    def work(tx: Tx) -> int:
        _check_links(tx, item, None)
        cid = store.insert(tx, values, actor.username, clock.now())
        store.set_issue_links(tx, cid, item.issue_ids)
        tx.audit(actor.username, ENTITY, cid, "create", guard.diff({}, _audit_view(values, item.issue_ids)))
        return cid

    return get(db, db.write(work))


def update(db: Database, actor: User, consultation_id: int, version: int, data: dict[str, Any]) -> Consultation:
    """Save every field of the form, if nobody saved since ``version`` was read."""
    guard.require_role(actor, Role.EDITOR)
    item = parse(ConsultationInput, data)
    _check_rules(item, clock.today())
    return _save(db, actor, consultation_id, version, item, "update")


def record_response(
    db: Database, actor: User, consultation_id: int, version: int, data: dict[str, Any]
) -> Consultation:
    """Record our response: status, date submitted and the Commission's feedback reference."""
    guard.require_role(actor, Role.EDITOR)
    allowed = {"response_status", "submitted_on", "feedback_reference"}
    extra = set(data) - allowed
    if extra:
        raise InvalidInput.one("form", f"unexpected fields: {', '.join(sorted(extra))}")
    current = get(db, consultation_id)
    merged = current.model_dump(include=set(ConsultationInput.model_fields)) | data
    item = parse(ConsultationInput, merged)
    _check_rules(item, clock.today())
    return _save(db, actor, consultation_id, version, item, "response", only=allowed)


KIND = versioned.Kind(
    "consultations",
    "consultation",
    store.get_tx,
    lambda row: versioned.fields(row, (*store.FIELDS, "issue_ids")),
    "There is no consultation number {id} (it may have been deleted).",
)


def _save(
    db: Database,
    actor: User,
    consultation_id: int,
    version: int,
    item: ConsultationInput,
    action: str,
    only: set[str] | None = None,
) -> Consultation:
    values = _values(item)
    if only is not None:
        values = {k: v for k, v in values.items() if k in only}

    def change(tx: Tx, before: dict[str, Any]) -> None:
        if only is None:
            _check_links(tx, item, before["joint_position_id"])
        old_view = {k: before[k] for k in values}
        new_view = dict(values)
        if only is None:
            old_view["issue_ids"] = sorted(before["issue_ids"])
            new_view["issue_ids"] = sorted(set(item.issue_ids))
        if isinstance(old_view.get("policy_areas"), tuple):
            old_view["policy_areas"] = list(old_view["policy_areas"])
        versioned.save(tx, KIND, consultation_id, version, values, actor=actor.username, at=clock.now())
        if only is None:
            store.set_issue_links(tx, consultation_id, item.issue_ids)
        tx.audit(actor.username, ENTITY, consultation_id, action, guard.diff(old_view, new_view))

    versioned.edit(db, KIND, consultation_id, version, change)
    return get(db, consultation_id)


def delete(db: Database, actor: User, consultation_id: int, version: int) -> None:
    """Remove a consultation from every list (kept in the database and the audit)."""
    guard.require_role(actor, Role.EDITOR)

    def change(tx: Tx, before: dict[str, Any]) -> None:
        versioned.remove(
            tx,
            KIND,
            consultation_id,
            version,
            actor=actor.username,
            at=clock.now(),
            audit={"title": [before["title"], None]},
        )

    versioned.edit(db, KIND, consultation_id, version, change)


# ---------------------------------------------------------------- response → Formal input


def formal_input_suggestions(db: Database, consultation_id: int) -> list[dict[str, Any]]:
    """Once our response is submitted: each linked, active issue still below Formal input, with
    the stage event that would record it (evidence: the response date, feedback reference, link)."""
    c = get(db, consultation_id)
    if c.response_status != ResponseStatus.SUBMITTED or c.submitted_on is None:
        return []
    evidence = f"Consultation response submitted {clock.format_date(c.submitted_on)}: {c.title}"
    if c.feedback_reference:
        evidence += f" (feedback reference {c.feedback_reference})"
    return formal_input.proposals(
        db,
        c.issue_ids,
        c.submitted_on,
        evidence_ref=evidence,
        evidence_url=c.url,
        note=f"Formal input through our response to the consultation “{c.title}”.",
    )


def record_formal_input(db: Database, actor: User, consultation_id: int, issue_id: int, expected_version: int) -> Any:
    """Record the suggested "Formal input" stage event on one linked issue (a person asked for it)."""
    guard.require_role(actor, Role.EDITOR)
    match = formal_input.proposal_for(formal_input_suggestions(db, consultation_id), issue_id)
    return issues.move_stage(db, actor, issue_id, expected_version, dict(match["data"]))
