"""``/healthz``: healthy only when a real query against the database answers."""

from __future__ import annotations

from typing import Any

from tracker import runtime


async def health(request: Any) -> Any:
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse

    try:
        version = await run_in_threadpool(lambda: runtime.database().schema_version())
    except Exception:  # any failure means unhealthy
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok", "schema": version})
