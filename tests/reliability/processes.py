"""The test side of :mod:`tests.reliability.crash_child`: start children, read what they say,
kill them with SIGKILL."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT


class Children:
    """A fork server and the children it starts."""

    def __init__(self, err_path: Path) -> None:
        self.err_path = err_path
        self._err = err_path.open("wb")
        self._buffer = b""
        self.seen: dict[int, list[str]] = {}
        self.server = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.crash_child"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._err,
            env={
                **os.environ,
                "TRACKER_TODAY": "2026-11-27",
                "OPENBLAS_NUM_THREADS": "1",
                "JE_ARROW_MALLOC_CONF": "background_thread:false",
            },
        )

    def _lines(self, timeout: float, watch: int | None = None) -> Iterator[tuple[int, str]]:
        """(pid, message) lines as they come; fails if ``watch`` dies or nothing comes in time."""
        assert self.server.stdout is not None
        fd = self.server.stdout.fileno()
        deadline = time.monotonic() + timeout
        while True:
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                pid, _, message = line.decode().partition(" ")
                self.seen.setdefault(int(pid), []).append(message)
                yield int(pid), message
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no word from the children in {timeout:.0f} s: {self.errors()}")
            if not select.select([fd], [], [], min(left, 0.2))[0]:
                if watch is not None and not self.alive(watch):
                    raise AssertionError(f"child {watch} ended early: {self.errors() or 'no error output'}")
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                raise AssertionError(f"the fork server died: {self.errors()}")
            self._buffer += chunk

    def start(self, *command: object) -> int:
        assert self.server.stdin is not None
        self.server.stdin.write((" ".join(map(str, command)) + "\n").encode())
        self.server.stdin.flush()
        for pid, message in self._lines(60):
            if message == "child":
                return pid
        raise AssertionError("unreachable")

    def wait_for(self, pid: int, prefix: str, timeout: float = 120) -> str:
        """The first message of ``pid`` starting with ``prefix`` (earlier ones are skipped)."""
        for who, message in self._lines(timeout, watch=pid):
            if who == pid and message.startswith(prefix):
                return message
        raise AssertionError("unreachable")

    def kill(self, pid: int) -> bool:
        """SIGKILL ``pid``; False if it had already ended by itself."""
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return False
        self.wait_gone(pid, 30)
        return True

    def said(self, pid: int, message: str) -> bool:
        """Whether ``pid`` has printed ``message`` (reads what is waiting in the pipe)."""
        assert self.server.stdout is not None
        fd = self.server.stdout.fileno()
        while select.select([fd], [], [], 0)[0]:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            self._buffer += chunk
        while b"\n" in self._buffer:
            line, self._buffer = self._buffer.split(b"\n", 1)
            who, _, text = line.decode().partition(" ")
            self.seen.setdefault(int(who), []).append(text)
        return message in self.seen.get(pid, [])

    def wait_gone(self, pid: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:  # gone (and its file lock with it) once reaped
            if not self.alive(pid):
                return
            time.sleep(0.005)
        raise AssertionError(f"child {pid} still running after {timeout} s")

    @staticmethod
    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    def errors(self) -> str:
        self._err.flush()
        return self.err_path.read_text(encoding="utf-8", errors="replace")

    def close(self) -> None:
        if self.server.stdin:
            self.server.stdin.close()
        self.server.wait(timeout=30)
        if self.server.stdout:
            self.server.stdout.close()
        self._err.close()
