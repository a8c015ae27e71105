"""Pure formatting for the Issues page: codes to labels, audit entries to readable rows.

No streamlit here, so every rule is unit-tested directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlparse

import pandas as pd

from tracker.domain import clock
from tracker.domain.enums import (
    JointPositionStatus,
    Labelled,
    Level,
    Lifecycle,
    PolicyCycle,
    Position,
    Priority,
    ResponseStatus,
    Stage,
)
from tracker.domain.models import Issue, IssueInput
from tracker.ui.kit.text import md

# Field name → label people read (the models' titles), plus the audit-only keys.
FIELD_LABELS: dict[str, str] = {name: (info.title or name) for name, info in IssueInput.model_fields.items()}
FIELD_LABELS |= {
    "stage": "Stage",
    "archived": "Archived",
    "event_date": "Stage date",
    "note": "Stage note",
    "evidence_ref": "Evidence reference",
    "evidence_url": "Evidence link",
    "event_id": "Stage event",
    "version": "Version",
}
ACTION_LABELS = {
    "create": "Created",
    "update": "Edited",
    "stage": "Moved on the ladder",
    "archive": "Archived",
    "restore": "Restored",
    "bulk reassign": "Reassigned (bulk)",
    "bulk review date": "Review date set (bulk)",
    "bulk add tag": "Tag added (bulk)",
}
_ENUMS: dict[str, type[Labelled]] = {
    "level": Level,
    "lifecycle": Lifecycle,
    "priority": Priority,
    "position": Position,
    "policy_cycle": PolicyCycle,
}
_DATES = {"next_review", "event_date"}
_STAGES = {"stage", "target_stage"}


def stage_label(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    try:
        return Stage(int(value)).label
    except (TypeError, ValueError):
        return str(value)


def code_label(enum: type[Labelled], value: Any) -> str:
    if value is None or value == "":
        return "—"
    for member in enum:
        if member.value == value:
            return member.label
    return str(value)


def value_text(field: str, value: Any) -> str:
    """One stored value as a person reads it (the audit keeps codes and ISO dates)."""
    if value is None or value == [] or value == "":
        return "—"
    if field in _STAGES:
        return stage_label(value)
    if field in _ENUMS:
        return code_label(_ENUMS[field], value.value if isinstance(value, Labelled) else value)
    if field in _DATES:
        day = value if isinstance(value, dt.date) else _iso_date(value)
        return clock.format_date(day) if day else str(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, Labelled):
        return value.label
    return str(value)


def _iso_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


NOBODY: Mapping[str, str] = {}


def name_of(username: Any, names: Mapping[str, str]) -> str:
    """A user name as the person's display name; "—" when empty."""
    if not isinstance(username, str) or not username:
        return "—"
    return names.get(username, username)


def history_frame(entries: list[dict[str, Any]], names: Mapping[str, str] = NOBODY) -> pd.DataFrame:
    """Audit entries as rows: when, who, what, field, before → after (one row per changed field)."""
    rows: list[dict[str, Any]] = []
    for e in entries:
        action = ACTION_LABELS.get(e["action"], e["action"].capitalize())
        changes = {k: v for k, v in (e.get("changes") or {}).items() if k != "event_id"}
        if not changes:
            rows.append(_history_row(e, action, "—", "—", "—", names))
        for field, pair in changes.items():
            before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
            rows.append(
                _history_row(e, action, field_label(field), value_text(field, before), value_text(field, after), names)
            )
    return pd.DataFrame(rows, columns=["When", "Who", "What", "Field", "Before", "After"])


def _history_row(
    e: dict[str, Any], action: str, field: str, before: str, after: str, names: Mapping[str, str]
) -> dict[str, Any]:
    at = e.get("at")
    return {
        "When": clock.format_timestamp(at) if isinstance(at, dt.datetime) else str(at or "—"),
        "Who": name_of(e.get("actor"), names),
        "What": action,
        "Field": field,
        "Before": before,
        "After": after,
    }


def safe_url(url: Any) -> str | None:
    """``url`` if it is an http(s) address, else None (never a javascript: link)."""
    if not isinstance(url, str):
        return None
    parsed = urlparse(url.strip())
    if parsed.scheme.lower() in ("http", "https") and parsed.netloc and not any(c.isspace() for c in url.strip()):
        return url.strip()
    return None


