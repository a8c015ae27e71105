"""The processes the crash tests kill.

``python -m tests.reliability.crash_child`` is a small fork server: it imports the app once,
then for each command line on stdin forks a fresh child and prints ``child PID``. Each child
opens the database itself (its own DuckDB connection, its own process) and reports on
stdout, each line prefixed with its pid:

- ``writes DB LOG SEED``: officers' writes through the services until killed; one JSON line
  per acknowledged write is appended to LOG and fsynced after the service call returns (so
  the log never claims a write the database might not hold). Prints ``ready``.
- ``bulk DB TAG ROWS``: one set-wise load through :mod:`tracker.store.bulk` in one
  ``db.write`` (activities, their issue links and one audit entry per row, as the importers
  write). Prints ``begin`` and, after the commit returned, ``committed``.
- ``import DB CSV``: the product's spreadsheet import of the activities file CSV. Prints
  ``progress MESSAGE`` as the import reports its phases and ``committed`` when it returned.

Forking saves a new interpreter's import time per kill. Start the server with
``OPENBLAS_NUM_THREADS=1 JE_ARROW_MALLOC_CONF=background_thread:false`` so it has no
threads when it forks.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import sys
import traceback
from pathlib import Path

from tracker.domain import clock
from tracker.domain.models import User
from tracker.services import accounts
from tracker.store import Database
from tracker.store.bulk import insert_columns, next_ids

from .workload import Targets, one_write


def say(message: str) -> None:
    print(f"{os.getpid()} {message}", flush=True)


def _open(db_path: str) -> tuple[Database, User]:
    clock.set_today(dt.date.fromisoformat(os.environ.get("TRACKER_TODAY", "2026-11-27")))
    db = Database.open(db_path)
    actor = accounts.get_user(db, "officer")
    assert actor is not None
    return db, actor


def writes(db_path: str, log_path: str, seed: str) -> None:
    db, actor = _open(db_path)
    targets = Targets.pick(db)
    rng = random.Random(int(seed))
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    say("ready")
    while True:
        ack = one_write(db, actor, targets, rng)
        if ack is not None:
            os.write(fd, (ack.to_json() + "\n").encode())
            os.fsync(fd)


def bulk(db_path: str, tag: str, rows: str) -> None:
    db, actor = _open(db_path)
    n = int(rows)
    issue_ids = [r[0] for r in db.read("SELECT id FROM issues ORDER BY id")]
    today = clock.today()
    now = clock.now()

    def load(tx):  # type: ignore[no-untyped-def]
        ids = next_ids(tx, "activities", n)
        summaries = [f"{tag} row {i}" for i in range(n)]
        insert_columns(
            tx,
            "activities",
            {
                "id": ids,
                "activity_date": [today - dt.timedelta(days=i % 700) for i in range(n)],
                "type": ["Meeting"] * n,
                "summary": summaries,
                "effort_days": [0.5] * n,
                "created_by": [actor.username] * n,
            },
        )
        insert_columns(
            tx, "activity_issues", {"activity_id": ids, "issue_id": [issue_ids[i % len(issue_ids)] for i in range(n)]}
        )
        insert_columns(
            tx,
            "audit",
            {
                "at": [now] * (n + 1),
                "actor": [actor.username] * (n + 1),
                "entity": ["activity"] * n + ["import"],
                "entity_id": [*ids, None],
                "action": ["create"] * n + ["import"],
                "changes": [json.dumps({"summary": [None, s]}) for s in summaries]
                + [json.dumps({"file": [None, tag], "inserted": [None, n]})],
            },
        )

    say("begin")
    db.write(load)
    say("committed")


def import_csv(db_path: str, csv_path: str) -> None:
    from tracker.services.exchange import imports

    db, actor = _open(db_path)
    data = Path(csv_path).read_bytes()
    imports.import_file(db, actor, "activities", data, Path(csv_path).name, progress=lambda _f, m: say(f"progress {m}"))
    say("committed")


MODES = {"writes": writes, "bulk": bulk, "import": import_csv}


def serve() -> None:
    # Killed children are reaped by the kernel; the test polls for them to be gone.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    for line in sys.stdin:
        mode, *args = line.split()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                MODES[mode](*args)
            except BaseException:
                traceback.print_exc()
                sys.stderr.flush()
                code = 1
            sys.stdout.flush()
            os._exit(code)
        print(f"{pid} child", flush=True)


if __name__ == "__main__":
    serve()
