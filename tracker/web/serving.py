"""Where the server is mounted, and whether this process serves the routes beside the pages."""

from __future__ import annotations

import os

ROUTES_FLAG = "TRACKER_SERVER_ROUTES"  # set by the lifespan while the routes are being served


def base_path() -> str:
    """``server.baseUrlPath`` as a prefix ("" or "/tracker")."""
    from streamlit import config as st_config

    base = str(st_config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def routes_active() -> bool:
    """True when this process serves the cookie and calendar routes (run through app.py)."""
    return os.environ.get(ROUTES_FLAG) == "1"
