"""The Admin page's panels: accounts, reference lists, the account audit log, sign-in sessions."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import ReferenceKind, Role
from tracker.domain.errors import EditConflict, TrackerError
from tracker.domain.models import User
from tracker.services import accounts, reference, sessions
from tracker.store import Database
from tracker.ui.auth.forms import show_error
from tracker.ui.kit.text import md
from tracker.ui.shell.cache import TTL_SECONDS, after_write
from tracker.ui.shell.db import get_db

ROLE_HELP = "Viewer: reads everything and exports. Editor: also changes data and imports. Admin: also accounts, lists and backups."
_NOTICE = "adm_notice"
ROLES = {r.value: r for r in Role}


def _notice() -> None:
    message = st.session_state.pop(_NOTICE, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def _done(message: str) -> None:
    after_write()
    st.session_state[_NOTICE] = message
    st.rerun()


def _status(row: dict[str, Any]) -> str:
    if row["disabled"]:
        return "Disabled"
    if row.get("locked_until"):
        return f"Locked until {clock.format_timestamp(row['locked_until'])}"
    if row["must_change_password"]:
        return "Must change password"
    return "Active"


def accounts_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The accounts as the admin reads them (pure: rows in, frame out)."""
    return pd.DataFrame(
        [
            {
                "Username": r["username"],
                "Name": r["display_name"] or "",
                "E-mail": r["email"] or "",
                "Role": ROLES[r["role"]].label,
                "Status": _status(r),
                "Sign-in": ("password" if r["has_password"] else "single sign-on only")
                + (" (demo)" if r["is_demo"] else ""),
                "Last sign-in": clock.format_timestamp(r["last_sign_in_at"]) or "never",
                "Created": clock.format_date(r["created_at"].date()) if r["created_at"] else "",
            }
            for r in rows
        ],
        columns=["Username", "Name", "E-mail", "Role", "Status", "Sign-in", "Last sign-in", "Created"],
    )


# ---------------------------------------------------------------- accounts


def accounts_panel(db: Database, admin: User) -> None:
    _notice()
    temporary = st.session_state.pop("adm_temporary", None)
    if temporary:
        who, password = temporary
        st.warning(
            f"Temporary password for **{md(who)}** — hand it over privately; it is shown only now. "
            "They must choose their own at their next sign-in.",
            icon=":material/key:",
        )
        st.code(password, language=None)
    rows = accounts.list_accounts(db, admin)
    st.dataframe(accounts_table(rows), hide_index=True, width="stretch")
    with st.expander("Create an account", icon=":material/person_add:"):
        _create_form(db, admin)
    if rows:
        _manage(db, admin, rows)
    st.divider()
    _sessions_box(db, admin)


def _create_form(db: Database, admin: User) -> None:
    with st.form("adm_create", clear_on_submit=False):
        c1, c2 = st.columns(2)
        username = c1.text_input("Username", max_chars=64, key="adm_new_username", help="Letters, digits, . _ @ -")
        name = c2.text_input("Name", max_chars=100, key="adm_new_name")
        email = c1.text_input("E-mail", max_chars=254, key="adm_new_email", help="Needed for single sign-on.")
        role = c2.selectbox(
            "Role", list(ROLES), format_func=lambda r: ROLES[r].label, key="adm_new_role", help=ROLE_HELP
        )
        password = c1.text_input("Password", type="password", max_chars=1000, key="adm_new_password")
        repeat = c2.text_input("Repeat password", type="password", max_chars=1000, key="adm_new_repeat")
        must_change = st.checkbox("Ask for a new password at first sign-in", value=True, key="adm_new_must_change")
        st.caption(
            f"Passwords: at least {accounts.MIN_PASSWORD_LENGTH} characters, not containing the user name. "
            "Leave both empty for a single-sign-on-only account (it needs an e-mail)."
        )
        submitted = st.form_submit_button("Create account", type="primary")
    if not submitted:
        return
    if password != repeat:
        st.error("Repeat password: the two entries differ.")
        return
    try:
        made = accounts.create_user(
            db,
            admin,
            {"username": username, "display_name": name, "email": email, "role": role},
            password or None,
            must_change_password=must_change,
        )
    except TrackerError as exc:
        show_error(exc)
        return
    for key in ("adm_new_username", "adm_new_name", "adm_new_email", "adm_new_password", "adm_new_repeat"):
        st.session_state.pop(key, None)
    _done(f"Account {made.username} created ({made.role.label}).")


