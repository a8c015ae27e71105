"""The "Open a …" select box under a list: choosing a record puts its id in the page's URL."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st


def open_record_picker(label: str, names: Mapping[int, str], param: str, *, key: str) -> None:
    """A select box of ``names`` (id → text); a choice opens ``?param=<id>`` on this page."""
    chosen = st.selectbox(
        label,
        list(names),
        index=None,
        format_func=lambda i: names[i],
        placeholder="Choose, or select a row above",
        key=key,
    )
    if chosen is not None:
        st.query_params[param] = str(chosen)
        st.rerun()
