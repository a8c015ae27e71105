"""Tabs whose content runs only when chosen: a form that lists every issue, or a second long
table, costs nothing on a rerun while its tab is closed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st


def lazy_tabs(names: Sequence[str], key: str) -> dict[str, Any]:
    """The open tab's container, by name (only that one: the others are drawn empty).

    Labels must not change between reruns (no counts in them): the chosen tab is remembered by
    its label under ``key``."""
    tabs = st.tabs(list(names), key=key, on_change="rerun")
    return {name: tab for name, tab in zip(names, tabs, strict=True) if tab.open}
