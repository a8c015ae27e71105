"""The server's lifespan: before the first visitor, open (and migrate) the database and start the
nightly backups and the e-mail digest job; while it runs, tell the pages the cookie and calendar
routes are served."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from tracker import runtime
from tracker.services import digest_job

from .nightly import ensure_nightly_backups
from .serving import ROUTES_FLAG

log = logging.getLogger(__name__)


def warm_up() -> None:
    """Open the database, start the nightly backups and the digest job; a failure is left for the
    pages to explain."""
    try:
        runtime.database()
        ensure_nightly_backups()
        digest_job.start(runtime.database)
    except Exception as exc:  # the pages explain a missing database to the first visitor
        log.warning("start-up: %s", exc)


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[dict[str, Any]]:
    from starlette.concurrency import run_in_threadpool

    os.environ[ROUTES_FLAG] = "1"
    await run_in_threadpool(warm_up)
    try:
        yield {}
    finally:
        digest_job.stop()
        os.environ.pop(ROUTES_FLAG, None)
