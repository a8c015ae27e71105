"""The Admin page's accounts: the table, creating an account, changing one, signing everyone out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import Role
from tracker.domain.errors import InvalidInput
from tracker.domain.models import User
from tracker.services import accounts, passwords, sessions
from tracker.store import Database
from tracker.ui.kit.confirm import ask_once, asking, done_asking
from tracker.ui.kit.feedback import save, save_edits, save_new, show_refusal
from tracker.ui.kit.form_state import FormState
from tracker.ui.kit.text import md

from .record_form import RecordForm

ROLE_HELP = "Viewer: reads everything and exports. Editor: also changes data and imports. Admin: also accounts, lists and backups."
ROLES = {r.value: r for r in Role}
TEMPORARY_KEY = "adm_temporary"  # (user name, password) shown once after a reset

NEW_FIELDS = ("username", "name", "email", "role", "password", "repeat", "must_change")
NEW_LABELS = {
    "username": "Username",
    "name": "Name",
    "email": "E-mail",
    "role": "Role",
    "password": "Password",
    "repeat": "Repeat password",
    "must_change": "Ask for a new password at first sign-in",
}
NEW_DEFAULTS = {"username": "", "name": "", "email": "", "role": Role.VIEWER.value, "password": "", "repeat": ""}
EDIT_FIELDS = ("name", "email", "role")
EDIT_LABELS = {"name": "Name", "email": "E-mail", "role": "Role"}


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


def accounts_panel(db: Database, admin: User) -> None:
    temporary = st.session_state.pop(TEMPORARY_KEY, None)
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
    _create_form(db, admin)
    if rows:
        _change_account(db, admin, rows)
    st.divider()
    _sessions_box(db, admin)


# ---------------------------------------------------------------- create


def _create(db: Database, admin: User, v: dict[str, Any]) -> User:
    if v["password"] != v["repeat"]:
        raise InvalidInput.one("Repeat password", "the two entries differ.")
    data = {"username": v["username"], "display_name": v["name"], "email": v["email"], "role": v["role"]}
    return accounts.create_user(db, admin, data, v["password"] or None, must_change_password=bool(v["must_change"]))


def _create_form(db: Database, admin: User) -> None:
    fs = FormState("adm_new", NEW_FIELDS, NEW_LABELS)
    save_new(
        fs,
        {**NEW_DEFAULTS, "must_change": True},
        lambda values: _create(db, admin, values),
        lambda made: f"Account {made.username} created ({made.role.label}).",
    )
    with st.expander("Create an account", icon=":material/person_add:", expanded=bool(fs.errors)):
        fs.error_summary()
        with st.form("adm_create", clear_on_submit=False):
            c1, c2 = st.columns(2)
            with c1:
                fs.widget(st.text_input, "Username", "username", max_chars=64, help="Letters, digits, . _ @ -")
                fs.widget(st.text_input, "E-mail", "email", max_chars=254, help="Needed for single sign-on.")
                fs.widget(st.text_input, "Password", "password", max_chars=1000, type="password")
            with c2:
                fs.widget(st.text_input, "Name", "name", max_chars=100)
                _role(fs)
                fs.widget(st.text_input, "Repeat password", "repeat", max_chars=1000, type="password")
            st.checkbox(NEW_LABELS["must_change"], key=fs.key("must_change"))
            st.caption(
                f"Passwords: at least {passwords.MIN_PASSWORD_LENGTH} characters, not containing the user name. "
                "Leave both empty for a single-sign-on-only account (it needs an e-mail)."
            )
            st.form_submit_button("Create account", type="primary", key=fs.key("save"))


def _role(fs: FormState) -> None:
    fs.widget(st.selectbox, "Role", "role", options=list(ROLES), format_func=lambda r: ROLES[r].label, help=ROLE_HELP)


# ---------------------------------------------------------------- change


def _as_widgets(stored: Mapping[str, Any]) -> dict[str, Any]:
    """An account's stored values as the edit form's widgets hold them."""
    role = stored.get("role")
    return {
        "name": stored.get("display_name") or "",
        "email": stored.get("email") or "",
        "role": role.value if isinstance(role, Role) else role,
    }


def _change_account(db: Database, admin: User, rows: list[dict[str, Any]]) -> None:
    st.subheader("Change an account")
    by_name = {r["username"]: r for r in rows}
    chosen = st.selectbox(
        "Account",
        list(by_name),
        format_func=lambda u: f"{by_name[u]['display_name']} ({u})" if by_name[u]["display_name"] else u,
        key="adm_account",
    )
    if not chosen:
        return
    account = by_name[chosen]
    uid = account["id"]
    # The buttons keep their refusals apart from the form's (their own state, same key pattern).
    actions = RecordForm("adm", uid, (), state=f"adm_actions_{uid}")
    _account_actions_pressed(db, admin, actions, account)
    fs = RecordForm("adm", uid, EDIT_FIELDS, EDIT_LABELS)

    def update(version: int, sent: dict[str, Any]) -> User:
        data = {{"name": "display_name"}.get(f, f): value for f, value in sent.items()}
        return accounts.update_account(db, admin, uid, version, data)

    st.caption(f"Status: {_status(account)}")
    save_edits(
        fs,
        account["version"],
        _as_widgets(account),
        update,
        lambda changed, saved: f"Account {saved.username} saved.",
        as_widgets=_as_widgets,
    )
    with st.form(f"adm_edit_{uid}"):
        c1, c2, c3 = st.columns(3)
        with c1:
            fs.widget(st.text_input, "Name", "name", max_chars=100)
        with c2:
            fs.widget(st.text_input, "E-mail", "email", max_chars=254)
        with c3:
            _role(fs)
        st.form_submit_button("Save changes", type="primary", key=fs.key("save"))
    _account_buttons(actions, account, own=chosen.lower() == admin.username.lower())
    show_refusal(actions)


def _account_actions_pressed(db: Database, admin: User, fs: RecordForm, account: dict[str, Any]) -> None:
    """The account's buttons (enable or disable, reset the password, unlock), against the version shown."""
    uid, name, version = account["id"], account["username"], account["version"]
    if fs.pressed("enable") or fs.pressed("disable"):
        off = fs.pressed("disable")
        save(
            fs,
            lambda: accounts.set_disabled(db, admin, uid, version, off),
            f"Account {name} {'disabled' if off else 'enabled'}.",
        )
    elif fs.pressed("reset"):
        done_asking(fs.key("reset_q"))
        save(
            fs,
            lambda: accounts.reset_password(db, admin, uid, version),
            f"Password of {name} reset; its sessions are ended.",
            then=lambda result: st.session_state.__setitem__(TEMPORARY_KEY, (name, result[1])),
        )
    elif fs.pressed("unlock"):
        save(fs, lambda: accounts.unlock(db, admin, uid), f"Account {name} unlocked.")


