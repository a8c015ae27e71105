"""A job of the running app: a daemon thread that runs one step every few minutes and survives
any failure, keeping the last result and the last error for the Admin page to show."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, Self, TypeVar

from tracker.domain.errors import TrackerError
from tracker.store import Database

T = TypeVar("T")


class BackgroundJob(Generic[T]):
    """Subclasses give the step; :meth:`guarded` runs it so that the thread never dies of it."""

    def __init__(self, get_db: Callable[[], Database], *, poll_seconds: float, name: str, log: logging.Logger) -> None:
        self._get_db = get_db
        self._poll = poll_seconds
        self._log = log
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.last: T | None = None
        self.last_error: str | None = None

    def start(self) -> Self:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def run_once(self) -> T | None:
        raise NotImplementedError

    def guarded(self, step: Callable[[], T | None], what: str) -> T | None:
        """``step()``, or None with ``last_error`` set (and logged as ``what`` failed); never raises."""
        try:
            return step()
        except (TrackerError, OSError) as exc:
            self.last_error = str(exc)
            self._log.error("%s failed: %s", what, exc)
        except Exception as exc:  # a background job must survive anything and say so
            self.last_error = f"{type(exc).__name__}: {exc}"
            self._log.exception("%s failed", what)
        return None

    def _run(self) -> None:
        # The first step waits one poll: starting the app is not a reason to run it at once.
        while not self._stop.wait(self._poll):
            self.run_once()
