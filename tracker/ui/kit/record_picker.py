"""The "Open a …" select box under a list: choosing a record puts its id in the page's URL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st


def choose_record(
    label: str,
    names: Mapping[int, str],
    *,
    key: str,
    placeholder: str,
    ids: list[int] | None = None,
    current: int | None = None,
) -> int | None:
    """A select box of records by name (``names``: id → text, ``ids`` to offer fewer, ``current``
    chosen at first); None until chosen."""
    offered = list(names) if ids is None else ids
    chosen: int | None = st.selectbox(
        label,
        offered,
        index=offered.index(current) if current in offered else None,
        format_func=lambda i: names[i],
        placeholder=placeholder,
        key=key,
    )
    return chosen


def open_record_picker(label: str, names: Mapping[int, str], param: str, *, key: str) -> None:
    """A select box of ``names`` (id → text); a choice opens ``?param=<id>`` on this page."""
    chosen = choose_record(label, names, key=key, placeholder="Choose, or select a row above")
    if chosen is not None:
        st.query_params[param] = str(chosen)
        st.rerun()


def record_table(
    frame: pd.DataFrame,
    param: str,
    *,
    key: str,
    column_config: dict[str, Any],
    column_order: Sequence[str] | None = None,
) -> None:
    """A list of records (an ``id`` column) as a table; clicking a row opens ``?param=<id>``.
    ``column_order`` shows only those columns, in that order (the others stay for exports)."""
    event = st.dataframe(
        frame,
        column_order=column_order,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=key,
        column_config=column_config,
    )
    rows = event.selection.rows if event and hasattr(event, "selection") else []
    if rows:
        st.query_params[param] = str(int(frame.iloc[rows[0]]["id"]))
        st.rerun()