def _version(account: dict[str, Any]) -> int:
    """The version the admin is looking at: kept from first sight until a save succeeds."""
    key = f"adm_version_{account['id']}"
    if key not in st.session_state:
        st.session_state[key] = account["version"]
    return int(st.session_state[key])


def _forget_version(user_id: int) -> None:
    st.session_state.pop(f"adm_version_{user_id}", None)


def _manage(db: Database, admin: User, rows: list[dict[str, Any]]) -> None:
    st.subheader("Change an account")
    by_name = {r["username"]: r for r in rows}
    chosen = st.selectbox("Account", list(by_name), key="adm_account")
    if not chosen:
        return
    account = by_name[chosen]
    uid = account["id"]
    version = _version(account)
    st.caption(f"Status: {_status(account)}")
    with st.form(f"adm_edit_{uid}"):
        c1, c2, c3 = st.columns(3)
        name = c1.text_input("Name", value=account["display_name"] or "", max_chars=100, key=f"adm_name_{uid}")
        email = c2.text_input("E-mail", value=account["email"] or "", max_chars=254, key=f"adm_email_{uid}")
        role = c3.selectbox(
            "Role",
            list(ROLES),
            index=list(ROLES).index(account["role"]),
            format_func=lambda r: ROLES[r].label,
            key=f"adm_role_{uid}",
            help=ROLE_HELP,
        )
        saved = st.form_submit_button("Save changes", type="primary")
    if saved:
        try:
            accounts.update_account(db, admin, uid, version, {"display_name": name, "email": email, "role": role})
        except EditConflict as exc:
            show_error(exc)
            st.session_state[f"adm_version_{uid}"] = account["version"]
            st.caption("Their values are in the table above; save again to overwrite them.")
        except TrackerError as exc:
            show_error(exc)
        else:
            _forget_version(uid)
            _done(f"Account {chosen} saved.")
    c1, c2, c3 = st.columns(3)
    own = chosen.lower() == admin.username.lower()
    if account["disabled"]:
        if c1.button("Enable account", key=f"adm_enable_{uid}", icon=":material/person_check:"):
            _act(lambda: accounts.set_disabled(db, admin, uid, version, False), uid, f"Account {chosen} enabled.")
    elif c1.button(
        "Disable account",
        key=f"adm_disable_{uid}",
        icon=":material/person_off:",
        disabled=own,
        help="Signs the account out everywhere at once." if not own else "You cannot disable your own account.",
    ):
        _act(lambda: accounts.set_disabled(db, admin, uid, version, True), uid, f"Account {chosen} disabled.")
    if account["has_password"] and c2.button(
        "Reset password", key=f"adm_reset_{uid}", icon=":material/lock_reset:", help="Gives a temporary password."
    ):
        try:
            _, password = accounts.reset_password(db, admin, uid, version)
        except TrackerError as exc:
            show_error(exc)
        else:
            _forget_version(uid)
            st.session_state["adm_temporary"] = (chosen, password)
            _done(f"Password of {chosen} reset; its sessions are ended.")
    if account.get("locked_until") and c3.button("Unlock", key=f"adm_unlock_{uid}", icon=":material/lock_open:"):
        _act(lambda: accounts.unlock(db, admin, uid), uid, f"Account {chosen} unlocked.")


def _act(action: Any, uid: int, message: str) -> None:
    try:
        action()
    except TrackerError as exc:
        show_error(exc)
        return
    _forget_version(uid)
    _done(message)


def _sessions_box(db: Database, admin: User) -> None:
    st.subheader("Signed-in browsers")
    count = sessions.active_count(db)
    st.caption(
        f"{count:,} sign-in{'s' if count != 1 else ''} active. Signing everyone out ends them all (including "
        "yours) and replaces the cookie key kept in the database."
    )
    sure = st.checkbox("Yes, sign everyone out", key="adm_signout_all_sure")
    if st.button("Sign everyone out", key="adm_signout_all", disabled=not sure, icon=":material/logout:"):
        try:
            ended = sessions.sign_out_everyone(db, admin)
        except TrackerError as exc:
            show_error(exc)
            return
        st.session_state.pop("adm_signout_all_sure", None)
        _done(f"{ended:,} sign-ins ended.")


# ---------------------------------------------------------------- reference lists


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _entries(kind: ReferenceKind) -> list[dict[str, Any]]:
    # Counting every value's uses scans the issues, consultations and activities; every write
    # through the app clears this (after_write), so only imports from the command line wait a minute.
    return reference.entries(get_db(), kind)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _reference_history(_admin: User) -> list[dict[str, Any]]:
    # History only grows through writes, and every write through the app clears this cache.
    return reference.history(get_db(), _admin)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _account_history(_admin: User) -> list[dict[str, Any]]:
    return accounts.account_history(get_db(), _admin)


