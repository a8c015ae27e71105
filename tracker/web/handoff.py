"""The one-time cookie hand-off between a signed-in page and the cookie route.

Why a hand-off at all: a browser reload or a new tab starts a new Streamlit session, and a
Streamlit script cannot set an HttpOnly cookie. So after a sign-in the page shows a one-pixel
image whose URL carries a one-time, 60-second code registered here; the cookie route
(:mod:`tracker.web.routes_session`) answers it with the signed session cookie. Later sessions
read the cookie from ``st.context.cookies`` (the WebSocket handshake carries it) and resume.
Without ``st.App`` (``streamlit run dashboard.py``) the routes do not exist, the frame does not
offer the cookie, and a reload asks to sign in.

The code is bound to the browser that signed in: the middleware gives every browser a random
``tracker_bind`` cookie (HttpOnly, SameSite=Strict) with the page itself, before any sign-in;
the sign-in registers the hand-off with that value, and the cookie route sets the session cookie
only for a request carrying the same one. A hand-off link captured by someone and opened in a
colleague's browser therefore signs nobody in (no login-CSRF), and the code is spent either way.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time

from tracker.services import sessions

from .serving import base_path

HANDOFF_SECONDS = 30
BIND_COOKIE = "tracker_bind"
_MAX_PENDING = 10_000  # a flood of sign-ins cannot grow memory without bound
# sha256(code) -> (cookie value, max-age, deadline, sha256(the signing-in browser's bind cookie))
_handoffs: dict[str, tuple[str, int, float, str]] = {}
_lock = threading.Lock()


def new_binding() -> str:
    """A fresh value for a browser's ``tracker_bind`` cookie."""
    return secrets.token_urlsafe(24)


def offer_cookie(new: sessions.NewSession, secret: str, browser: str) -> str:
    """Register a one-time hand-off of ``new`` for the browser whose bind cookie is ``browser``
    and return the URL that sets its cookie."""
    code = secrets.token_urlsafe(24)
    now = time.monotonic()
    with _lock:
        for key in [k for k, entry in _handoffs.items() if entry[2] < now]:
            del _handoffs[key]
        if len(_handoffs) > _MAX_PENDING:
            _handoffs.clear()
        _handoffs[_digest(code)] = (new.cookie_value(secret), new.max_age, now + HANDOFF_SECONDS, _digest(browser))
    return f"{base_path()}/session/cookie?h={code}"


def take_handoff(code: str | None, browser: str | None) -> tuple[str, int] | None:
    """The cookie value and max-age for a hand-off code presented by the browser that signed in,
    once; None when unknown, expired, already used or presented by another browser (which spends it)."""
    if not code or len(code) > 100:
        return None
    with _lock:
        found = _handoffs.pop(_digest(code), None)
    if found is None or found[2] < time.monotonic():
        return None
    if not browser or not hmac.compare_digest(found[3], _digest(browser)):
        return None
    return found[0], found[1]


def clear_cookie_url() -> str:
    """The address of the image that removes the sign-in cookie."""
    return f"{base_path()}/session/clear"


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()
