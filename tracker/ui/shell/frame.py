"""The frame every page calls first: page config, sign-in in place, role check, sidebar."""

from __future__ import annotations

import streamlit as st

from tracker.domain.models import User
from tracker.services import accounts
from tracker.store import Database
from tracker.ui.auth import forms, state
from tracker.ui.kit.text import md
from tracker.ui.shell import cache
from tracker.ui.shell.cache import TTL_SECONDS
from tracker.ui.shell.db import get_db
from tracker.ui.shell.registry import BY_LABEL, pages_for

# The user page_frame let through on this run: later parts of the page read it instead of
# looking the account up again.
RUN_USER_KEY = "frame_run_user"


def run_user() -> User | None:
    """The user this run's page_frame signed in and allowed (None before it ran, or signed out)."""
    user = st.session_state.get(RUN_USER_KEY)
    return user if isinstance(user, User) else None


def page_frame(label: str) -> User:
    """Set up the page named ``label`` and return the signed-in user allowed to see it.

    Signed out: the sign-in form is drawn here, on this URL, so a deep link and its query
    parameters survive the sign-in. A password reset by an admin: the new password first.
    Below the page's role: a refusal. Either way the page stops before any of its own code runs.
    """
    spec = BY_LABEL[label]
    st.set_page_config(
        page_title=f"{spec.label} · Policy Influence Tracker",
        page_icon=spec.icon,
        layout="wide" if spec.wide else "centered",
    )
    db = get_db()
    cache.sync(db)
    st.session_state.pop(RUN_USER_KEY, None)
    user = state.current_user(db)
    if user is None:
        forms.sign_in_page(db, spec.path)
        st.stop()
    assert user is not None
    if user.must_change_password and st.session_state.get(state.VIA_KEY) != "sso":
        with st.sidebar:
            _sign_out_button(db)
            state.cookie_pixel()
        forms.forced_password_change(db, user)
        st.stop()
    _sidebar(db, user)
    if not user.role.allows(spec.min_role):
        st.error(
            f"The {spec.label} page needs the {spec.min_role.label} role; you are signed in as {user.role.label}.",
            icon=":material/block:",
        )
        st.stop()
    st.session_state[RUN_USER_KEY] = user
    return user


def _sign_out_button(db: Database) -> None:
    if st.button("Sign out", icon=":material/logout:", key="sign_out"):
        state.sign_out(db, "You are signed out.")
        st.rerun()


def _sidebar(db: Database, user: User) -> None:
    with st.sidebar:
        st.markdown("**Policy Influence Tracker**")
        for spec in pages_for(user.role):
            # No icon: a Material icon is a text ligature that would pollute the link text.
            st.page_link(spec.path, label=spec.label)
        st.divider()
        st.caption(f"Signed in as **{md(user.name)}** · {user.role.label}")
        _sign_out_button(db)
        if st.toggle("Account settings", key="auth_account_open"):
            forms.account_panel(db, user)
        if _demo_accounts_exist():
            st.warning(
                "Demo accounts are active (password demo). Remove them before real use.", icon=":material/science:"
            )
        state.cookie_pixel()


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _demo_accounts_exist() -> bool:
    # A banner, not a gate: a minute's delay after an admin removes the demo accounts is harmless
    # (and every write through the Admin page clears the cache at once).
    return accounts.demo_accounts_exist(get_db())
