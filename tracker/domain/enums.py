"""The influence ladder and every closed list of values.

Stored values are the enum values (stable codes); users see ``.label``.
"""

from __future__ import annotations

from enum import Enum, IntEnum
from typing import Any, TypeVar

L = TypeVar("L", bound="Labelled")


class Labelled(str, Enum):
    """A string enum whose members carry a human label."""

    label: str

    def __new__(cls, value: str, label: str) -> Labelled:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    @classmethod
    def of(cls: type[L], value: Any) -> L:
        """The member whose code is ``value`` (a member passes through); ValueError otherwise.

        ``Enum(value)`` does the same at run time, but type checkers read the two-argument
        ``__new__`` above as its signature."""
        return cls(value)  # type: ignore[call-arg]

    @classmethod
    def from_label(cls, text: str) -> Labelled:
        """Accept either the code or the label, case-insensitively."""
        t = text.strip().lower()
        for m in cls:
            if t in (m.value.lower(), m.label.lower()):
                return m
        raise ValueError(f"'{text}' is not one of: {', '.join(m.label for m in cls)}")

    def __str__(self) -> str:
        return self.label


class Stage(IntEnum):
    """The six rungs of the influence ladder."""

    WATCHING = 0
    AWARENESS = 1
    POSITIONING = 2
    FORMAL_INPUT = 3
    ACTIVE_INFLUENCING = 4
    POLICY_UPTAKE = 5

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]

    @property
    def colour(self) -> str:
        return STAGE_COLOURS[self]

    @property
    def phase(self) -> str:
        """Coffman's grouping: awareness (0-1), will (2-3), action (4-5)."""
        return ("Awareness", "Will", "Action")[self.value // 2]

    @classmethod
    def from_label(cls, text: str) -> Stage:
        t = str(text).strip().lower()
        for s in cls:
            if t in (s.label.lower(), str(s.value), s.name.lower()):
                return s
        raise ValueError(f"'{text}' is not a stage of the ladder")

    def __str__(self) -> str:
        return self.label


STAGE_LABELS = {
    Stage.WATCHING: "Watching",
    Stage.AWARENESS: "Awareness-raising",
    Stage.POSITIONING: "Positioning & mobilising",
    Stage.FORMAL_INPUT: "Formal input",
    Stage.ACTIVE_INFLUENCING: "Active influencing",
    Stage.POLICY_UPTAKE: "Policy uptake",
}

# One colour per rung everywhere (charts, badges). A sequential palette that reads in
# light and dark themes: cool greys/blues for awareness, greens for action.
STAGE_COLOURS = {
    Stage.WATCHING: "#9AA5B1",
    Stage.AWARENESS: "#5B8DEF",
    Stage.POSITIONING: "#8E6CEF",
    Stage.FORMAL_INPUT: "#F2A541",
    Stage.ACTIVE_INFLUENCING: "#2BB673",
    Stage.POLICY_UPTAKE: "#0E7C4A",
}


class Lifecycle(Labelled):
    ACTIVE = ("active", "Active")
    PAUSED = ("paused", "Paused")
    WON = ("won", "Won")
    LOST = ("lost", "Lost")
    DROPPED = ("dropped", "Dropped")


class Level(Labelled):
    REGIONAL = ("regional", "Regional")
    NATIONAL = ("national", "National")
    EU = ("eu", "EU")
    INTERNATIONAL = ("international", "International")


class Priority(Labelled):
    HIGH = ("high", "High")
    MEDIUM = ("medium", "Medium")
    LOW = ("low", "Low")


class Position(Labelled):
    SUPPORT = ("support", "Support")
    OPPOSE = ("oppose", "Oppose")
    AMEND = ("amend", "Amend")
    NEUTRAL = ("neutral", "Neutral")


class PolicyCycle(Labelled):
    """The external file's own stage (EU policy cycle): not our influence."""

    AGENDA = ("agenda_setting", "Agenda setting")
    FORMULATION = ("formulation", "Formulation")
    DECISION = ("decision", "Decision")
    IMPLEMENTATION = ("implementation", "Implementation")
    EVALUATION = ("evaluation", "Evaluation")


class ConsultationType(Labelled):
    CALL_FOR_EVIDENCE = ("call_for_evidence", "Call for evidence")
    PUBLIC_CONSULTATION = ("public_consultation", "Public consultation")
    FEEDBACK_ON_PROPOSAL = ("feedback_on_proposal", "Feedback on a proposal")
    DRAFT_ACT = ("draft_act", "Draft act")
    NATIONAL = ("national", "National consultation")


# Commission feedback windows in weeks, by consultation type.
CONSULTATION_WINDOW_WEEKS = {
    ConsultationType.CALL_FOR_EVIDENCE: 4,
    ConsultationType.PUBLIC_CONSULTATION: 12,
    ConsultationType.FEEDBACK_ON_PROPOSAL: 8,
    ConsultationType.DRAFT_ACT: 4,
}


class ResponseStatus(Labelled):
    NOT_STARTED = ("not_started", "Not started")
    DRAFTING = ("drafting", "Drafting")
    SUBMITTED = ("submitted", "Submitted")
    SKIPPED = ("skipped", "Skipped")


class JointPositionStatus(Labelled):
    IDEA = ("idea", "Idea")
    DRAFTING = ("drafting", "Drafting")
    CIRCULATING = ("circulating", "Circulating")
    ADOPTED = ("adopted", "Adopted")
    PUBLISHED = ("published", "Published")

    @property
    def rank(self) -> int:
        return list(JointPositionStatus).index(self)


class SignatoryStatus(Labelled):
    INVITED = ("invited", "Invited")
    AGREED = ("agreed", "Agreed")
    DECLINED = ("declined", "Declined")
    WITHDRAWN = ("withdrawn", "Withdrawn")


class Role(Labelled):
    VIEWER = ("viewer", "Viewer")
    EDITOR = ("editor", "Editor")
    ADMIN = ("admin", "Admin")

    @property
    def rank(self) -> int:
        return {"viewer": 0, "editor": 1, "admin": 2}[self.value]

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


class ReferenceKind(Labelled):
    """Admin-editable reference lists."""

    POLICY_AREA = ("policy_area", "Policy areas")
    MEMBER_SEGMENT = ("member_segment", "Member segments")
    FUNDING_SOURCE = ("funding_source", "Funding sources")
    ACTIVITY_TYPE = ("activity_type", "Activity types")
    ORGANISATION_TYPE = ("organisation_type", "Organisation types")


# Activity types that count as influencing (two-way, outward); all others raise awareness.
INFLUENCING_ACTIVITY_TYPES = frozenset(
    {
        "Meeting",
        "Letter",
        "Consultation response",
        "Hearing",
        "Expert group",
    }
)
