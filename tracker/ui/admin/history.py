"""What changed on the Admin page: the account audit log and the recent changes to the lists."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import Role
from tracker.domain.models import User
from tracker.services import accounts, reference
from tracker.ui.shell.cache import TTL_SECONDS
from tracker.ui.shell.db import get_db

# How each recorded field of an account reads (the audit keeps the code's names).
FIELD_LABELS = {
    "username": "Username",
    "display_name": "Name",
    "email": "E-mail",
    "role": "Role",
    "disabled": "Disabled",
    "must_change_password": "Must change password",
    "password": "Password",
    "sessions": "Active sign-ins",
    "locked": "Locked",
}
_ROLES = {r.value: r.label for r in Role}


def _value(field: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field == "role":
        return _ROLES.get(str(value), str(value))
    return str(value)


def describe_changes(changes: dict[str, Any]) -> str:
    """'Role: Viewer → Editor; E-mail: — → a@b.org' (pure); a field whose value stayed is left out."""
    parts = []
    for field, value in changes.items():
        name = FIELD_LABELS.get(field, field.replace("_", " ").capitalize())
        if isinstance(value, list) and len(value) == 2:
            before, after = value
            if before == after:
                continue
            parts.append(f"{name}: {_value(field, before)} → {_value(field, after)}")
        else:
            parts.append(f"{name}: {json.dumps(value, ensure_ascii=False)}")
    return "; ".join(parts)


def changed_something(entry: dict[str, Any]) -> bool:
    """An update whose every field kept its value is no change (older rows may hold such)."""
    return entry["action"] != "update" or bool(describe_changes(entry.get("changes") or {}))


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
        if changed_something(e)
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
