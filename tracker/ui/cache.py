"""Cache policy: readers use ``st.cache_data`` with a short ttl; every write clears them all.

Clearing everything is deliberate: a write to an issue changes the overview, the lists and the
linked pages, and a small app gains nothing from finer bookkeeping that could go stale.
"""

from __future__ import annotations

import streamlit as st

TTL_SECONDS = 60


def after_write() -> None:
    """Call after every successful write."""
    st.cache_data.clear()
