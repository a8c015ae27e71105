"""Long work (reading and importing a large file) off the page's script thread, with a progress bar.

Why: a page run that parses and writes a 200,000-line file holds its session for minutes; the
browser shows a frozen page and the user cannot tell it from a hang. Here the work runs in a
worker thread, the page returns at once, and a fragment redraws the bar twice a second until the
job ends, then reruns the page, which shows the outcome. The worker touches no Streamlit API:
it gets the database and everything else it needs as arguments, and reports through the job.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

POLL_SECONDS = 0.5


@dataclass
class Job:
    """One piece of work in a worker thread: where it is, and how it ended."""

    label: str
    fraction: float = 0.0
    message: str = "Starting…"
    result: Any = None
    error: BaseException | None = None
    started: float = field(default_factory=time.monotonic)
    finished: threading.Event = field(default_factory=threading.Event)

    def progress(self, fraction: float, message: str) -> None:
        """The work's own progress callback (called from the worker thread)."""
        self.fraction = min(max(float(fraction), 0.0), 1.0)
        self.message = message

    @property
    def done(self) -> bool:
        return self.finished.is_set()


def start(key: str, label: str, work: Callable[[Callable[[float, str], None]], Any]) -> Job:
    """Run ``work(progress)`` in a worker thread; the job is kept in the session under ``key``."""
    job = Job(label)

    def run() -> None:
        try:
            job.result = work(job.progress)
        except BaseException as exc:  # handed to the page, which shows it in words
            job.error = exc
        finally:
            job.finished.set()

    st.session_state[key] = job
    threading.Thread(target=run, name=f"job-{key}", daemon=True).start()
    return job


def running(key: str) -> Job | None:
    job = st.session_state.get(key)
    return job if isinstance(job, Job) else None


def finish(key: str) -> Job | None:
    """The job under ``key`` if it has ended (and forget it), else None."""
    job = running(key)
    if job is None or not job.done:
        return None
    st.session_state.pop(key, None)
    return job


def show_progress(key: str) -> None:
    """Draw the job's bar and keep it moving; rerun the page when the job ends."""

    @st.fragment(run_every=POLL_SECONDS)
    def bar() -> None:
        job = running(key)
        if job is None:
            return
        if job.done:
            st.rerun()
        elapsed = int(time.monotonic() - job.started)
        st.progress(job.fraction, text=f"{job.label}: {job.message} ({elapsed} s)")

    bar()