def md_link(label: Any, url: Any) -> str:
    """A Markdown link with an escaped label, or just the escaped label when the URL is not http(s)."""
    safe = safe_url(url)
    if safe is None:
        return md(label)
    # Parentheses and angle brackets would end the link target early.
    target = quote(safe, safe=":/?#[]@!$&'*+,;=%~-._")
    return f"[{md(label)}]({target})"


def timeline_frame(df: pd.DataFrame, names: Mapping[str, str] = NOBODY) -> pd.DataFrame:
    """Stage events and activities, as shown: date, what, note or summary, evidence, link, by."""
    rows = []
    for r in df.itertuples(index=False):
        if r.kind == "stage":
            if r.stage_from is None or pd.isna(r.stage_from):
                what = f"Stage: {stage_label(r.stage_to)} (start)"
            else:
                arrow = "↑" if int(r.stage_to) > int(r.stage_from) else "↓"
                what = f"Stage {arrow} {stage_label(r.stage_from)} → {stage_label(r.stage_to)}"
            text, evidence = r.text, r.detail
        else:
            what = f"Activity: {r.type}"
            text, evidence = r.text, (f"Outcome: {r.detail}" if isinstance(r.detail, str) and r.detail else None)
        rows.append(
            {
                "Date": r.day,
                "What": what,
                "Note or summary": text if isinstance(text, str) and text else "—",
                "Evidence": evidence if isinstance(evidence, str) and evidence else "—",
                # Empty, not None: the grid writes a missing link as "None".
                "Link": safe_url(r.link) or "",
                "By": name_of(r.author, names),
            }
        )
    return pd.DataFrame(rows, columns=["Date", "What", "Note or summary", "Evidence", "Link", "By"])


LIST_LABELS = {
    "id": "#",
    "title": "Title",
    "stage": "Stage",
    "target_stage": "Target",
    "lifecycle": "Lifecycle",
    "policy_area": "Policy area",
    "level": "Level",
    "owner": "Owner",
    "priority": "Priority",
    "member_relevance": "Relevance",
    "next_review": "Next review",
    "stage_since": "On stage since",
    "tags": "Tags",
    "updated_at": "Last changed",
}


def _labels(codes: pd.Series, label: Any) -> list[str]:
    """``label`` of every code, computed once per distinct code (a list has few distinct codes)."""
    values = codes.astype(object).where(codes.notna(), None).tolist()
    known = {v: label(v) for v in set(values)}
    return [known[v] for v in values]


def list_frame(df: pd.DataFrame, names: Mapping[str, str] = NOBODY) -> pd.DataFrame:
    """The search result with labels instead of codes, indexed by issue id."""
    out = pd.DataFrame(index=df["id"].astype(int) if "id" in df else None)
    out.index.name = "#"
    if df.empty:
        return pd.DataFrame(columns=[c for k, c in LIST_LABELS.items() if k != "id"])
    out["Title"] = df["title"].to_numpy()
    out["Stage"] = _labels(df["stage"], stage_label)
    out["Target"] = _labels(df["target_stage"], stage_label)
    out["Lifecycle"] = _labels(df["lifecycle"], lambda v: code_label(Lifecycle, v))
    out["Policy area"] = df["policy_area"].fillna("—").to_numpy()
    out["Level"] = _labels(df["level"], lambda v: code_label(Level, v))
    out["Owner"] = [name_of(o, names) for o in df["owner"].astype(object).where(df["owner"].notna(), None)]
    out["Priority"] = _labels(df["priority"], lambda v: code_label(Priority, v))
    out["Relevance"] = df["member_relevance"].to_numpy()
    # As text, so an empty date reads "—" (the grid draws a missing date as "None").
    out["Next review"] = _day_texts(df["next_review"])
    out["On stage since"] = _day_texts(df["stage_since"])
    out["Tags"] = [list(t) if t is not None else [] for t in df["tags"]]
    out["Archived"] = df["archived_at"].notna().to_numpy()
    return out


def _day_texts(days: pd.Series) -> list[str]:
    return [clock.format_date(d.date()) if pd.notna(d) else "—" for d in pd.to_datetime(days)]


def review_text(issue: Issue, today: dt.date) -> str:
    if issue.next_review is None:
        return "not set"
    days = (issue.next_review - today).days
    when = clock.format_date(issue.next_review)
    if days < 0:
        return f"{when} (overdue by {-days:,} day{'s' if days != -1 else ''})"
    if days == 0:
        return f"{when} (today)"
    return when


def response_label(value: Any) -> str:
    return code_label(ResponseStatus, value)


def position_status_label(value: Any) -> str:
    return code_label(JointPositionStatus, value)
