"""Who is signed in to this browser session: sign-in, resume (cookie or single sign-on),
idle timeout, revocation and sign-out. The role is re-read from the database on every run."""

from __future__ import annotations

import logging
import time

import streamlit as st

from tracker import config
from tracker.domain.errors import PermissionDenied, StorageError
from tracker.domain.models import User
from tracker.services import accounts, sessions
from tracker.store import Database
from tracker.ui.auth import sso
from tracker.web import handoff, serving
from tracker.web.cookie_secret import cookie_secret

log = logging.getLogger(__name__)

USER_KEY = "auth_username"
SEEN_KEY = "auth_last_seen"
SESSION_KEY = "auth_session"  # SHA-256 of this sign-in's session token
VIA_KEY = "auth_via"  # "password", "cookie" or "sso"
NOTICE_KEY = "auth_notice"
COOKIE_URL_KEY = "auth_cookie_url"  # (hand-off URL, deadline) while the cookie is on offer
CLEAR_KEY = "auth_clear_cookie"
TOUCH_KEY = "auth_touched"
SSO_REFUSED_KEY = "auth_sso_refused"
TOUCH_EVERY_SECONDS = 60


def sign_in(db: Database, user: User, via: str) -> None:
    """Record a successful sign-in in this session; offer the reload-proof cookie if served."""
    new = sessions.start(db, user)
    state = st.session_state
    state[USER_KEY] = user.username
    state[SEEN_KEY] = state[TOUCH_KEY] = time.time()
    state[SESSION_KEY] = new.token_hash
    state[VIA_KEY] = via
    state.pop(CLEAR_KEY, None)
    state.pop(SSO_REFUSED_KEY, None)
    browser = browser_binding()
    if via == "password" and serving.routes_active() and browser:
        url = handoff.offer_cookie(new, cookie_secret(db), browser)
        state[COOKIE_URL_KEY] = (url, time.time() + handoff.HANDOFF_SECONDS)


def browser_binding() -> str | None:
    """This browser's sign-in binding cookie (set by the server's middleware with the page)."""
    try:
        value = st.context.cookies.get(handoff.BIND_COOKIE)
    except Exception:  # no browser behind this run (a script run outside the server)
        return None
    return value if isinstance(value, str) and 0 < len(value) <= 100 else None


def sign_out(db: Database, message: str | None = None) -> None:
    """End this sign-in: its session (and so its cookie) is revoked at once."""
    state = st.session_state
    via = state.get(VIA_KEY)
    try:
        sessions.end(db, state.get(SESSION_KEY))
    finally:
        for key in (USER_KEY, SEEN_KEY, SESSION_KEY, VIA_KEY, COOKIE_URL_KEY, TOUCH_KEY):
            state.pop(key, None)
        if message:
            state[NOTICE_KEY] = message
        if serving.routes_active():
            state[CLEAR_KEY] = True
    if via == "sso":
        sso.logout()


def current_user(db: Database) -> User | None:
    """The signed-in, active user of this session, or None (the sign-in page follows)."""
    state = st.session_state
    username = state.get(USER_KEY)
    if not username:
        return _resume(db)
    last = state.get(SEEN_KEY, time.time())
    if time.time() - last > config.idle_timeout_minutes() * 60:
        sign_out(db, "You were signed out after a period of inactivity.")
        return None
    try:
        user = accounts.require_signed_in(db, username)
    except PermissionDenied:
        sign_out(db, "Your account is no longer active. Contact an administrator.")
        return None
    hashed = state.get(SESSION_KEY)
    if hashed and not sessions.is_live(db, hashed):
        sign_out(db, "Your session has ended. Please sign in again.")
        return None
    now = time.time()
    state[SEEN_KEY] = now
    if hashed and now - state.get(TOUCH_KEY, 0) > TOUCH_EVERY_SECONDS:
        state[TOUCH_KEY] = now
        try:
            sessions.touch(db, hashed)
        except StorageError as exc:  # a busy or full disk must not take the page down with it
            log.warning("could not extend a sign-in session: %s", exc)
    return user


def _browser_cookie() -> str | None:
    try:
        return st.context.cookies.get(sessions.COOKIE_NAME)
    except Exception:  # no browser context (e.g. a bare script run)
        return None


def _resume(db: Database) -> User | None:
    """A new browser session: resume from the sign-in cookie, else from single sign-on."""
    state = st.session_state
    value = _browser_cookie()
    if value and not state.get(CLEAR_KEY):
        found = sessions.resume(db, cookie_secret(db), value)
        if found:
            resumed, hashed = found
            state[USER_KEY] = resumed.username
            state[SEEN_KEY] = state[TOUCH_KEY] = time.time()
            state[SESSION_KEY] = hashed
            state[VIA_KEY] = "cookie"
            return resumed
    if sso.configured() and sso.logged_in():
        email = sso.identity_email()
        user = accounts.sign_in_by_email(db, email)
        if user is not None:
            sign_in(db, user, "sso")
            return user
        state[SSO_REFUSED_KEY] = email or "(no e-mail given)"
    return None


def cookie_pixel() -> None:
    """While a cookie hand-off is on offer, show the one-pixel image that collects it."""
    offer = st.session_state.get(COOKIE_URL_KEY)
    if not offer:
        return
    url, deadline = offer
    if time.time() > deadline:
        st.session_state.pop(COOKIE_URL_KEY, None)
        return
    st.markdown(f"![]({url})")


def clear_pixel() -> None:
    """After a sign-out, the image that removes the (already revoked) cookie from the browser."""
    if st.session_state.get(CLEAR_KEY) and serving.routes_active():
        st.markdown(f"![]({handoff.clear_cookie_url()})")
