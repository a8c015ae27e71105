"""The overview's tables as displayed, built once per computed overview (pandas only)."""

from __future__ import annotations

import pandas as pd

from tracker.domain.clock import format_date
from tracker.domain.enums import ConsultationType, ResponseStatus
from tracker.services import report


def _label(enum: type, value: object) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return str(value)


def upcoming(df: pd.DataFrame) -> pd.DataFrame:
    """The next consultation deadlines."""
    columns = [
        [format_date(pd.Timestamp(d).date()) for d in df["closes"]],
        df["title"],
        [_label(ConsultationType, v) for v in df["type"]],
        [_label(ResponseStatus, v) for v in df["response_status"]],
        df["issues"].fillna(""),
    ]
    return pd.DataFrame(dict(zip(report.UPCOMING_HEADERS, columns, strict=True)))


def response_areas(df: pd.DataFrame) -> pd.DataFrame:
    """Response rate by policy area (the rate in percent, for a progress column)."""
    columns = [
        df["key"],
        df["submitted"].astype(int),
        df["missed"].astype(int),
        df["skipped"].astype(int),
        [r * 100 if r is not None and r == r else None for r in df["rate"]],
    ]
    return pd.DataFrame(dict(zip(report.RESPONSE_AREA_HEADERS, columns, strict=True)))


def pairs(df: pd.DataFrame) -> pd.DataFrame:
    """Who co-signs most often."""
    columns = [df["a"], df["b"], df["positions"].astype(int)]
    return pd.DataFrame(dict(zip(report.PAIRS_HEADERS, columns, strict=True)))
