"""The one-time cookie hand-off between a signed-in page and the cookie route.

Why a hand-off at all: a browser reload or a new tab starts a new Streamlit session, and a
Streamlit script cannot set an HttpOnly cookie. So after a sign-in the page shows a one-pixel
image whose URL carries a one-time, 60-second code registered here; the cookie route
(:mod:`tracker.web.routes_session`) answers it with the signed session cookie. Later sessions
read the cookie from ``st.context.cookies`` (the WebSocket handshake carries it) and resume.
Without ``st.App`` (``streamlit run dashboard.py``) the routes do not exist, the frame does not
offer the cookie, and a reload asks to sign in.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time

from tracker.services import sessions

from .serving import base_path

HANDOFF_SECONDS = 60
_MAX_PENDING = 10_000  # a flood of sign-ins cannot grow memory without bound
_handoffs: dict[str, tuple[str, int, float]] = {}  # sha256(code) -> (cookie value, max-age, deadline)
_lock = threading.Lock()


def offer_cookie(new: sessions.NewSession, secret: str) -> str:
    """Register a one-time hand-off for ``new`` and return the URL that sets its cookie."""
    code = secrets.token_urlsafe(24)
    now = time.monotonic()
    with _lock:
        for key in [k for k, (_, _, deadline) in _handoffs.items() if deadline < now]:
            del _handoffs[key]
        if len(_handoffs) > _MAX_PENDING:
            _handoffs.clear()
        _handoffs[_digest(code)] = (new.cookie_value(secret), new.max_age, now + HANDOFF_SECONDS)
    return f"{base_path()}/session/cookie?h={code}"


def take_handoff(code: str | None) -> tuple[str, int] | None:
    """The cookie value and max-age for a hand-off code, once; None when unknown or expired."""
    if not code or len(code) > 100:
        return None
    with _lock:
        found = _handoffs.pop(_digest(code), None)
    if found is None or found[2] < time.monotonic():
        return None
    return found[0], found[1]


def clear_cookie_url() -> str:
    """The address of the image that removes the sign-in cookie."""
    return f"{base_path()}/session/clear"


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()
