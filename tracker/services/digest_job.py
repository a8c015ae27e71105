"""The digest job of the running app: a daemon thread that, every few minutes, retries failed
digests and sends those whose slot (``TRACKER_DIGEST_HOUR`` in ``TRACKER_TZ``; Mondays for
weekly digests) has come. ``TRACKER_DIGEST_HOUR=off`` or no ``TRACKER_SMTP_HOST`` keeps it idle.

Start it once per process from the app's lifespan::

    from tracker.services import digest_job
    job = digest_job.start(runtime.database)   # any callable returning the open Database
    ...
    job.stop()                                 # on shutdown
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from tracker.store import Database

from . import digests, mail
from .background import BackgroundJob

log = logging.getLogger(__name__)

# A slot missed by more than this (the app was down at the hour) is not sent late: the next
# digest starts where the last one ended, so nothing is lost.
MAX_LATE = dt.timedelta(hours=12)


class DigestJob(BackgroundJob[digests.RunReport]):
    def __init__(
        self,
        get_db: Callable[[], Database],
        *,
        poll_seconds: float = 300.0,
        transport: Callable[[], mail.Transport] | None = None,
    ) -> None:
        super().__init__(get_db, poll_seconds=poll_seconds, name="e-mail-digests", log=log)
        self._transport = transport or mail.SmtpTransport

    def run_once(self, now: dt.datetime | None = None) -> digests.RunReport | None:
        """One run (retries, then due digests); never raises."""
        return self.guarded(lambda: self._send_due(now), "e-mail digests")

    def _send_due(self, now: dt.datetime | None) -> digests.RunReport | None:
        hour = digests.digest_hour()
        if hour is None:
            return None
        if not mail.setting("TRACKER_SMTP_HOST"):
            return None
        self.last = digests.run(self._get_db(), self._transport(), now=now, hour=hour, max_late=MAX_LATE)
        self.last_error = "; ".join(f"{u}: {e}" for u, e in self.last.failed) or None
        return self.last


_started: DigestJob | None = None
_lock = threading.Lock()


def start(get_db: Callable[[], Database], *, poll_seconds: float = 300.0) -> DigestJob:
    """Start the process's one digest job (a second call returns the running one)."""
    global _started
    with _lock:
        if _started is None or not _started.thread.is_alive():
            _started = DigestJob(get_db, poll_seconds=poll_seconds).start()
        return _started


def stop() -> None:
    global _started
    with _lock:
        if _started is not None:
            _started.stop()
            _started = None
