"""Table cells as people read them: an empty cell is a dash, never "None" or a blank."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

EMPTY = "—"


def cell(value: Any) -> Any:
    """``value`` as a cell: "—" when there is nothing to show."""
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return EMPTY
    if isinstance(value, str) and not value.strip():
        return EMPTY
    return value


def dashes(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """A copy of ``frame`` whose ``columns`` read "—" where empty (pure)."""
    out = frame.copy()
    for c in columns:
        if c in out:
            out[c] = out[c].map(cell).astype(object)
    return out
