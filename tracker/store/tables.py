"""The table registry: what every table of ours holds, declared once.

Exports, imports (:data:`tracker.store.exchange.UPDATABLE`), bulk loads, the integrity
check's links and closed lists, and the versioned writes (:mod:`tracker.store.versioned`) all
read this table instead of keeping their own lists. ``tests/unit/test_table_registry.py``
checks it against the domain's input models, the export layout and a freshly created schema.

Column roles:

* ``editable``: what a user may set, the fields of the entity's input model (links apart);
* ``writable``: what the services set besides (archived_at, erased_at, a password hash …);
* ``keys``: references an import resolves besides the editable ones (a signatory's position);
* ``extra``: every other stored column (bookkeeping a bulk load may fill in).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

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
    Role,
    SignatoryStatus,
    Stage,
)
from tracker.domain.models import (
    ActivityInput,
    ConsultationInput,
    ContactInput,
    IssueInput,
    JointPositionInput,
    OrganisationInput,
    SignatoryInput,
    StageMove,
    UserInput,
)


@dataclass(frozen=True)
class Link:
    """A many-to-many link: rows of ``table`` pair ``owner`` with an ``target`` row's id."""

    field: str  # the input model's list field ("issue_ids")
    table: str  # "consultation_issues"
    owner: str  # "consultation_id"
    column: str  # "issue_id"
    target: str  # "issues"


@dataclass(frozen=True)
class Closed:
    """A column that may only hold the codes of a closed list."""

    column: str
    values: tuple[object, ...]
    nullable: bool = False


def closed(column: str, enum: type[Enum], *, nullable: bool = False) -> Closed:
    return Closed(column, tuple(int(m.value) if isinstance(m.value, int) else m.value for m in enum), nullable)


@dataclass(frozen=True)
class Table:
    name: str
    entity: str  # how the audit log names one row
    editable: tuple[str, ...] = ()
    writable: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    versioned: bool = True
    soft_delete: bool = False  # a ``deleted_at`` column: deleted rows stay, hidden
    stamped: bool = True  # ``updated_at`` / ``updated_by`` columns
    created: tuple[str, ...] = ("created_at",)
    # Columns that must be NULL for a row to accept a versioned write (besides deleted_at).
    frozen_unless_null: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    references: dict[str, str] = field(default_factory=dict)  # column → referenced table
    closed: tuple[Closed, ...] = ()
    exported: bool = False  # a spreadsheet export (and, when it has editable columns, an import)
    model: type[BaseModel] | None = None  # the input model whose fields are the editable columns

    @property
    def updatable(self) -> frozenset[str]:
        """What a set-wise import update may assign: the editable columns and the keys."""
        return frozenset((*self.keys, *self.editable))

    @property
    def sequence(self) -> str:
        return f"seq_{self.name}"

    @property
    def live(self) -> tuple[str, ...]:
        """Columns that are NULL on a row a versioned write may change."""
        return (("deleted_at",) if self.soft_delete else ()) + self.frozen_unless_null

    @property
    def settable(self) -> frozenset[str]:
        """What a versioned update may assign."""
        return frozenset((*self.editable, *self.writable))

    @property
    def columns(self) -> tuple[str, ...]:
        """Every stored column, in no particular order beyond id first."""
        cols = ["id"]
        if self.versioned:
            cols.append("version")
        cols += [*self.keys, *self.editable, *self.writable, *self.extra, *self.created]
        if self.stamped:
            cols += ["updated_at", "updated_by"]
        if self.soft_delete:
            cols.append("deleted_at")
        out: list[str] = []
        for c in cols:
            if c not in out:
                out.append(c)
        return tuple(out)


def _issue_link(owner: str, link_table: str) -> Link:
    return Link("issue_ids", link_table, owner, "issue_id", "issues")


