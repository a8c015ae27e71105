"""The column layout of every table's export, which imports read back.

One :class:`TableSpec` per table names its columns in words people use ("Current stage",
"Linked issues"), their kinds and the model field each one fills on import. Enums are written
as their labels, several values in one cell are joined with "; ", and a reference to another
row is written "id: name" — the id keeps it exact, the name keeps it readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import BaseModel

from tracker.domain.enums import (
    ConsultationType,
    JointPositionStatus,
    Level,
    Lifecycle,
    PolicyCycle,
    Position,
    Priority,
    ResponseStatus,
    SignatoryStatus,
)
from tracker.domain.errors import InvalidInput
from tracker.domain.models import (
    ActivityInput,
    ConsultationInput,
    IssueInput,
    JointPositionInput,
    OrganisationInput,
    SignatoryInput,
    StageMove,
)

from .writing import OutColumn

LIST_SEPARATOR = "; "

# Column kinds: id, version, int, decimal, bool, date, timestamp, text, longtext, enum, stage,
# list (several texts), ref (one "id: name"), links (several "id: name"), json (audit changes).
_OUT_KIND = {
    "id": "int",
    "version": "int",
    "int": "int",
    "decimal": "decimal",
    "bool": "bool",
    "date": "date",
    "timestamp": "timestamp",
}


@dataclass(frozen=True)
class Col:
    field: str
    header: str
    kind: str
    enum: type[Enum] | None = None
    target: str | None = None  # ref / links: the table referred to
    readonly: bool = False  # exported for reading; ignored on import

    @property
    def out(self) -> OutColumn:
        return OutColumn(self.header, _OUT_KIND.get(self.kind, "text"))


@dataclass(frozen=True)
class TableSpec:
    name: str
    label: str  # "Issues": sheet names, buttons
    entity: str  # audit entity ("issue")
    columns: tuple[Col, ...]
    model: type[BaseModel] | None  # None: export only
    key_fields: tuple[str, ...] = ()  # references an import must resolve even when not in the model

    @property
    def importable(self) -> bool:
        return self.model is not None

    def col(self, field: str) -> Col:
        for c in self.columns:
            if c.field == field:
                return c
        raise KeyError(field)


def _c(model: type[BaseModel] | None, field: str, kind: str, header: str | None = None, **kw: Any) -> Col:
    """A column titled like the model field (the same words the forms use)."""
    if header is None:
        info = model.model_fields.get(field) if model else None
        header = info.title if info and info.title else field.replace("_", " ").capitalize()
    return Col(field, header, kind, **kw)


def _bookkeeping() -> tuple[Col, ...]:
    return (
        Col("updated_at", "Last updated", "timestamp", readonly=True),
        Col("updated_by", "Updated by", "text", readonly=True),
    )


_ID = Col("id", "ID", "id")
_VERSION = Col("version", "Version", "version")


TABLES: dict[str, TableSpec] = {
    "issues": TableSpec(
        "issues",
        "Issues",
        "issue",
        (
            _ID,
            _VERSION,
            _c(IssueInput, "title", "text"),
            _c(IssueInput, "summary", "longtext"),
            _c(IssueInput, "policy_area", "text"),
            _c(IssueInput, "level", "enum", enum=Level),
            _c(IssueInput, "policy_reference", "text"),
            _c(IssueInput, "reference_url", "text"),
            _c(IssueInput, "policy_cycle", "enum", enum=PolicyCycle),
            _c(IssueInput, "owner", "text"),
            _c(IssueInput, "priority", "enum", enum=Priority),
            _c(IssueInput, "position", "enum", enum=Position),
            _c(IssueInput, "ask", "longtext"),
            _c(IssueInput, "member_relevance", "int"),
            _c(IssueInput, "member_segments", "list"),
            _c(IssueInput, "why_it_matters", "longtext"),
            # Derived from the stage events; an import may set it only for a new issue.
            Col("stage", "Current stage", "stage"),
            Col("stage_since", "Stage since", "date", readonly=True),
            _c(IssueInput, "target_stage", "stage"),
            _c(IssueInput, "lifecycle", "enum", enum=Lifecycle),
            _c(IssueInput, "next_review", "date"),
            _c(IssueInput, "tags", "list"),
            Col("archived_at", "Archived", "timestamp", readonly=True),
            Col("created_at", "Created", "timestamp", readonly=True),
            Col("created_by", "Created by", "text", readonly=True),
            *_bookkeeping(),
        ),
        IssueInput,
    ),
    "stage_events": TableSpec(
        "stage_events",
        "Stage events",
        "stage_event",
        (
            _ID,
            Col("issue_id", "Issue", "ref", target="issues"),
            Col("from_stage", "From stage", "stage"),
            _c(StageMove, "to_stage", "stage", "To stage"),
            _c(StageMove, "event_date", "date"),
            Col("author", "Author", "text"),
            _c(StageMove, "note", "longtext"),
            _c(StageMove, "evidence_ref", "text"),
            _c(StageMove, "evidence_url", "text"),
            Col("recorded_at", "Recorded", "timestamp", readonly=True),
        ),
        StageMove,
        key_fields=("issue_id",),
    ),
    "consultations": TableSpec(
        "consultations",
        "Consultations",
        "consultation",
        (
            _ID,
            _VERSION,
            _c(ConsultationInput, "title", "text"),
            _c(ConsultationInput, "authority", "text"),
            _c(ConsultationInput, "policy_areas", "list"),
            _c(ConsultationInput, "type", "enum", enum=ConsultationType),
            _c(ConsultationInput, "reference", "text"),
            _c(ConsultationInput, "url", "text"),
            _c(ConsultationInput, "opens", "date"),
            _c(ConsultationInput, "closes", "date"),
            _c(ConsultationInput, "response_status", "enum", enum=ResponseStatus),
            _c(ConsultationInput, "submitted_on", "date"),
            _c(ConsultationInput, "feedback_reference", "text"),
            _c(ConsultationInput, "joint_position_id", "ref", target="joint_positions"),
            _c(ConsultationInput, "issue_ids", "links", target="issues"),
            Col("source", "Source", "text", readonly=True),
            Col("total_feedback", "Feedback received", "int", readonly=True),
            *_bookkeeping(),
        ),
        ConsultationInput,
    ),
    "joint_positions": TableSpec(
        "joint_positions",
        "Joint positions",
        "joint_position",
        (
            _ID,
            _VERSION,
            _c(JointPositionInput, "title", "text"),
            _c(JointPositionInput, "summary", "longtext"),
            _c(JointPositionInput, "status", "enum", enum=JointPositionStatus),
            _c(JointPositionInput, "lead_organisation_id", "ref", target="organisations"),
            _c(JointPositionInput, "consultation_id", "ref", target="consultations"),
            _c(JointPositionInput, "target_institution", "text"),
            _c(JointPositionInput, "published_on", "date"),
            _c(JointPositionInput, "document_url", "text"),
            _c(JointPositionInput, "issue_ids", "links", target="issues"),
            *_bookkeeping(),
        ),
        JointPositionInput,
    ),
    "signatories": TableSpec(
        "signatories",
        "Signatories",
        "signatory",
        (
            _ID,
            _VERSION,
            Col("joint_position_id", "Joint position", "ref", target="joint_positions"),
            _c(SignatoryInput, "organisation_id", "ref", target="organisations"),
            _c(SignatoryInput, "status", "enum", "Status", enum=SignatoryStatus),
            _c(SignatoryInput, "status_date", "date"),
            *_bookkeeping(),
        ),
        SignatoryInput,
        key_fields=("joint_position_id",),
    ),
    "organisations": TableSpec(
        "organisations",
        "Organisations",
        "organisation",
        (
            _ID,
            _VERSION,
            _c(OrganisationInput, "name", "text"),
            _c(OrganisationInput, "type", "text"),
            _c(OrganisationInput, "country", "text"),
            _c(OrganisationInput, "transparency_register", "text"),
            _c(OrganisationInput, "is_partner", "bool"),
            _c(OrganisationInput, "website", "text"),
            Col("merged_into", "Merged into", "ref", target="organisations", readonly=True),
            *_bookkeeping(),
        ),
        OrganisationInput,
    ),
    "activities": TableSpec(
        "activities",
        "Activities",
        "activity",
        (
            _ID,
            _VERSION,
            _c(ActivityInput, "activity_date", "date"),
            _c(ActivityInput, "type", "text"),
            _c(ActivityInput, "summary", "longtext"),
            _c(ActivityInput, "outcome", "longtext"),
            _c(ActivityInput, "is_influencing", "bool", "Influencing"),
            _c(ActivityInput, "effort_days", "decimal"),
            _c(ActivityInput, "funding_source", "text"),
            _c(ActivityInput, "follow_up", "date"),
            _c(ActivityInput, "issue_ids", "links", target="issues"),
            _c(ActivityInput, "organisation_ids", "links", target="organisations"),
            _c(ActivityInput, "contact_ids", "links", target="contacts"),
            Col("created_by", "Created by", "text", readonly=True),
            *_bookkeeping(),
        ),
        ActivityInput,
    ),
    "audit": TableSpec(
        "audit",
        "Change history",
        "audit",
        (
            Col("id", "ID", "id", readonly=True),
            Col("at", "When", "timestamp", readonly=True),
            Col("actor", "User", "text", readonly=True),
            Col("entity", "Record type", "text", readonly=True),
            Col("entity_id", "Record ID", "int", readonly=True),
            Col("action", "Action", "text", readonly=True),
            Col("changes", "Changes (before → after)", "json", readonly=True),
        ),
        None,
    ),
}
TABLE_NAMES = tuple(TABLES)
IMPORTABLE = tuple(name for name, spec in TABLES.items() if spec.importable)


def spec_of(table: str) -> TableSpec:
    try:
        return TABLES[table]
    except KeyError:
        raise InvalidInput.one("Table", f"'{table}' is not one of: {', '.join(TABLE_NAMES)}") from None
