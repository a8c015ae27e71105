"""Writes through the services at 1 and 8 threads against a bare-cursor floor."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from pathlib import Path

from .common import Result, median, percentile


def _floor_once(cur, iid: int, n: int, kind: str) -> float:  # type: ignore[no-untyped-def]
    """The same UPDATE (and event INSERT) plus the audit INSERT in one transaction on a bare cursor."""
    t0 = time.perf_counter()
    cur.execute("BEGIN TRANSACTION")
    if kind == "stage change":
        cur.execute(
            "INSERT INTO stage_events (issue_id, from_stage, to_stage, event_date, author, note, evidence_ref) "
            "VALUES (?, 0, 1, current_date, 'bench', 'n', 'ref')",
            [iid],
        )
        cur.execute("UPDATE issues SET version = version + 1, updated_at = now()::TIMESTAMP WHERE id = ?", [iid])
    else:
        cur.execute(
            "UPDATE issues SET title = ?, version = version + 1, updated_at = now()::TIMESTAMP WHERE id = ?",
            [f"floor {n}", iid],
        )
    cur.execute(
        'INSERT INTO audit ("at", actor, entity, entity_id, action, changes) '
        "VALUES (now()::TIMESTAMP, 'bench', 'issue', ?, 'update', ?)",
        [iid, json.dumps({"title": ["a", "b"]})],
    )
    cur.execute("COMMIT")
    return time.perf_counter() - t0


def _seen(db, ids: list[int]) -> dict[int, tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Issue id → (version, stage) as the officer's page showed them, read in one query before
    the clock starts: a real edit form already carries the version it was loaded with."""
    if not ids:
        return {}
    rows = db.read(
        "SELECT i.id, i.version, coalesce(s.stage, 0) FROM issues i LEFT JOIN issue_stage s ON s.issue_id = i.id "
        f"WHERE i.id IN ({', '.join('?' for _ in ids)})",
        ids,
    )
    return {int(r[0]): (int(r[1]), int(r[2])) for r in rows}


def _op(db, actor, iid: int, seen: tuple[int, int], kind: str, n: int) -> None:  # type: ignore[no-untyped-def]
    """One service write, on the version (and stage) the page showed."""
    from tracker.services import issues

    version, stage = seen
    if kind == "stage change":
        to = 1 if stage != 1 else 2
        issues.move_stage(
            db,
            actor,
            iid,
            version,
            {
                "to_stage": to,
                "event_date": max(dt.date(2026, 11, 27), dt.date(2026, 11, 27)),
                "note": "benchmark",
                "evidence_ref": f"bench {n}",
                "evidence_url": None,
            },
        )
    else:
        issues.update(db, actor, iid, version, {"title": f"Benchmark edit {n}"})


def _worker(
    db,
    actor,
    chunk: list[int],
    seen: dict[int, tuple[int, int]],
    kind: str,
    lat: list[float],
    errors: list[str],  # type: ignore[no-untyped-def]
    lock: threading.Lock,
) -> None:
    from tracker.domain.errors import EditConflict

    for n, iid in enumerate(chunk):
        t0 = time.perf_counter()
        try:
            _op(db, actor, iid, seen[iid], kind, n)
        except EditConflict:
            errors.append("conflict")
        except Exception as exc:
            errors.append(repr(exc))
        with lock:
            lat.append(time.perf_counter() - t0)


def measure(db_path: Path, scale: str, ops: int) -> list[Result]:
    # The issues service is imported before any clock starts: importing it (pandas) took ~1 s,
    # which the first timed write and the one writer's throughput used to pay.
    from tracker.services import accounts, issues  # noqa: F401
    from tracker.store import Database

    db = Database.open(db_path)
    actor = accounts.get_user(db, "officer")
    ids = [
        r[0]
        for r in db.read(
            "SELECT i.id FROM issues i JOIN issue_stage s ON s.issue_id = i.id "
            "WHERE i.archived_at IS NULL AND s.stage < 4 ORDER BY i.id"
        )
    ]
    results: list[Result] = []
    for kind in ("issue edit", "stage change"):
        # one writer
        single_ids = ids[:ops]
        seen = _seen(db, single_ids)
        lat1: list[float] = []
        floor: list[float] = []
        cur = db.conn.cursor()
        # The service write and its floor take turns (on different issues), so a burst of load
        # elsewhere on the machine hits both alike.
        for n, (iid, floor_iid) in enumerate(zip(single_ids, ids[ops : 2 * ops], strict=True)):
            t0 = time.perf_counter()
            _op(db, actor, iid, seen[iid], kind, n)
            lat1.append(time.perf_counter() - t0)
            floor.append(_floor_once(cur, floor_iid, n, kind))
        cur.close()
        thr1 = len(lat1) / sum(lat1)
        # eight writers on disjoint issues: the lock queues them
        lat8: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        chunks = [ids[2 * ops + i * ops // 8 : 2 * ops + (i + 1) * ops // 8] for i in range(8)]
        seen8 = _seen(db, [iid for c in chunks for iid in c])

        t_start = time.perf_counter()
        threads = [
            threading.Thread(target=_worker, args=(db, actor, c, seen8, kind, lat8, errors, lock)) for c in chunks
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        thr8 = len(lat8) / (time.perf_counter() - t_start)
        # lost updates: every acknowledged edit must be visible
        lost = 0
        if kind == "issue edit":
            for chunk in chunks:
                for n, iid in enumerate(chunk):
                    title = db.read("SELECT title FROM issues WHERE id = ?", [iid])[0][0]
                    lost += title != f"Benchmark edit {n}"
        p95_1, p95_f, p50_1, p95_8 = (percentile(lat1, 95), percentile(floor, 95), median(lat1), percentile(lat8, 95))
        results += [
            Result(
                "writes",
                f"{kind}: 1 writer p95",
                scale,
                p95_1,
                "s",
                None,
                p95_f,
                p95_1 / p95_f,
                "≤ 2× floor p95",
                p95_1 <= 2 * p95_f,
                extra={"p50_s": p50_1, "throughput_per_s": thr1},
            ),
            Result(
                "writes",
                f"{kind}: 8 writers throughput",
                scale,
                thr8,
                "ops/s",
                None,
                thr1,
                thr8 / thr1,
                "≥ 0.8× one writer",
                thr8 >= 0.8 * thr1,
            ),
            Result(
                "writes",
                f"{kind}: 8 writers p95",
                scale,
                p95_8,
                "s",
                None,
                p50_1,
                p95_8 / p50_1,
                "≤ 10× one writer's p50",
                p95_8 <= 10 * p50_1,
            ),
            Result(
                "writes",
                f"{kind}: lost updates and errors",
                scale,
                float(lost + len(errors)),
                "count",
                target="0",
                passed=(lost == 0 and not errors),
                note="; ".join(sorted(set(errors)))[:200],
            ),
        ]
    db.close()
    return results
