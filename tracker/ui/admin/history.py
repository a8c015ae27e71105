"""What changed on the Admin page: the account audit log and the recent changes to the lists."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain import clock
from tracker.domain.models import User
from tracker.services import accounts, reference
from tracker.ui.shell.cache import TTL_SECONDS
from tracker.ui.shell.db import get_db


def describe_changes(changes: dict[str, Any]) -> str:
    """'role: viewer → editor; email: – → a@b.org' (pure)."""
    parts = []
    for field, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            before, after = ("–" if v in (None, "") else v for v in value)
            parts.append(f"{field}: {before} → {after}")
        else:
            parts.append(f"{field}: {json.dumps(value, ensure_ascii=False)}")
    return "; ".join(parts)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _account_history(_admin: User) -> list[dict[str, Any]]:
    # History only grows through writes, and every committed write clears this cache.
    return accounts.account_history(get_db(), _admin)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _reference_history(_admin: User) -> list[dict[str, Any]]:
    return reference.history(get_db(), _admin)


def _changes_table(entries: list[dict[str, Any]], what: str, name: Any) -> None:
    """One row per change: when, by whom, to what (``what`` names the changed thing's column)."""
    rows = [
        {
            "When": clock.format_timestamp(e["at"]),
            "By": e["actor"],
            what: name(e),
            "Action": e["action"],
            "Changes": describe_changes(e["changes"]),
        }
        for e in entries
    ]
    frame = pd.DataFrame(rows, columns=["When", "By", what, "Action", "Changes"])
    st.dataframe(frame, hide_index=True, width="stretch")


def history_panel(admin: User) -> None:
    """Every change to an account, newest first."""
    entries = _account_history(admin)
    if not entries:
        st.info("No account changes recorded yet.")
        return
    st.caption("Every change to an account, newest first. Passwords are never recorded.")
    _changes_table(entries, "Account", lambda e: e["account"] if e["entity_id"] is not None else "(everyone)")


def list_changes(admin: User) -> None:
    """The recent changes to the reference lists, folded away under the lists."""
    changes = _reference_history(admin)
    if changes:
        with st.expander("Recent changes to the lists", icon=":material/history:"):
            _changes_table(changes, "List", lambda e: e["list"])
