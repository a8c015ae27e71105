"""Searching issues: the query (text, filters, sort) and its matches and totals."""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd
from pydantic import Field, field_validator

from tracker.domain import clock
from tracker.domain.enums import Level, Lifecycle, Priority, Stage
from tracker.domain.models import Model, OptLine, parse
from tracker.store import Database
from tracker.store import issues as store

SortKey = Literal["updated", "title", "stage", "next_review", "priority", "relevance", "owner", "stage_since", "id"]
SORT_LABELS: dict[str, str] = {
    "updated": "Last changed",
    "title": "Title",
    "stage": "Stage",
    "next_review": "Next review",
    "priority": "Priority",
    "relevance": "Member relevance",
    "owner": "Owner",
    "stage_since": "On this stage since",
    "id": "Number",
}


class IssueQuery(Model):
    """A search over issues: text, filters, sort. Every field is optional."""

    text: OptLine = Field(None, max_length=200, title="Search")
    stages: list[Stage] = Field(default_factory=list, title="Stage")
    lifecycles: list[Lifecycle] = Field(default_factory=list, title="Lifecycle status")
    areas: list[str] = Field(default_factory=list, title="Policy area")
    levels: list[Level] = Field(default_factory=list, title="Level")
    owners: list[str] = Field(default_factory=list, title="Owner")
    priorities: list[Priority] = Field(default_factory=list, title="Priority")
    tags: list[str] = Field(default_factory=list, title="Tag")
    review_due: bool = Field(False, title="Review due")
    archived: Literal["exclude", "include", "only"] = Field("exclude", title="Archived issues")
    ids: list[int] | None = Field(None, title="Issues")
    sort: SortKey = Field("updated", title="Sort by")
    descending: bool = Field(True, title="Descending")
    limit: int = Field(10_000, ge=1, le=100_000, title="Limit")

    @field_validator("stages", mode="before")
    @classmethod
    def _stages(cls, v: Any) -> Any:
        if v is None:
            return []
        return [Stage.from_label(x) if isinstance(x, str) and not x.isdigit() else x for x in v]

    def filters(self) -> store.Filters:
        return store.Filters(
            text=self.text,
            stages=[int(s) for s in self.stages],
            lifecycles=[x.value for x in self.lifecycles],
            areas=list(self.areas),
            levels=[x.value for x in self.levels],
            owners=list(self.owners),
            priorities=[x.value for x in self.priorities],
            tags=list(self.tags),
            review_due_by=clock.today() if self.review_due else None,
            archived=self.archived,
            ids=self.ids,
        )


def _query(query: IssueQuery | dict[str, Any] | None) -> IssueQuery:
    if query is None:
        return IssueQuery()
    if isinstance(query, IssueQuery):
        return query
    return parse(IssueQuery, query)


def search(db: Database, query: IssueQuery | dict[str, Any] | None = None) -> pd.DataFrame:
    """Matching issues, one row each (columns ``store.LIST_COLUMNS``; stage as its number)."""
    q = _query(query)
    df = store.search(db, q.filters(), q.sort, q.descending, q.limit)
    df["tags"] = df["tags"].map(lambda t: list(t) if t is not None else [])
    return df


def counts(db: Database, query: IssueQuery | dict[str, Any] | None = None) -> dict[str, Any]:
    """Totals of the matching set: ``total``, ``by_stage`` {stage: n}, ``by_lifecycle`` {code: n},
    and ``review_due`` (matching issues whose review date has come)."""
    q = _query(query)
    out = store.counts(db, q.filters())
    due = store.counts(db, q.model_copy(update={"review_due": True}).filters())
    out["review_due"] = due["total"]
    return out