def reference_panel(db: Database, admin: User) -> None:
    _notice()
    kind = st.selectbox("List", list(ReferenceKind), format_func=lambda k: k.label, key="adm_ref_kind")
    if kind is None:
        return
    entries = _entries(kind)
    if entries:
        st.dataframe(
            pd.DataFrame(
                [{"#": i, "Value": e["value"], "Used by": e["uses"]} for i, e in enumerate(entries, start=1)],
                columns=["#", "Value", "Used by"],
            ),
            hide_index=True,
            width="stretch",
            column_config={"Used by": st.column_config.NumberColumn(help="Records using the value", format="%d")},
        )
    else:
        st.info("This list is empty: add its first value below.")
    with st.form(f"adm_ref_add_{kind.value}", clear_on_submit=True):
        value = st.text_input("New value", max_chars=100, key=f"adm_ref_new_{kind.value}")
        if st.form_submit_button("Add to the list"):
            _ref_act(lambda: reference.add(db, admin, kind, value), f"{value.strip()} added.")
    if entries:
        _change_value(db, admin, kind, entries)
    changes = _reference_history(admin)
    if changes:
        with st.expander("Recent changes to the lists", icon=":material/history:"):
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "When": clock.format_timestamp(e["at"]),
                            "By": e["actor"],
                            "List": e["list"],
                            "Action": e["action"],
                            "Changes": describe_changes(e["changes"]),
                        }
                        for e in changes
                    ],
                    columns=["When", "By", "List", "Action", "Changes"],
                ),
                hide_index=True,
                width="stretch",
            )


def _change_value(db: Database, admin: User, kind: ReferenceKind, entries: list[dict[str, Any]]) -> None:
    st.subheader("Change a value")
    by_id = {e["id"]: e for e in entries}
    chosen = st.selectbox(
        "Value", list(by_id), format_func=lambda i: by_id[i]["value"], key=f"adm_ref_pick_{kind.value}"
    )
    if chosen is None:
        return
    entry = by_id[chosen]
    version_key = f"adm_ref_version_{chosen}"
    version = st.session_state.setdefault(version_key, entry["version"])
    uses = entry["uses"]
    with st.form(f"adm_ref_rename_{chosen}"):
        new = st.text_input("New name", value=entry["value"], max_chars=100, key=f"adm_ref_name_{chosen}")
        st.caption(
            f"Renaming changes it in the {uses:,} record{'s' if uses != 1 else ''} that use it, in one step."
            if uses
            else "No record uses this value."
        )
        if st.form_submit_button("Rename", type="primary"):
            _ref_act(lambda: reference.rename(db, admin, chosen, version, new), "Renamed.", version_key)
    c1, c2, c3 = st.columns(3)
    if c1.button("Move up", key=f"adm_ref_up_{chosen}", icon=":material/arrow_upward:"):
        _ref_act(lambda: reference.move(db, admin, chosen, -1), "Moved.", version_key)
    if c2.button("Move down", key=f"adm_ref_down_{chosen}", icon=":material/arrow_downward:"):
        _ref_act(lambda: reference.move(db, admin, chosen, 1), "Moved.", version_key)
    if c3.button(
        "Delete",
        key=f"adm_ref_delete_{chosen}",
        icon=":material/delete:",
        help="Only for values no record uses; rename a value in use instead.",
    ):
        _ref_act(lambda: reference.delete(db, admin, chosen, version), "Deleted.", version_key)


def _ref_act(action: Any, message: str, version_key: str | None = None) -> None:
    try:
        action()
    except TrackerError as exc:
        show_error(exc)
        if version_key and isinstance(exc, EditConflict):
            st.session_state.pop(version_key, None)
        return
    if version_key:
        st.session_state.pop(version_key, None)
    _done(message)


# ---------------------------------------------------------------- audit


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


def history_panel(db: Database, admin: User) -> None:
    entries = _account_history(admin)
    if not entries:
        st.info("No account changes recorded yet.")
        return
    st.caption("Every change to an account, newest first. Passwords are never recorded.")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "When": clock.format_timestamp(e["at"]),
                    "By": e["actor"],
                    "Account": e["account"] if e["entity_id"] is not None else "(everyone)",
                    "Action": e["action"],
                    "Changes": describe_changes(e["changes"]),
                }
                for e in entries
            ],
            columns=["When", "By", "Account", "Action", "Changes"],
        ),
        hide_index=True,
        width="stretch",
    )
