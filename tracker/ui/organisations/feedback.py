"""Feedback shared by the Organisations, Joint positions and Activities pages: refused writes in
words, change history as a table, and small formatting helpers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from tracker.domain import clock
from tracker.domain.errors import EditConflict, InvalidInput, NotFound, PermissionDenied, StorageError
from tracker.ui.kit.text import md

DATE_FORMAT = "DD/MM/YYYY"
T = TypeVar("T")

# Errors a write may raise that a person can act on.
EXPECTED = (InvalidInput, EditConflict, PermissionDenied, NotFound, StorageError)


def show_error(exc: Exception, labels: Mapping[str, str] | None = None) -> None:
    """A refused write in words: each field error, or the conflict and the newer values."""
    if isinstance(exc, InvalidInput):
        st.error(
            "Please correct the following:\n\n"
            + "\n".join(f"- **{md(e.field)}**: {md(e.message)}" for e in exc.errors),
            icon=":material/error:",
        )
    elif isinstance(exc, EditConflict):
        st.error(str(exc), icon=":material/sync_problem:")
        if exc.current:
            st.caption("Their version (reload to edit it):")
            st.dataframe(
                pd.DataFrame(
                    [
                        {"Field": (labels or {}).get(k, k.replace("_", " ").capitalize()), "Value": shown(v)}
                        for k, v in exc.current.items()
                        if k != "version"
                    ]
                ),
                hide_index=True,
            )
    elif isinstance(exc, (PermissionDenied, NotFound, StorageError)):
        st.error(str(exc), icon=":material/block:")
    else:  # pragma: no cover - callers only pass the expected errors
        raise exc


def attempt(fn: Callable[[], T], labels: Mapping[str, str] | None = None) -> T | None:
    """Run a write; show any expected refusal and return None instead of raising."""
    try:
        return fn()
    except EXPECTED as exc:
        show_error(exc, labels)
        return None


def shown(value: Any) -> str:
    """A stored value as people read it."""
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return clock.format_timestamp(value)
    if isinstance(value, dt.date):
        return clock.format_date(value)
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(shown(v) for v in value)
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return clock.format_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def date_cell(value: Any) -> str:
    """A DATE column value from a DataFrame (a pandas Timestamp, NaT or a date) as 27 Nov 2026."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    if isinstance(value, dt.datetime):
        return clock.format_date(value.date())
    if isinstance(value, dt.date):
        return clock.format_date(value)
    return str(value)


def history_table(entries: list[dict[str, Any]], labels: Mapping[str, str] | None = None) -> None:
    """Audit entries (newest first) as a table: when, who, what, before → after."""
    if not entries:
        st.caption("No recorded changes yet.")
        return
    rows = []
    for e in entries:
        changes = e.get("changes") or {}
        parts = []
        for key, value in changes.items():
            name = (labels or {}).get(key, key.replace("_", " "))
            if isinstance(value, list) and len(value) == 2:
                before, after = value
                parts.append(f"{name}: {shown(before) or '—'} → {shown(after) or '—'}")
            else:
                parts.append(f"{name}: {shown(value)}")
        rows.append(
            {
                "When": clock.format_timestamp(e["at"]),
                "Who": e["actor"],
                "What": e["action"],
                "Changes": "; ".join(parts),
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def query_id(name: str) -> int | None:
    """An integer id from the page's query parameters, or None."""
    raw = st.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(str(raw))
    except ValueError:
        return None
    return value if 0 < value <= 2**63 - 1 else None


def back_to_list(param: str, label: str) -> None:
    """Leave a record's view for the list: drop its query parameter (the URL follows)."""
    if st.button(label, icon=":material/arrow_back:", type="tertiary", key=f"back_{param}"):
        st.query_params.pop(param, None)
        st.rerun()


def flash(message: str) -> None:
    """A success message that survives the rerun after a write."""
    st.session_state["collab_flash"] = message


def show_flash() -> None:
    message = st.session_state.pop("collab_flash", None)
    if message:
        st.success(message, icon=":material/check_circle:")


def days(value: float | Decimal | None) -> str:
    """Person-days with a thousands separator and at most two decimals."""
    if value is None:
        return "0"
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return text or "0"
