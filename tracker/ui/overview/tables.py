"""The overview's tables as displayed, built once per computed overview (pandas only)."""

from __future__ import annotations

import pandas as pd

from tracker.domain.clock import format_date
from tracker.domain.enums import ConsultationType, ResponseStatus


def _label(enum: type, value: object) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return str(value)


def upcoming(df: pd.DataFrame) -> pd.DataFrame:
    """The next consultation deadlines."""
    return pd.DataFrame(
        {
            "Closes": [format_date(pd.Timestamp(d).date()) for d in df["closes"]],
            "Consultation": df["title"],
            "Type": [_label(ConsultationType, v) for v in df["type"]],
            "Our response": [_label(ResponseStatus, v) for v in df["response_status"]],
            "Linked issues": df["issues"].fillna(""),
        }
    )


def response_areas(df: pd.DataFrame) -> pd.DataFrame:
    """Response rate by policy area (the rate in percent, for a progress column)."""
    return pd.DataFrame(
        {
            "Policy area": df["key"],
            "Submitted": df["submitted"].astype(int),
            "Missed": df["missed"].astype(int),
            "Skipped (left out)": df["skipped"].astype(int),
            "Response rate": [r * 100 if r is not None and r == r else None for r in df["rate"]],
        }
    )


def pairs(df: pd.DataFrame) -> pd.DataFrame:
    """Who co-signs most often."""
    return pd.DataFrame({"Organisation": df["a"], "Co-signed with": df["b"], "Positions": df["positions"].astype(int)})