ISSUES = Table(
    "issues",
    "issue",
    exported=True,
    model=IssueInput,
    editable=(
        "title",
        "summary",
        "policy_area",
        "level",
        "policy_reference",
        "reference_url",
        "policy_cycle",
        "owner",
        "priority",
        "position",
        "ask",
        "member_relevance",
        "member_segments",
        "why_it_matters",
        "target_stage",
        "lifecycle",
        "next_review",
        "tags",
    ),
    writable=("archived_at",),
    created=("created_at", "created_by"),
    closed=(
        closed("level", Level),
        closed("priority", Priority),
        closed("position", Position),
        closed("lifecycle", Lifecycle),
        closed("policy_cycle", PolicyCycle, nullable=True),
        closed("target_stage", Stage),
        Closed("member_relevance", (1, 2, 3, 4, 5)),
    ),
)
STAGE_EVENTS = Table(
    "stage_events",
    "stage_event",
    exported=True,
    model=StageMove,
    editable=("to_stage", "event_date", "note", "evidence_ref", "evidence_url"),
    keys=("issue_id",),
    extra=("from_stage", "author", "recorded_at"),
    versioned=False,
    stamped=False,
    created=(),
    references={"issue_id": "issues"},
)
CONSULTATIONS = Table(
    "consultations",
    "consultation",
    exported=True,
    model=ConsultationInput,
    editable=(
        "title",
        "authority",
        "policy_areas",
        "type",
        "reference",
        "url",
        "opens",
        "closes",
        "response_status",
        "submitted_on",
        "feedback_reference",
        "joint_position_id",
    ),
    writable=("source", "total_feedback"),
    soft_delete=True,
    links=(_issue_link("consultation_id", "consultation_issues"),),
    references={"joint_position_id": "joint_positions"},
    closed=(closed("type", ConsultationType), closed("response_status", ResponseStatus)),
)
JOINT_POSITIONS = Table(
    "joint_positions",
    "joint_position",
    exported=True,
    model=JointPositionInput,
    editable=(
        "title",
        "summary",
        "status",
        "lead_organisation_id",
        "consultation_id",
        "target_institution",
        "published_on",
        "document_url",
    ),
    soft_delete=True,
    links=(_issue_link("joint_position_id", "joint_position_issues"),),
    references={"lead_organisation_id": "organisations", "consultation_id": "consultations"},
    closed=(closed("status", JointPositionStatus),),
)
SIGNATORIES = Table(
    "signatories",
    "signatory",
    exported=True,
    model=SignatoryInput,
    editable=("organisation_id", "status", "status_date"),
    keys=("joint_position_id",),
    references={"joint_position_id": "joint_positions", "organisation_id": "organisations"},
    closed=(closed("status", SignatoryStatus),),
)
ORGANISATIONS = Table(
    "organisations",
    "organisation",
    exported=True,
    model=OrganisationInput,
    editable=("name", "type", "country", "transparency_register", "is_partner", "website"),
    writable=("merged_into",),
    soft_delete=True,
    references={"merged_into": "organisations"},
)
CONTACTS = Table(
    "contacts",
    "contact",
    model=ContactInput,
    editable=("name", "role", "institution", "organisation_id", "email", "phone"),
    writable=("erased_at",),
    soft_delete=True,
    frozen_unless_null=("erased_at",),
    references={"organisation_id": "organisations"},
)
ACTIVITIES = Table(
    "activities",
    "activity",
    exported=True,
    model=ActivityInput,
    editable=(
        "activity_date",
        "type",
        "summary",
        "outcome",
        "is_influencing",
        "effort_days",
        "funding_source",
        "follow_up",
    ),
    # The follow-up's assignee and its done mark: set by My work's own versioned writes.
    writable=("assignee", "assigned_at", "done_at", "done_by"),
    created=("created_at", "created_by"),
    soft_delete=True,
    links=(
        Link("issue_ids", "activity_issues", "activity_id", "issue_id", "issues"),
        Link("organisation_ids", "activity_organisations", "activity_id", "organisation_id", "organisations"),
        Link("contact_ids", "activity_contacts", "activity_id", "contact_id", "contacts"),
    ),
)
USERS = Table(
    "users",
    "user",
    model=UserInput,
    editable=("display_name", "email", "role"),
    writable=("disabled", "must_change_password", "password_hash", "failed_attempts", "locked_until"),
    keys=("username",),
    extra=("is_demo", "last_sign_in_at", "digest", "last_digest_at"),
    stamped=False,
    closed=(closed("role", Role),),
)
REFERENCE_VALUES = Table(
    "reference_values",
    "reference_value",
    editable=("value",),
    writable=("position",),
    keys=("kind",),
    soft_delete=True,
    stamped=False,
    created=(),
)
AUDIT = Table(
    "audit",
    "audit",
    exported=True,
    extra=("at", "actor", "entity", "entity_id", "action", "changes"),
    versioned=False,
    stamped=False,
    created=(),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        ISSUES,
        STAGE_EVENTS,
        CONSULTATIONS,
        JOINT_POSITIONS,
        SIGNATORIES,
        ORGANISATIONS,
        CONTACTS,
        ACTIVITIES,
        USERS,
        REFERENCE_VALUES,
        AUDIT,
    )
}
LINK_TABLES: dict[str, Link] = {link.table: link for t in TABLES.values() for link in t.links}


def table(name: str) -> Table:
    """The registry entry of ``name``; a name that is not ours is a programming error."""
    try:
        return TABLES[name]
    except KeyError:
        raise ValueError(f"not a table: {name}") from None


def columns(name: str) -> tuple[str, ...]:
    """Every stored column of a registry table or link table."""
    if name in LINK_TABLES:
        link = LINK_TABLES[name]
        return (link.owner, link.column)
    return table(name).columns


def entity_tables() -> dict[str, str]:
    """Audit entity → table, for every table whose rows are audited one by one (the log also
    names a few by their table name)."""
    out = {t.entity: t.name for t in TABLES.values() if t.name != "audit"}
    out.update({t: t for t in list(out.values())})
    return out


def references() -> tuple[tuple[str, str, str], ...]:
    """(table, column, referenced table) of every link and reference the schema implies."""
    out: list[tuple[str, str, str]] = []
    for t in TABLES.values():
        out += [(t.name, col, target) for col, target in t.references.items()]
        for link in t.links:
            out += [(link.table, link.owner, t.name), (link.table, link.column, link.target)]
    return tuple(out)
