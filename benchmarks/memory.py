"""Memory: peak resident set of one process after 20 sessions opened the Overview."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .common import ROOT, Result

CHILD = r"""
import json, os, resource, sys
from streamlit.testing.v1 import AppTest
sessions = int(sys.argv[1])
for _ in range(sessions):
    at = AppTest.from_file("dashboard.py", default_timeout=300)
    at.session_state["auth_username"] = "director"
    at.run()
    assert not at.exception, at.exception[0].value
print(json.dumps({"maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(db_path: Path, scale: str, sessions: int) -> list[Result]:
    env = {**os.environ, "TRACKER_DB": str(db_path)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(sessions)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800
    )
    if out.returncode != 0:
        return [
            Result(
                "memory",
                f"peak RSS after {sessions} Overview sessions",
                scale,
                float("nan"),
                "MB",
                note=out.stderr.strip().splitlines()[-1][:200] if out.stderr.strip() else "failed",
            )
        ]
    mb = json.loads(out.stdout.strip().splitlines()[-1])["maxrss_mb"]
    return [
        Result(
            "memory",
            f"peak RSS after {sessions} Overview sessions",
            scale,
            mb,
            "MB",
            target="≤ 600 MB",
            passed=(mb <= 600) if scale == "L" else None,
        )
    ]
