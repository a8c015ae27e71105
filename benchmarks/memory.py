"""Memory: peak resident set of one process after 20 sessions opened the Overview.

The sessions are AppTests in one child process, as in a server: they share the process's
caches and its database connection. What makes the number honest:

- The child reports its OWN peak, VmHWM from /proc/self/status. ``getrusage().ru_maxrss``,
  used before, survives ``exec``: a child started by this (large, long-running) benchmark
  process reported the parent's peak, not its own (measured: a 10 MB child of an 800 MB parent
  reads 814 MB).
- The child opens its own copy of the database. This process may still hold the file (the page
  benchmark's cached connection) and DuckDB lets one process open a file: without a copy every
  session would only draw "the database is in use", and the number would be a hollow one.
- Every session must draw the Overview's KPI tiles without an error, or the run fails.
- All 20 sessions stay open until the end, as 20 people with the Overview open would. An AppTest
  also keeps every element it received, which a server does not, so this errs on the high side.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .common import ROOT, Result, private_copy

CHILD = r"""
import json, resource, sys


def rss_mb(key="VmRSS"):
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    # Not Linux: the best there is (may include a parent's peak, see benchmarks/memory.py).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


from streamlit.testing.v1 import AppTest

sessions = int(sys.argv[1])
marks = {"start_mb": rss_mb()}
alive = []
for n in range(sessions):
    at = AppTest.from_file(sys.argv[2], default_timeout=300)
    at.session_state["auth_username"] = "director"
    at.run()
    assert not at.exception, at.exception[0].value
    assert not at.error, f"session {n + 1} showed an error: {at.error[0].value}"
    assert len(at.metric) > 0, f"session {n + 1} drew no KPI tiles"
    alive.append(at)
    if n == 0:
        marks["first_session_mb"] = rss_mb()
marks["end_mb"] = rss_mb()
marks["peak_mb"] = rss_mb("VmHWM")
print(json.dumps(marks))
"""


def measure(db_path: Path, scale: str, sessions: int) -> list[Result]:
    name = f"peak RSS after {sessions} Overview sessions"
    with tempfile.TemporaryDirectory() as tmp:
        own = private_copy(db_path, Path(tmp), "memory.duckdb")
        env = {**os.environ, "TRACKER_DB": str(own), "TRACKER_BACKUP_DIR": str(Path(tmp) / "backups")}
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(sessions), str(ROOT / "dashboard.py")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
    if out.returncode != 0:
        return [
            Result(
                "memory",
                name,
                scale,
                float("nan"),
                "MB",
                note=out.stderr.strip().splitlines()[-1][:200] if out.stderr.strip() else "failed",
            )
        ]
    marks = json.loads(out.stdout.strip().splitlines()[-1])
    mb = marks["peak_mb"]
    per_session = (marks["end_mb"] - marks["first_session_mb"]) / max(1, sessions - 1)
    return [
        Result(
            "memory",
            name,
            scale,
            mb,
            "MB",
            target="≤ 600 MB",
            passed=(mb <= 600) if scale == "L" else None,
            note=f"{marks['start_mb']:.0f} MB with Streamlit loaded, {marks['first_session_mb']:.0f} MB after the "
            f"first session, then {per_session:+.1f} MB per session",
            extra={**marks, "per_session_mb": per_session},
        )
    ]
