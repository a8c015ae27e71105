"""``/calendar/<token>.ics``: the consultation deadlines as a calendar a person subscribes to."""

from __future__ import annotations

from typing import Any

from tracker import runtime
from tracker.domain import clock
from tracker.domain.errors import TrackerError
from tracker.services import sessions


def _ics(token: str) -> bytes | None:
    """The feed's body, or None when the token is nobody's live calendar link."""
    from tracker.services import calendar

    db = runtime.database()
    if sessions.calendar_feed_user(db, token) is None:
        return None
    return calendar.deadlines_ics(db, clock.today())


async def calendar_feed(request: Any) -> Any:
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import PlainTextResponse, Response

    token = str(request.path_params.get("token", ""))
    try:
        body = await run_in_threadpool(_ics, token)
    except TrackerError:
        return PlainTextResponse("The database is unavailable.", status_code=503)
    if body is None:
        return PlainTextResponse("No such calendar feed.", status_code=404)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300", "Content-Disposition": 'inline; filename="deadlines.ics"'},
    )
