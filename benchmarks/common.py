"""Shared pieces: scales, timing statistics, a result record, demo databases."""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 27)


@dataclass
class Result:
    """One measured row of BENCHMARKS.md."""

    group: str
    name: str
    scale: str
    value: float  # the measured median (seconds, MB, ratio … see unit)
    unit: str
    spread: float | None = None  # p95 - p5 or max - min of the repetitions
    floor: float | None = None
    ratio: float | None = None
    target: str = ""
    passed: bool | None = None
    note: str = ""
    extra: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def spread(xs: list[float]) -> float:
    return (max(xs) - min(xs)) if len(xs) > 1 else 0.0


def percentile(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    s = sorted(xs)
    k = min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))
    return s[k]


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def private_copy(db_path: Path, folder: Path, name: str) -> Path:
    """A copy of the database (its WAL too) for a child process or server of its own: this process
    may still hold the file (the page benchmark's cached connection), and DuckDB lets only one
    process open a file."""
    own = folder / name
    shutil.copy(db_path, own)
    wal = db_path.with_name(db_path.name + ".wal")
    if wal.exists():
        shutil.copy(wal, own.with_name(own.name + ".wal"))
    return own


def demo_db(folder: Path, scale: str) -> tuple[Path, float]:
    """A fresh demo database at ``scale`` and the seconds it took to generate."""
    path = folder / f"demo-{scale}.duckdb"
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "demo",
            "--db",
            str(path),
            "--scale",
            scale,
            "--today",
            TODAY.isoformat(),
            "--force",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return path, time.perf_counter() - t0
