"""The frame every page calls first: page config, sign-in in place, role check, sidebar."""

from __future__ import annotations

import time

import streamlit as st

from tracker import config
from tracker.domain.errors import PermissionDenied
from tracker.domain.models import User
from tracker.services import accounts

from .db import get_db
from .registry import BY_LABEL, PageSpec, pages_for
from .text import md

USER_KEY = "auth_username"
SEEN_KEY = "auth_last_seen"


def page_frame(label: str) -> User:
    """Set up the page named ``label`` and return the signed-in user allowed to see it.

    Signed out: the sign-in form is drawn here, on this URL, so a deep link and its query
    parameters survive the sign-in. Below the page's role: a refusal. Either way the page
    stops before any of its own code runs.
    """
    spec = BY_LABEL[label]
    st.set_page_config(
        page_title=f"{spec.label} · Policy Influence Tracker",
        page_icon=spec.icon,
        layout="wide" if spec.wide else "centered",
    )
    db = get_db()
    user = _current_user(db)
    if user is None:
        _sign_in_form(db)
        st.stop()
    assert user is not None
    _sidebar(db, user, spec)
    if not user.role.allows(spec.min_role):
        st.error(
            f"The {spec.label} page needs the {spec.min_role.label} role; you are signed in as {user.role.label}.",
            icon=":material/block:",
        )
        st.stop()
    return user


def _current_user(db) -> User | None:  # type: ignore[no-untyped-def]
    username = st.session_state.get(USER_KEY)
    if not username:
        return None
    last = st.session_state.get(SEEN_KEY, time.time())
    if time.time() - last > config.idle_timeout_minutes() * 60:
        sign_out("You were signed out after a period of inactivity.")
        return None
    try:
        user = accounts.require_signed_in(db, username)
    except PermissionDenied:
        sign_out("Your account is no longer active. Contact an administrator.")
        return None
    st.session_state[SEEN_KEY] = time.time()
    return user


def sign_out(message: str | None = None) -> None:
    for key in (USER_KEY, SEEN_KEY):
        st.session_state.pop(key, None)
    if message:
        st.session_state["auth_notice"] = message


def _sign_in_form(db) -> None:  # type: ignore[no-untyped-def]
    st.title("Policy Influence Tracker")
    notice = st.session_state.pop("auth_notice", None)
    if notice:
        st.info(notice)
    if accounts.demo_accounts_exist(db):
        st.caption("Demo data: sign in as director, officer or admin with the password demo.")
    with st.form("sign_in", enter_to_submit=True):
        username = st.text_input("Username", max_chars=200, autocomplete="username")
        password = st.text_input("Password", type="password", max_chars=1000, autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            user = accounts.authenticate(db, username, password)
        except accounts.SignInRefused as exc:
            st.error(str(exc))
            return
        st.session_state[USER_KEY] = user.username
        st.session_state[SEEN_KEY] = time.time()
        st.rerun()


def _sidebar(db, user: User, current: PageSpec) -> None:  # type: ignore[no-untyped-def]
    with st.sidebar:
        st.markdown("**Policy Influence Tracker**")
        for spec in pages_for(user.role):
            # No icon: a Material icon is a text ligature that would pollute the link text.
            st.page_link(spec.path, label=spec.label)
        st.divider()
        st.caption(f"Signed in as **{md(user.name)}** · {user.role.label}")
        if st.button("Sign out", icon=":material/logout:", key="sign_out"):
            sign_out("You are signed out.")
            st.rerun()
        if accounts.demo_accounts_exist(db):
            st.warning(
                "Demo accounts are active (password demo). Remove them before real use.", icon=":material/science:"
            )
