"""Role checks every writing service repeats, whatever the page showed, and the audit's diff."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import Any

from tracker.domain.clock import format_timestamp
from tracker.domain.enums import Role
from tracker.domain.errors import EditConflict, PermissionDenied
from tracker.domain.models import User


def require_role(actor: User | None, needed: Role) -> User:
    if actor is None or actor.disabled:
        raise PermissionDenied("Please sign in again.")
    if not actor.role.allows(needed):
        raise PermissionDenied(f"Your role ({actor.role.label}) does not allow this; it needs {needed.label}.")
    return actor


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field → [before, after] for the fields that changed (the audit's shape)."""
    out: dict[str, list[Any]] = {}
    for key, new in after.items():
        old = before.get(key)
        if _norm(old) != _norm(new):
            out[key] = [_norm(old), _norm(new)]
    return out


def _norm(v: Any) -> Any:
    if isinstance(v, Enum):
        return v.value
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, tuple):
        return list(v)
    return v


def conflict(
    entity: str, entity_id: int, last: dict[str, Any] | None, current: dict[str, Any] | None = None
) -> EditConflict:
    """An EditConflict built outside a transaction. Only the set-wise import still uses it (its
    module is being split elsewhere); every single-row write goes through :mod:`.versioned`."""
    return EditConflict(
        entity,
        entity_id,
        changed_by=(last or {}).get("actor"),
        changed_at=format_timestamp((last or {}).get("at")) if last else None,
        current=current,
    )
