"""Bulk actions on selected issues: one transaction, every version checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from tracker.domain import clock
from tracker.domain.enums import Role
from tracker.domain.errors import InvalidInput, NotFound
from tracker.domain.models import Issue, IssueInput, User, parse
from tracker.store import Database, Tx

from .. import guard, versioned
from .ladder import review_date_errors
from .records import KIND, committed, db_values, input_of, parse_id, parse_version, to_issue

MAX_BULK = 5_000


def _bulk(
    db: Database,
    actor: User,
    items: Iterable[tuple[int, int]],
    change: Callable[[Issue], dict[str, Any]],
    action: str,
) -> list[Issue]:
    """Apply ``change`` (issue → new field values) to every (id, version) pair in one transaction.

    Any stale version refuses the whole batch with an EditConflict naming that issue.
    """
    guard.require_role(actor, Role.EDITOR)
    try:
        pairs = [(parse_id(i), parse_version(v)) for i, v in items]
    except (NotFound, TypeError, ValueError):
        raise InvalidInput.one("Issues", "the selection is not a list of issues and their versions") from None
    if not pairs:
        raise InvalidInput.one("Issues", "select at least one issue")
    if len(pairs) > MAX_BULK:
        raise InvalidInput.one("Issues", f"at most {MAX_BULK:,} issues at once")
    if len({i for i, _ in pairs}) != len(pairs):
        raise InvalidInput.one("Issues", "an issue is selected twice")
    now = clock.now()

    def work(tx: Tx) -> list[Issue]:
        out: list[Issue] = []
        for issue_id, version in pairs:
            row = versioned.load(tx, KIND, issue_id, version)
            issue = to_issue(row)
            if issue.archived_at is not None:
                raise InvalidInput.one("Issues", f"issue {issue_id} is archived; restore it first")
            before = db_values(issue)
            model = parse(IssueInput, {**input_of(issue), **change(issue)})
            after = db_values(model)
            changed = {k: v for k, v in after.items() if guard.diff({k: before[k]}, {k: v})}
            if not changed:
                out.append(issue)
                continue
            stamp = versioned.save(
                tx, KIND, issue_id, version, changed, actor=actor.username, at=now, action=action, before=before
            )
            out.append(committed(row, stamp, changed))
        return out

    return db.write(work)


def bulk_reassign(db: Database, actor: User, items: Iterable[tuple[int, int]], owner: str | None) -> list[Issue]:
    """Give every selected issue to ``owner`` (None: no owner)."""
    return _bulk(db, actor, items, lambda _i: {"owner": owner}, "bulk reassign")


def bulk_set_review(db: Database, actor: User, items: Iterable[tuple[int, int]], day: dt.date | None) -> list[Issue]:
    """Set the next review date of every selected issue (None clears it)."""
    if isinstance(day, dt.date) and (wrong := review_date_errors(day, clock.today())):
        raise InvalidInput(wrong)
    return _bulk(db, actor, items, lambda _i: {"next_review": day}, "bulk review date")


def bulk_add_tag(db: Database, actor: User, items: Iterable[tuple[int, int]], tag: str) -> list[Issue]:
    """Add ``tag`` to every selected issue that lacks it."""
    if not isinstance(tag, str) or not tag.strip():
        raise InvalidInput.one("Tag", "is required")
    return _bulk(db, actor, items, lambda i: {"tags": [*i.tags, tag]}, "bulk add tag")
