"""The server: the Overview and its pages (dashboard.py, pages/) plus the sign-in cookie, the
calendar feed and a health route. Run it with ``streamlit run app.py`` (see README)."""

import importlib
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import streamlit as st

from tracker.web.lifespan import lifespan as server_lifespan
from tracker.web.middleware import middleware
from tracker.web.routes import routes

log = logging.getLogger("tracker.app")
# What the Overview's first run imports beyond what the server start has (DuckDB's DataFrame
# conversion loads pyarrow.pandas_compat on its first use).
PRELOAD = (
    "pyarrow.pandas_compat",
    "plotly.tools",  # st.plotly_chart converts figures with it
    "tracker.ui.shell.frame",
    "tracker.ui.overview.filters",
    "tracker.ui.overview.data",
    "tracker.ui.overview.widgets",
    "tracker.ui.overview.page",
)


def _preload() -> None:
    """Import what the Overview's first run needs (pandas, Plotly's figure classes and validators,
    the chart and metrics code: about a third of a CPU second) while the first browser is still
    loading the page, instead of inside that first run. Code only: no query runs, nothing is cached."""
    try:
        for name in PRELOAD:
            importlib.import_module(name)
        from tracker import charts

        charts.warm_up()
    except Exception as exc:  # a warm-up must never take the server down; the page reports problems
        log.debug("preload: %s", exc)


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[dict[str, Any]]:
    async with server_lifespan(app) as state:
        threading.Thread(target=_preload, name="preload", daemon=True).start()
        yield state


app = st.App("dashboard.py", routes=routes(), middleware=middleware(), lifespan=lifespan)
