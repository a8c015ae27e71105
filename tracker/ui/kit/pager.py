"""Long lists a page at a time: what a rerun sends to the browser stays the same size however
many records match (filters narrow the list, exports still take every matching row)."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

PAGE_ROWS = 200


def page_of(frame: pd.DataFrame, key: str, rows: int = PAGE_ROWS) -> pd.DataFrame:
    """The rows of ``frame`` on the page the user chose; draws the page picker when there is more
    than one page. Row positions in the returned slice map to ``frame`` by its index."""
    total = len(frame)
    if total <= rows:
        return frame
    pages = math.ceil(total / rows)
    # A narrower search can leave the remembered page past the end: show the last one instead.
    if int(st.session_state.get(key, 1)) > pages:
        st.session_state[key] = pages
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    page = int(right.number_input("Page", min_value=1, max_value=pages, step=1, key=key))
    first = (page - 1) * rows
    last = min(first + rows, total)
    left.caption(f"Rows {first + 1:,}–{last:,} of {total:,} · page {page:,} of {pages:,}")
    return frame.iloc[first:last]
