"""Pydantic models for every entity: ``...Input`` is what a user may set, the bare name
is a stored row (id, version and bookkeeping added).

Validation messages are written for policy officers; :func:`parse` turns pydantic's
errors into :class:`InvalidInput` naming each field by its label.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Annotated, Any, TypeVar
from urllib.parse import urlparse

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from .enums import (
    ConsultationType,
    JointPositionStatus,
    Labelled,
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
from .errors import FieldError, InvalidInput

# ---------------------------------------------------------------- field types

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _as_text(value: Any) -> Any:
    """Bytes are decoded before cleaning, so they are checked like any other text."""
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("is not valid text") from None
    return value


def _clean_line(value: Any) -> Any:
    """One-line text: trimmed, NFC, no control characters (tabs/newlines become spaces)."""
    value = _as_text(value)
    if value is None or not isinstance(value, str):
        return value
    value = unicodedata.normalize("NFC", value)
    value = value.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    if _CONTROL.search(value):
        raise ValueError("contains control characters")
    return value.strip()


def _clean_text(value: Any) -> Any:
    """Multi-line text: newlines kept, other control characters refused."""
    value = _as_text(value)
    if value is None or not isinstance(value, str):
        return value
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(value):
        raise ValueError("contains control characters")
    return value.strip()


def _empty_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _check_url(value: str | None) -> str | None:
    if value is None:
        return None
    parsed = urlparse(value)
    if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc:
        raise ValueError("must be a web address starting with http:// or https://")
    if any(c.isspace() for c in value):
        raise ValueError("must not contain spaces")
    return value


def _check_tags(value: Any) -> Any:
    value = _as_text(value)
    if value is None:
        return []
    if isinstance(value, str):
        value = [v for v in re.split(r"[;,]", value)]
    if not isinstance(value, (list, tuple, set, frozenset)):
        raise ValueError("must be a list of words")
    out: list[str] = []
    for v in value:
        v = _clean_line(v)
        if not isinstance(v, str):
            raise ValueError("must be a list of words")
        if v and v.lower() not in (o.lower() for o in out):
            out.append(v)
    return out


Line = Annotated[str, BeforeValidator(_clean_line)]
Text = Annotated[str, BeforeValidator(_clean_text)]
OptLine = Annotated[str | None, BeforeValidator(_empty_to_none), BeforeValidator(_clean_line)]
OptText = Annotated[str | None, BeforeValidator(_empty_to_none), BeforeValidator(_clean_text)]
Url = Annotated[str | None, BeforeValidator(_empty_to_none), BeforeValidator(_clean_line), AfterValidator(_check_url)]
Tags = Annotated[list[Annotated[str, Field(max_length=60)]], BeforeValidator(_check_tags)]
OptDate = Annotated[dt.date | None, BeforeValidator(_empty_to_none)]
# A row id: positive and within DuckDB's BIGINT, so an absurd number is a field error, not a
# database error.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, validate_assignment=True, use_enum_values=False
    )


# ---------------------------------------------------------------- policy issues


class IssueInput(Model):
    title: Line = Field(min_length=1, max_length=200, title="Title")
    summary: OptText = Field(None, max_length=10_000, title="Summary")
    policy_area: OptLine = Field(None, max_length=100, title="Policy area")
    level: Level = Field(Level.EU, title="Level")
    policy_reference: OptLine = Field(None, max_length=200, title="Policy reference")
    reference_url: Url = Field(None, max_length=2000, title="Reference link")
    policy_cycle: PolicyCycle | None = Field(None, title="Policy cycle stage")
    owner: OptLine = Field(None, max_length=100, title="Owner")
    priority: Priority = Field(Priority.MEDIUM, title="Priority")
    position: Position = Field(Position.NEUTRAL, title="Our position")
    ask: OptText = Field(None, max_length=5_000, title="The ask")
    member_relevance: int = Field(3, ge=1, le=5, title="Member relevance")
    member_segments: Tags = Field(default_factory=list, title="Member segments")
    why_it_matters: OptText = Field(None, max_length=5_000, title="Why it matters to members")
    target_stage: Stage = Field(Stage.ACTIVE_INFLUENCING, title="Target stage")
    lifecycle: Lifecycle = Field(Lifecycle.ACTIVE, title="Lifecycle status")
    next_review: OptDate = Field(None, title="Next review")
    tags: Tags = Field(default_factory=list, title="Tags")


class Issue(IssueInput):
    id: int
    version: int
    stage: Stage = Field(title="Current stage")
    # Bookkeeping (user names) is clean text too: a model built from anything holds no control characters.
    created_at: dt.datetime | None = None
    created_by: OptLine = None
    updated_at: dt.datetime | None = None
    updated_by: OptLine = None
    archived_at: dt.datetime | None = None


class StageMove(Model):
    """A request to move an issue to another rung."""

    to_stage: Stage = Field(title="New stage")
    event_date: dt.date = Field(title="Date")
    note: OptText = Field(None, max_length=5_000, title="Note")
    evidence_ref: OptLine = Field(None, max_length=500, title="Evidence reference")
    evidence_url: Url = Field(None, max_length=2000, title="Evidence link")


class StageEvent(Model):
    id: int
    issue_id: int
    from_stage: Stage | None
    to_stage: Stage
    event_date: dt.date
    author: str
    note: str | None = None
    evidence_ref: str | None = None
    evidence_url: str | None = None
    recorded_at: dt.datetime | None = None


# ---------------------------------------------------------------- consultations


class ConsultationInput(Model):
    title: Line = Field(min_length=1, max_length=500, title="Title")
    authority: Line = Field(min_length=1, max_length=200, title="Authority")
    policy_areas: Tags = Field(default_factory=list, title="Policy areas")
    type: ConsultationType = Field(ConsultationType.PUBLIC_CONSULTATION, title="Type")
    reference: OptLine = Field(None, max_length=200, title="Reference")
    url: Url = Field(None, max_length=2000, title="Link")
    opens: OptDate = Field(None, title="Opens")
    closes: dt.date = Field(title="Closes")
    response_status: ResponseStatus = Field(ResponseStatus.NOT_STARTED, title="Our response")
    submitted_on: OptDate = Field(None, title="Submitted on")
    feedback_reference: OptLine = Field(None, max_length=200, title="Feedback reference")
    joint_position_id: Id | None = Field(None, title="Joint position")
    issue_ids: list[Id] = Field(default_factory=list, title="Linked issues")

    @model_validator(mode="after")
    def _dates_in_order(self) -> ConsultationInput:
        if self.opens and self.opens > self.closes:
            raise ValueError("closes: must be on or after the opening date")
        if self.response_status == ResponseStatus.SUBMITTED and self.submitted_on is None:
            raise ValueError("submitted_on: a submitted response needs the date it was submitted")
        if self.submitted_on and self.response_status != ResponseStatus.SUBMITTED:
            raise ValueError("submitted_on: only a submitted response has a submission date")
        return self


class Consultation(ConsultationInput):
    id: int
    version: int
    source: Line = "manual"
    total_feedback: int | None = None
    updated_at: dt.datetime | None = None
    updated_by: OptLine = None


# ---------------------------------------------------------------- organisations and contacts

TRANSPARENCY_REGISTER = re.compile(r"^\d{9,13}-\d{2}$")


def _check_register(value: str | None) -> str | None:
    if value is not None and not TRANSPARENCY_REGISTER.match(value):
        raise ValueError("must look like 123456789012-34 (digits, a dash, two check digits)")
    return value


class OrganisationInput(Model):
    name: Line = Field(min_length=1, max_length=200, title="Name")
    type: OptLine = Field(None, max_length=60, title="Type")
    country: OptLine = Field(None, max_length=60, title="Country")
    transparency_register: Annotated[OptLine, AfterValidator(_check_register)] = Field(
        None, title="EU Transparency Register number"
    )
    is_partner: bool = Field(False, title="Partner")
    website: Url = Field(None, max_length=2000, title="Website")


class Organisation(OrganisationInput):
    id: int
    version: int
    merged_into: int | None = None


class ContactInput(Model):
    name: Line = Field(min_length=1, max_length=200, title="Name")
    role: OptLine = Field(None, max_length=200, title="Role")
    institution: OptLine = Field(None, max_length=200, title="Institution")
    organisation_id: Id | None = Field(None, title="Organisation")
    email: OptLine = Field(None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", title="E-mail")
    phone: OptLine = Field(None, max_length=50, title="Phone")


class Contact(ContactInput):
    id: int
    version: int
    erased_at: dt.datetime | None = None


# ---------------------------------------------------------------- joint positions


class JointPositionInput(Model):
    title: Line = Field(min_length=1, max_length=300, title="Title")
    summary: OptText = Field(None, max_length=10_000, title="Summary")
    status: JointPositionStatus = Field(JointPositionStatus.IDEA, title="Status")
    lead_organisation_id: Id | None = Field(None, title="Lead organisation")
    consultation_id: Id | None = Field(None, title="Consultation")
    target_institution: OptLine = Field(None, max_length=200, title="Target institution")
    published_on: OptDate = Field(None, title="Published on")
    document_url: Url = Field(None, max_length=2000, title="Document link")
    issue_ids: list[Id] = Field(default_factory=list, title="Linked issues")

    @model_validator(mode="after")
    def _published_needs_date(self) -> JointPositionInput:
        if self.status == JointPositionStatus.PUBLISHED and self.published_on is None:
            raise ValueError("published_on: a published position needs its publication date")
        return self


class JointPosition(JointPositionInput):
    id: int
    version: int


class SignatoryInput(Model):
    organisation_id: Id = Field(title="Organisation")
    status: SignatoryStatus = Field(SignatoryStatus.INVITED, title="Signatory status")
    status_date: dt.date = Field(title="Date")


class Signatory(SignatoryInput):
    id: int
    joint_position_id: int
    version: int


# ---------------------------------------------------------------- activities


class ActivityInput(Model):
    activity_date: dt.date = Field(title="Date")
    type: Line = Field(min_length=1, max_length=60, title="Type")
    summary: Text = Field(min_length=1, max_length=10_000, title="Summary")
    outcome: OptText = Field(None, max_length=10_000, title="Outcome")
    is_influencing: bool = Field(False, title="Influencing (not awareness)")
    effort_days: Decimal = Field(Decimal("0"), ge=0, le=365, decimal_places=2, title="Effort (person-days)")
    funding_source: OptLine = Field(None, max_length=100, title="Funding source")
    follow_up: OptDate = Field(None, title="Follow-up date")
    issue_ids: list[Id] = Field(default_factory=list, title="Issues")
    organisation_ids: list[Id] = Field(default_factory=list, title="Organisations")
    contact_ids: list[Id] = Field(default_factory=list, title="Contacts")

    @model_validator(mode="after")
    def _follow_up_after(self) -> ActivityInput:
        if self.follow_up and self.follow_up < self.activity_date:
            raise ValueError("follow_up: the follow-up cannot be before the activity date")
        return self


class Activity(ActivityInput):
    id: int
    version: int
    created_by: OptLine = None


# ---------------------------------------------------------------- users and audit

USERNAME = r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$"


class UserInput(Model):
    username: Line = Field(min_length=2, max_length=64, pattern=USERNAME, title="Username")
    display_name: OptLine = Field(None, max_length=100, title="Name")
    email: OptLine = Field(None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", title="E-mail")
    role: Role = Field(Role.VIEWER, title="Role")


class User(UserInput):
    id: int
    version: int = 1
    disabled: bool = False
    must_change_password: bool = False
    is_demo: bool = False

    @property
    def name(self) -> str:
        return self.display_name or self.username


class AuditEntry(Model):
    id: int
    at: dt.datetime
    actor: str
    entity: str
    entity_id: int | None
    action: str
    changes: dict[str, Any] = Field(default_factory=dict)


# ---------------------------------------------------------------- parsing

M = TypeVar("M", bound=BaseModel)


def _field_title(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    if not loc:
        return "form"
    name = str(loc[0])
    info = model.model_fields.get(name)
    return info.title if info and info.title else name.replace("_", " ").capitalize()


def _message(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return "is required"
    if kind == "missing":
        return "is required"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind == "string_pattern_mismatch":
        return "is not in the expected format"
    if kind == "enum":
        return f"must be one of: {ctx.get('expected', '')}"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return "is not a valid date (use YYYY-MM-DD)"
    if kind == "less_than_equal" and ctx.get("le") == 2**63 - 1:
        return "does not name an existing record"
    if kind in ("greater_than_equal", "less_than_equal"):
        return err["msg"].lower().replace("input should be", "must be")
    msg = str(err.get("msg", "is not valid"))
    return msg.removeprefix("Value error, ").removeprefix("Input should be ").strip()


def _enum_message(model: type[BaseModel], name: str, default: str) -> str:
    """Name the choices by their labels, not their stored codes."""
    info = model.model_fields.get(name)
    ann = info.annotation if info else None
    for cls in getattr(ann, "__args__", ()) or (ann,):
        if isinstance(cls, type) and issubclass(cls, (Labelled, Stage)):
            return "must be one of: " + ", ".join(m.label for m in cls)
    return default


def errors_of(model: type[BaseModel], exc: ValidationError) -> list[FieldError]:
    """pydantic errors as field-named messages for people."""
    out: list[FieldError] = []
    for err in exc.errors():
        loc = tuple(err.get("loc", ()))
        msg = _message(dict(err))
        if not loc and ":" in msg:
            # model validators report "field: reason"
            name, _, reason = msg.partition(":")
            out.append(FieldError(_field_title(model, (name.strip(),)), reason.strip()))
        else:
            if err.get("type") == "enum" and loc:
                msg = _enum_message(model, str(loc[0]), msg)
            out.append(FieldError(_field_title(model, loc), msg))
    return out


def parse(model: type[M], data: dict[str, Any]) -> M:
    """Validate ``data`` into ``model`` or raise :class:`InvalidInput` naming each field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(errors_of(model, exc)) from None
