"""The web server around the pages (``st.App``): the sign-in cookie, the calendar feed, a health
route and hardening middleware. ``app.py`` is the ``st.App`` built from
:func:`routes`, :func:`middleware` and :func:`lifespan`.

Why a cookie route at all: a browser reload or a new tab starts a new Streamlit session, and a
Streamlit script cannot set an HttpOnly cookie. So after a sign-in the page shows a one-pixel
image whose URL carries a one-time, 60-second hand-off code; this server answers it with the
signed session cookie. Later sessions read the cookie from ``st.context.cookies`` (the
WebSocket handshake carries it) and resume. Without ``st.App`` (``streamlit run dashboard.py``)
the routes do not exist, the frame does not offer the cookie, and a reload asks to sign in.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import secrets
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from tracker import runtime
from tracker.domain import clock
from tracker.domain.errors import TrackerError
from tracker.services import sessions
from tracker.store import Database

log = logging.getLogger(__name__)

ROUTES_FLAG = "TRACKER_SERVER_ROUTES"  # set while the routes below are being served
HANDOFF_SECONDS = 60
_PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")  # transparent GIF
_PLACEHOLDER_SECRETS = {"", "change-me", "changeme"}
_handoffs: dict[str, tuple[str, int, float]] = {}  # sha256(code) -> (cookie value, max-age, deadline)
_handoff_lock = threading.Lock()
_warned_secret = False


def base_path() -> str:
    """``server.baseUrlPath`` as a prefix ("" or "/tracker")."""
    from streamlit import config as st_config

    base = str(st_config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def routes_active() -> bool:
    """True when this process serves the cookie and calendar routes (run through app.py)."""
    return os.environ.get(ROUTES_FLAG) == "1"


# ---------------------------------------------------------------- secrets and database


def configured_cookie_secret() -> str | None:
    """``cookie_secret`` from .streamlit/secrets.toml, when it is a real one."""
    global _warned_secret
    import streamlit as st

    try:
        value = st.secrets.get("cookie_secret")
    except Exception:  # no secrets file at all
        return None
    if isinstance(value, str) and value.strip() not in _PLACEHOLDER_SECRETS:
        if len(value) >= 32:
            return value
        if not _warned_secret:
            log.warning("cookie_secret in secrets.toml is shorter than 32 characters; using the database key")
            _warned_secret = True
    return None


def cookie_secret(db: Database) -> str:
    """The key that signs sign-in cookies: secrets.toml's, else one generated into the database."""
    return configured_cookie_secret() or sessions.database_secret(db)


def _database() -> Database:
    return runtime.database()


# ---------------------------------------------------------------- the cookie hand-off


def offer_cookie(new: sessions.NewSession, secret: str) -> str:
    """Register a one-time hand-off for ``new`` and return the URL that sets its cookie."""
    code = secrets.token_urlsafe(24)
    now = time.monotonic()
    with _handoff_lock:
        for key in [k for k, (_, _, deadline) in _handoffs.items() if deadline < now]:
            del _handoffs[key]
        if len(_handoffs) > 10_000:  # a flood of sign-ins cannot grow memory without bound
            _handoffs.clear()
        _handoffs[_digest(code)] = (new.cookie_value(secret), new.max_age, now + HANDOFF_SECONDS)
    return f"{base_path()}/session/cookie?h={code}"


def clear_cookie_url() -> str:
    return f"{base_path()}/session/clear"


def take_handoff(code: str | None) -> tuple[str, int] | None:
    """The cookie value and max-age for a hand-off code, once; None when unknown or expired."""
    if not code or len(code) > 100:
        return None
    with _handoff_lock:
        found = _handoffs.pop(_digest(code), None)
    if found is None or found[2] < time.monotonic():
        return None
    return found[0], found[1]


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def _secure(request: Any) -> bool:
    return request.url.scheme == "https" or os.environ.get("TRACKER_COOKIE_SECURE") == "1"


# ---------------------------------------------------------------- routes


async def set_cookie(request: Any) -> Any:
    from starlette.responses import Response

    response = Response(_PIXEL, media_type="image/gif", headers={"Cache-Control": "no-store"})
    found = take_handoff(request.query_params.get("h"))
    if found:
        value, max_age = found
        response.set_cookie(
            sessions.COOKIE_NAME,
            value,
            max_age=max_age,
            path=base_path() or "/",
            httponly=True,
            secure=_secure(request),
            samesite="strict",
        )
    return response


async def clear_cookie(request: Any) -> Any:
    from starlette.responses import Response

    response = Response(_PIXEL, media_type="image/gif", headers={"Cache-Control": "no-store"})
    response.delete_cookie(
        sessions.COOKIE_NAME, path=base_path() or "/", httponly=True, secure=_secure(request), samesite="strict"
    )
    return response


async def calendar_feed(request: Any) -> Any:
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import PlainTextResponse, Response

    token = str(request.path_params.get("token", ""))

    def build() -> bytes | None:
        from tracker.services import calendar

        db = _database()
        if sessions.calendar_feed_user(db, token) is None:
            return None
        return calendar.deadlines_ics(db, clock.today())

    try:
        body = await run_in_threadpool(build)
    except TrackerError:
        return PlainTextResponse("The database is unavailable.", status_code=503)
    if body is None:
        return PlainTextResponse("No such calendar feed.", status_code=404)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300", "Content-Disposition": 'inline; filename="deadlines.ics"'},
    )


async def health(request: Any) -> Any:
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse

    try:
        version = await run_in_threadpool(lambda: _database().schema_version())
    except Exception:  # any failure means unhealthy
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok", "schema": version})


def routes() -> list[Any]:
    from starlette.routing import Route

    base = base_path()
    return [
        Route(f"{base}/session/cookie", set_cookie, methods=["GET"]),
        Route(f"{base}/session/clear", clear_cookie, methods=["GET"]),
        Route(f"{base}/calendar/{{token}}.ics", calendar_feed, methods=["GET"]),
        Route(f"{base}/healthz", health, methods=["GET"]),
    ]


# ---------------------------------------------------------------- middleware

_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"SAMEORIGIN"),
]
ASGIApp = Callable[[dict[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]


class Hardening:
    """Refuses Streamlit's metrics route and adds browser security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.blocked = {f"{base_path()}/_stcore/metrics"}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope.get("path", "").rstrip("/") in self.blocked:
            from starlette.responses import PlainTextResponse

            await PlainTextResponse("Not found", status_code=404)(scope, receive, send)
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers.extend((k, v) for k, v in _SECURITY_HEADERS if k not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def middleware() -> list[Any]:
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from streamlit import config as st_config

    stack = [Middleware(Hardening)]
    hosts = [h for h in (st_config.get_option("server.allowedHosts") or []) if h]
    if hosts and "*" not in hosts:
        stack.append(Middleware(TrustedHostMiddleware, allowed_hosts=hosts))
    return stack


# ---------------------------------------------------------------- the app


def _warm_up() -> None:
    """Open (and migrate) the database and start the nightly backups before the first visitor."""
    try:
        _database()
        from tracker.ui.admin.backups import ensure_nightly_backups

        ensure_nightly_backups()
    except Exception as exc:  # the pages explain a missing database to the first visitor
        log.warning("start-up: %s", exc)


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[dict[str, Any]]:
    from starlette.concurrency import run_in_threadpool

    os.environ[ROUTES_FLAG] = "1"
    await run_in_threadpool(_warm_up)
    try:
        yield {}
    finally:
        os.environ.pop(ROUTES_FLAG, None)
