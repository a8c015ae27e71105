"""Middleware around every response: Streamlit's metrics route refused, browser security
headers added, every browser given its sign-in binding cookie, and the host checked against
``server.allowedHosts``."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from http.cookies import CookieError, SimpleCookie
from typing import Any

from .handoff import BIND_COOKIE, new_binding
from .serving import base_path

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

        bind = None if _has_binding(scope) else _binding_header(scope)

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers.extend((k, v) for k, v in _SECURITY_HEADERS if k not in present)
                if bind is not None:
                    headers.append((b"set-cookie", bind))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _has_binding(scope: dict[str, Any]) -> bool:
    """Whether the request already carries a sign-in binding cookie (see tracker.web.handoff)."""
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                if BIND_COOKIE in SimpleCookie(value.decode("latin-1")):
                    return True
            except CookieError:
                continue
    return False


def _binding_header(scope: dict[str, Any]) -> bytes:
    secure = scope.get("scheme") == "https" or os.environ.get("TRACKER_COOKIE_SECURE") == "1"
    parts = [f"{BIND_COOKIE}={new_binding()}", f"Path={base_path() or '/'}", "HttpOnly", "SameSite=Strict"]
    return "; ".join(parts + (["Secure"] if secure else [])).encode("latin-1")


def middleware() -> list[Any]:
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from streamlit import config as st_config

    stack = [Middleware(Hardening)]
    hosts = [h for h in (st_config.get_option("server.allowedHosts") or []) if h]
    if hosts and "*" not in hosts:
        stack.append(Middleware(TrustedHostMiddleware, allowed_hosts=hosts))
    return stack
