"""Who did it, as people read it: change-history entries name their author by display name."""

from __future__ import annotations

from typing import Any

from tracker.store import Database
from tracker.store import users as users_store

# The audit's action codes, in words (an unknown code is shown capitalised, never lower-case).
ACTIONS = {
    "create": "Created",
    "update": "Edited",
    "delete": "Deleted",
    "response": "Response recorded",
    "publish": "Published",
    "add signatory": "Signatory added",
    "update signatory": "Signatory changed",
    "remove signatory": "Signatory removed",
    "import": "Imported",
}


def readable(db: Database, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``entries`` (audit history) with ``actor`` as the person's display name (the user name
    when they have none, or no longer have an account) and ``action`` in words."""
    names = users_store.display_names(db)
    return [
        {
            **e,
            "actor": names.get(e["actor"]) or e["actor"],
            "action": ACTIONS.get(e["action"], str(e["action"]).capitalize()),
        }
        for e in entries
    ]
