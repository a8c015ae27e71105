"""The routes that set and clear the sign-in cookie (answering one-pixel images on the page)."""

from __future__ import annotations

import base64
import os
from typing import Any

from tracker.services import sessions

from .handoff import BIND_COOKIE, take_handoff
from .serving import base_path

_PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")  # transparent GIF


def _pixel() -> Any:
    from starlette.responses import Response

    return Response(_PIXEL, media_type="image/gif", headers={"Cache-Control": "no-store"})


def _cookie_options(request: Any) -> dict[str, Any]:
    secure = request.url.scheme == "https" or os.environ.get("TRACKER_COOKIE_SECURE") == "1"
    return {"path": base_path() or "/", "httponly": True, "secure": secure, "samesite": "strict"}


async def set_cookie(request: Any) -> Any:
    """``/session/cookie?h=CODE``: the signed cookie for a live hand-off code, once, and only for
    the browser that signed in."""
    response = _pixel()
    found = take_handoff(request.query_params.get("h"), request.cookies.get(BIND_COOKIE))
    if found:
        value, max_age = found
        response.set_cookie(sessions.COOKIE_NAME, value, max_age=max_age, **_cookie_options(request))
    return response


async def clear_cookie(request: Any) -> Any:
    """``/session/clear``: removes the (already revoked) cookie after a sign-out."""
    response = _pixel()
    response.delete_cookie(sessions.COOKIE_NAME, **_cookie_options(request))
    return response
