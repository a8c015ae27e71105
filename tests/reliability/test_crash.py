"""SIGKILL at random moments: every acknowledged write survives, no half-written change is
visible, and the integrity check passes after each crash."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

from tests.reliability.test_integrity import etl_check
from tracker.services import integrity
from tracker.store import Database

from .workload import Ack, mark_start, verify

CYCLES = int(os.environ.get("CRASH_CYCLES", "20"))


def read_log(path: Path) -> list[Ack]:
    if not path.exists():
        return []
    return [Ack.from_json(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_sigkill_during_writes_loses_no_acknowledged_write(demo_file, tmp_path, children):
    log_path = tmp_path / "acks.jsonl"
    db = Database.open(demo_file)
    first_audit, start_versions = mark_start(db)
    db.close()
    rng = random.Random(20261127)
    started = time.perf_counter()
    for cycle in range(CYCLES):
        pid = children.start("writes", demo_file, log_path, cycle)
        children.wait_for(pid, "ready")
        time.sleep(rng.uniform(0.0, 0.4))
        assert children.alive(pid), f"writer stopped by itself: {children.errors()}"
        children.kill(pid)
        assert children.errors() == "", "a writer raised an unexpected exception"
        db = Database.open(demo_file)  # reopening replays the write-ahead log
        try:
            wrong = verify(db, read_log(log_path), start_versions, first_audit, complete=False)
            assert wrong == [], f"after kill {cycle + 1}: {wrong[:5]}"
            report = integrity.check(db)
            assert report.ok, f"after kill {cycle + 1}: {report.problems[:5]}"
        finally:
            db.close()
    acks = read_log(log_path)
    assert {a.kind for a in acks} == {"edit", "stage", "activity", "signatory"}, "every kind was acknowledged"
    result = etl_check(demo_file)
    assert result.returncode == 0, result.stderr
    print(f"\n{CYCLES} kills in {time.perf_counter() - started:.1f} s, {len(acks)} acknowledged writes survived")
