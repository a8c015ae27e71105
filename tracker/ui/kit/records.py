"""Stored values as people read them, and a record's change history as a table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain import clock

DATE_FORMAT = "DD/MM/YYYY"


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


def days(value: float | Decimal | None) -> str:
    """Person-days with a thousands separator and at most two decimals."""
    if value is None:
        return "0"
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return text or "0"
