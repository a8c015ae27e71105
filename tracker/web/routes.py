"""The routes ``st.App`` serves beside the pages, under ``server.baseUrlPath``."""

from __future__ import annotations

from typing import Any

from .calendar_feed import calendar_feed
from .health import health
from .routes_session import clear_cookie, set_cookie
from .serving import base_path


def routes() -> list[Any]:
    from starlette.routing import Route

    base = base_path()
    return [
        Route(f"{base}/session/cookie", set_cookie, methods=["GET"]),
        Route(f"{base}/session/clear", clear_cookie, methods=["GET"]),
        Route(f"{base}/calendar/{{token}}.ics", calendar_feed, methods=["GET"]),
        Route(f"{base}/healthz", health, methods=["GET"]),
    ]
