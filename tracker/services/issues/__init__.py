"""Policy issues and the influence ladder: read, search, create, edit, move stage, archive, bulk.

Callers import ``tracker.services.issues``; the parts live in :mod:`.records` (an issue and its
reads), :mod:`.search`, :mod:`.ladder` (the rules), :mod:`.writes` and :mod:`.bulk`.
"""

from __future__ import annotations

from .bulk import MAX_BULK, bulk_add_tag, bulk_reassign, bulk_set_review
from .ladder import HISTORY_FROM, REVIEW_FROM, check_move, move_date_range, review_date_errors, start_date_errors
from .records import (
    ENTITY,
    INPUT_FIELDS,
    KIND,
    areas_in_use,
    choices,
    current_values,
    events,
    find,
    get,
    history,
    linked_consultations,
    linked_positions,
    owners_in_use,
    people,
    stage_since,
    tags_in_use,
    timeline,
)
from .search import SORT_LABELS, IssueQuery, SortKey, counts, search
from .writes import CREATE_EVENT_KEYS, archive, create, move_stage, restore, update

__all__ = [
    "CREATE_EVENT_KEYS",
    "ENTITY",
    "HISTORY_FROM",
    "INPUT_FIELDS",
    "KIND",
    "MAX_BULK",
    "REVIEW_FROM",
    "SORT_LABELS",
    "IssueQuery",
    "SortKey",
    "archive",
    "areas_in_use",
    "bulk_add_tag",
    "bulk_reassign",
    "bulk_set_review",
    "check_move",
    "choices",
    "counts",
    "create",
    "current_values",
    "events",
    "find",
    "get",
    "history",
    "linked_consultations",
    "linked_positions",
    "move_date_range",
    "move_stage",
    "owners_in_use",
    "people",
    "restore",
    "review_date_errors",
    "search",
    "stage_since",
    "start_date_errors",
    "tags_in_use",
    "timeline",
    "update",
]
