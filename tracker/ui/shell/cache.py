"""Cache policy: readers are cached with a short ttl; every write clears them all.

Clearing everything is deliberate: a write to an issue changes the overview, the lists and the
linked pages, and a small app gains nothing from finer bookkeeping that could go stale.

Two kinds of cached reader:

- ``st.cache_data`` hands every caller its own unpickled copy. Right for small values a page may
  change (lists it appends to, dicts it fills).
- :func:`shared` hands every caller the very same object. A warm rerun then costs nothing for the
  size of the result, and a server keeps one copy for all its sessions instead of one per hit.
  Right for what a page only displays: display-ready frames and figures. Callers must never
  change what it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

TTL_SECONDS = 60
SHARED_ENTRIES = 64  # per reader: distinct filter combinations kept at once

F = TypeVar("F", bound=Callable[..., Any])
_SHARED: list[Any] = []


def shared(func: F) -> F:
    """Cache ``func``'s read-only result for every session (cleared by :func:`after_write`)."""
    cached = st.cache_resource(ttl=TTL_SECONDS, show_spinner=False, max_entries=SHARED_ENTRIES)(func)
    _SHARED.append(cached)
    return cached  # type: ignore[return-value]


def after_write() -> None:
    """Call after every successful write."""
    st.cache_data.clear()
    for cached in _SHARED:
        cached.clear()
