"""Errors the services raise; the pages and the CLI turn them into words for people."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class TrackerError(Exception):
    """Base of every error a user may see."""


class PermissionDenied(TrackerError):
    def __init__(self, message: str = "Your role does not allow this change.") -> None:
        super().__init__(message)


class NotFound(TrackerError):
    pass


@dataclass
class FieldError:
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line is not None else ""
        return f"{where}{self.field}: {self.message}"


class InvalidInput(TrackerError):
    """Input refused at the boundary; carries one message per offending field."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))

    @classmethod
    def one(cls, field: str, message: str) -> InvalidInput:
        return cls([FieldError(field, message)])


class EditConflict(TrackerError):
    """Someone else saved first; nothing was overwritten."""

    def __init__(
        self,
        entity: str,
        entity_id: int,
        changed_by: str | None = None,
        changed_at: Any = None,
        current: dict[str, Any] | None = None,
    ) -> None:
        self.entity = entity
        self.entity_id = entity_id
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.current = current or {}
        who = changed_by or "another user"
        when = f" at {changed_at}" if changed_at else ""
        super().__init__(f"This {entity} was changed by {who}{when} — review their changes.")


class StorageError(TrackerError):
    """The database failed (disk full, I/O): committed data is safe, this change was not saved."""


class DatabaseUnavailable(TrackerError):
    """The database cannot be opened: missing, in use, unwritable or too new."""


@dataclass
class ImportReport:
    """Outcome of an all-or-nothing import."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return f"{self.inserted:,} inserted, {self.updated:,} updated, {self.unchanged:,} unchanged"


class ImportRefused(TrackerError):
    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        n = len(errors)
        super().__init__(f"Import refused: {n} unusable row{'s' if n != 1 else ''}; nothing was written.")
