"""An issue as the services read it: ids checked, rows turned into :class:`Issue`, its reads.

The writes (:mod:`.writes`, :mod:`.bulk`) share these conversions and :data:`KIND`, the
versioned write's description of an issue.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import pandas as pd

from tracker.domain.errors import InvalidInput, NotFound
from tracker.domain.models import Issue, IssueInput
from tracker.store import Database, Tx
from tracker.store import audit as audit_store
from tracker.store import issues as store
from tracker.store import users as users_store

from .. import guard, versioned

ENTITY = "issue"
INPUT_FIELDS = tuple(IssueInput.model_fields)
MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1


def _number(value: Any, field: str, upper: int) -> int:
    """A positive whole number within the column's range, or a field error (never a database error)."""
    if isinstance(value, bool):
        raise InvalidInput.one(field, "is not a number")
    try:
        number = int(str(value).strip()) if isinstance(value, str) else int(value)
    except (TypeError, ValueError, OverflowError):
        raise InvalidInput.one(field, "is not a number") from None
    if isinstance(value, float) and value != number:
        raise InvalidInput.one(field, "is not a whole number")
    if not 0 < number <= upper:
        raise InvalidInput.one(field, "is out of range")
    return number


def parse_id(value: Any) -> int:
    try:
        return _number(value, "Issue", MAX_ID)
    except InvalidInput:
        raise NotFound(f"Issue {str(value)[:40]} does not exist.") from None


def parse_version(value: Any) -> int:
    return _number(value, "Version", MAX_VERSION)


# ------------------------------------------------------------------ conversions


def _db_value(v: Any) -> Any:
    if isinstance(v, Enum):
        return v.value
    if isinstance(v, list):
        return list(v)
    return v


def db_values(model: IssueInput) -> dict[str, Any]:
    return {name: _db_value(getattr(model, name)) for name in INPUT_FIELDS}


def to_issue(row: dict[str, Any]) -> Issue:
    data = {k: v for k, v in row.items() if k != "stage_since"}
    return Issue.model_validate(data)


def input_of(issue: Issue) -> dict[str, Any]:
    return {name: getattr(issue, name) for name in INPUT_FIELDS}


def current_values(issue: Issue) -> dict[str, Any]:
    """The issue's user fields plus stage and version, JSON-friendly (for conflicts and exports)."""
    out = {k: guard._norm(v) for k, v in input_of(issue).items()}
    out["stage"] = int(issue.stage)
    out["version"] = issue.version
    out["archived"] = issue.archived_at is not None
    return out


# ------------------------------------------------------------------ reading


def get(db: Database, issue_id: int) -> Issue:
    issue_id = parse_id(issue_id)
    row = store.get(db, issue_id)
    if row is None:
        raise NotFound(f"Issue {issue_id} does not exist.")
    return to_issue(row)


def find(db: Database, issue_id: int) -> Issue | None:
    try:
        return get(db, issue_id)
    except NotFound:
        return None


def events(db: Database, issue_id: int) -> list[dict[str, Any]]:
    """Stage events, newest first."""
    return store.events(db, issue_id)


def stage_since(db: Database, issue_id: int) -> dt.date | None:
    row = store.get(db, issue_id)
    return row["stage_since"] if row else None


def timeline(db: Database, issue_id: int) -> pd.DataFrame:
    """Stage events and activities merged, newest first."""
    rows = store.timeline(db, issue_id)
    return pd.DataFrame(rows, columns=list(store.TIMELINE_COLUMNS))


def linked_consultations(db: Database, issue_id: int) -> list[dict[str, Any]]:
    return store.linked_consultations(db, issue_id)


def linked_positions(db: Database, issue_id: int) -> list[dict[str, Any]]:
    return store.linked_positions(db, issue_id)


def history(db: Database, issue_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """Audit entries for the issue, newest first: at, actor, action, changes (field → [before, after])."""
    return audit_store.history(db, ENTITY, issue_id, limit)


def choices(db: Database) -> list[tuple[int, str]]:
    """(id, title) of every issue that is not archived, by title."""
    return store.choices(db)


def tags_in_use(db: Database) -> list[str]:
    return store.tags_in_use(db)


def areas_in_use(db: Database) -> list[str]:
    return store.areas_in_use(db)


def owners_in_use(db: Database) -> list[str]:
    return store.owners_in_use(db)


def people(db: Database) -> dict[str, str]:
    """User name → display name, to show owners, authors and editors as people know them."""
    return users_store.display_names(db)


def _row(tx: Tx, issue_id: int) -> dict[str, Any] | None:
    """The issue's stored row (with ``stage`` and ``stage_since``) as this transaction sees it.

    A write reads its issue once, here, inside its transaction (before the write lock: the
    writes run with ``read_first``); the Issue it returns is this row plus what the write
    stored (see :func:`committed`), never a second read.
    """
    return store.get_tx(tx, issue_id)


KIND = versioned.Kind("issues", "issue", _row, lambda row: current_values(to_issue(row)), "Issue {id} does not exist.")


def committed(row: dict[str, Any], stamp: dict[str, Any], changes: dict[str, Any] | None = None) -> Issue:
    """The issue as it is once this transaction commits: the row read at its start, the
    values it changed and the stamp of its version-checked statement."""
    return to_issue({**row, **(changes or {}), **stamp})
