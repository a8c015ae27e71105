"""Reference lists that feed the forms' choices."""

from __future__ import annotations

from tracker.domain.enums import ReferenceKind
from tracker.store import Database
from tracker.store import reference as store


def values(db: Database, kind: ReferenceKind) -> list[str]:
    """The current values of one list, in the admin's order."""
    return store.values(db, kind.value)