def _account_buttons(fs: RecordForm, account: dict[str, Any], *, own: bool) -> None:
    c1, c2, c3 = st.columns(3)
    if account["disabled"]:
        c1.button("Enable account", key=fs.key("enable"), icon=":material/person_check:")
    else:
        c1.button(
            "Disable account",
            key=fs.key("disable"),
            icon=":material/person_off:",
            disabled=own,
            help="Signs the account out everywhere at once." if not own else "You cannot disable your own account.",
        )
    if account.get("locked_until"):
        c3.button("Unlock", key=fs.key("unlock"), icon=":material/lock_open:")
    if account["has_password"]:
        with c2 if not asking(fs.key("reset_q")) else st.container():
            ask_once(
                fs.key("reset_q"),
                "Reset password…",
                f"Reset the password of **{md(account['display_name'] or account['username'])}** "
                f"({md(account['username'])})? Their current password stops working at once and every "
                "browser they are signed in on is signed out. You get a temporary password to hand over.",
                "Reset the password",
                confirm_key=fs.key("reset"),
                icon=":material/lock_reset:",
                help="Gives a temporary password.",
            )


# ---------------------------------------------------------------- sessions


def _sessions_box(db: Database, admin: User) -> None:
    st.subheader("Signed-in browsers")
    count = sessions.active_count(db)
    st.caption(
        f"{count:,} sign-in{'s' if count != 1 else ''} active. Signing everyone out ends them all (including "
        "yours) and replaces the cookie key kept in the database."
    )
    fs = FormState("adm_signout_all", ("sure",))
    fs.ensure(None, {"sure": False})
    if st.session_state.get("adm_signout_all"):
        save(fs, lambda: sessions.sign_out_everyone(db, admin), lambda ended: f"{ended:,} sign-ins ended.")
    sure = st.checkbox("Yes, sign everyone out", key=fs.key("sure"))
    st.button("Sign everyone out", key="adm_signout_all", disabled=not sure, icon=":material/logout:")
    show_refusal(fs)
