"""Filling the disk under the database: a small tmpfs when we may mount one, else a file-size
limit (RLIMIT_FSIZE) in a child process. The scenario runs the same way in both."""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import signal
import sys
from pathlib import Path
from typing import Any

from tracker.domain import clock
from tracker.domain.errors import EditConflict
from tracker.services import accounts, integrity, issues
from tracker.store import Database

FILLER = "filler.bin"


def fill(folder: Path, leave: int) -> Path:
    """Take all free space of ``folder``'s file system but ``leave`` bytes."""
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    path = folder / FILLER
    with path.open("wb") as f:
        f.write(b"\0" * max(0, free - leave))
    return path


def edit(db: Database, n: int, text: str) -> int:
    actor = accounts.get_user(db, "officer")
    assert actor is not None
    live = [r[0] for r in db.read("SELECT id FROM issues WHERE archived_at IS NULL ORDER BY id LIMIT 20")]
    issue_id = live[n % len(live)]
    seen = issues.get(db, issue_id)
    return issues.update(db, actor, issue_id, seen.version, {"summary": text}).version


def write_until_refused(db: Database, prefix: str, limit: int = 500) -> tuple[list[str], BaseException | None]:
    """Edit issues with growing summaries until a write is refused; (acknowledged texts, error)."""
    done: list[str] = []
    for n in range(limit):
        text = f"{prefix} {n} " + "x" * 8000
        try:
            edit(db, n, text)
        except BaseException as exc:
            return done, exc
        done.append(text)
    return done, None


def present(db: Database, texts: list[str]) -> int:
    """How many of ``texts`` the audit log records as a saved summary."""
    if not texts:
        return 0
    rows = db.read("SELECT changes FROM audit WHERE entity = 'issue' AND action = 'update'")
    saved = {json.loads(r[0])["summary"][1] for r in rows if "summary" in json.loads(r[0])}
    return sum(t in saved for t in texts)


def rlimit_scenario(db_path: str, limit_bytes: int) -> dict[str, Any]:
    """Child process: writes under a file-size limit; reports what happened as JSON."""
    clock.set_today(dt.date(2026, 11, 27))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of death
    db = Database.open(db_path)
    size = max(Path(db_path).stat().st_size, 1)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + limit_bytes, resource.RLIM_INFINITY))
    done, exc = write_until_refused(db, "limited")
    out: dict[str, Any] = {
        "acknowledged": done,
        "error": type(exc).__name__ if exc else None,
        "message": str(exc) if exc else None,
        "conflict": isinstance(exc, EditConflict),
        "broken": db.broken,
    }
    db.close()
    return out


def check_after(db_path: Path) -> tuple[int, bool, list[str]]:
    """Reopen: (row count of issues, integrity ok, problems)."""
    db = Database.open(db_path)
    try:
        report = integrity.check(db)
        return db.read("SELECT count(*) FROM issues")[0][0], report.ok, [str(p) for p in report.problems]
    finally:
        db.close()


if __name__ == "__main__":
    print(json.dumps(rlimit_scenario(sys.argv[1], int(sys.argv[2]))))
