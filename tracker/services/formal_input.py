"""The Formal-input proposal made after any formal step (a published joint position, a submitted
consultation response): each linked issue still below Formal input, with the stage event that
would record it, its evidence pre-filled. A person confirms it; nothing is recorded on its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracker.domain.enums import Stage
from tracker.domain.errors import InvalidInput
from tracker.store import Database
from tracker.store import joint_positions as store


def proposals(
    db: Database, issue_ids: list[int], day: dt.date, *, evidence_ref: str, evidence_url: str | None, note: str
) -> list[dict[str, Any]]:
    """Each of ``issue_ids`` that is active and below Formal input, with the stage event dated
    ``day`` that would record it — the proposal made after any formal step (a published
    position, a submitted consultation response)."""
    out = []
    for issue in store.issue_rows(db, issue_ids):
        if issue["archived"] or int(issue["stage"]) >= Stage.FORMAL_INPUT:
            continue
        since = issue["stage_since"]
        # An event dated before the issue's latest one would not become its current stage.
        when = day if since is None or since <= day else since
        out.append(
            {
                "issue_id": int(issue["id"]),
                "title": issue["title"],
                "stage": Stage(int(issue["stage"])),
                "version": int(issue["version"]),
                "data": {
                    "to_stage": Stage.FORMAL_INPUT,
                    "event_date": when,
                    "note": note,
                    "evidence_ref": evidence_ref[:500],
                    "evidence_url": evidence_url,
                },
            }
        )
    return out


def proposal_for(proposals: list[dict[str, Any]], issue_id: int) -> dict[str, Any]:
    """The one of :func:`proposals` for ``issue_id``; refused when there is none."""
    match = next((s for s in proposals if s["issue_id"] == issue_id), None)
    if match is None:
        raise InvalidInput.one("Issue", "is not a linked issue below Formal input")
    return match
