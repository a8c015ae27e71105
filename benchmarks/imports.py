"""Imports through the product's importers against DuckDB's own read_csv + INSERT of the same file."""

from __future__ import annotations

import csv
import random
import shutil
import time
from pathlib import Path

from .common import ROOT, Result, median, spread

_NAME = "eu_consultations_2016_2026.csv"
# The shared original beside the project, else the copy the repository carries for tests.
HYS_CSV = next(
    (p for p in (ROOT.parent / "shared" / "data" / _NAME, ROOT / "tests" / "data" / _NAME) if p.is_file()),
    ROOT / "tests" / "data" / _NAME,
)


def _floor(db_path: Path, csv_path: Path) -> float:
    import duckdb

    con = duckdb.connect(str(db_path.with_name("floor.duckdb")))
    t0 = time.perf_counter()
    con.execute(
        "CREATE OR REPLACE TABLE floor_import AS SELECT * FROM read_csv(?, all_varchar = true) LIMIT 0", [str(csv_path)]
    )
    con.execute("INSERT INTO floor_import SELECT * FROM read_csv(?, all_varchar = true)", [str(csv_path)])
    elapsed = time.perf_counter() - t0
    con.close()
    db_path.with_name("floor.duckdb").unlink(missing_ok=True)
    return elapsed


def activities_csv(path: Path, rows: int, db_path: Path) -> Path:
    """A realistic activities spreadsheet of ``rows`` new rows in our export format."""
    from tracker.services.exchange import exports
    from tracker.store import Database

    db = Database.open(db_path)
    template = path.with_suffix(".template.csv")
    template.write_bytes(exports.export_file(db, None, "activities", "csv").data)
    db.close()
    with template.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        sample = [r for _, r in zip(range(500), reader, strict=False)]
    rng = random.Random(1)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        for _ in range(rows):
            row = dict(rng.choice(sample))
            for key in header:
                if key.lower() in ("id", "version"):
                    row[key] = ""
            writer.writerow(row)
    template.unlink()
    return path


def _timed_import(fn, db_template: Path, work: Path) -> float:  # type: ignore[no-untyped-def]
    target = work / "import-target.duckdb"
    shutil.copy(db_template, target)
    t0 = time.perf_counter()
    fn(target)
    elapsed = time.perf_counter() - t0
    target.unlink()
    return elapsed


def measure(db_path: Path, scale: str, reps: int, activity_rows: int, work: Path) -> list[Result]:
    from tracker.services import accounts
    from tracker.store import Database

    results: list[Result] = []

    def hys(target: Path) -> None:
        from tracker.services.exchange import have_your_say

        db = Database.open(target)
        actor = accounts.get_user(db, "officer")
        have_your_say.import_file(db, actor, HYS_CSV)
        db.close()

    def acts(target: Path) -> None:
        from tracker.services.exchange import imports

        db = Database.open(target)
        actor = accounts.get_user(db, "officer")
        path = work / "activities.csv"
        imports.import_file(db, actor, "activities", path.read_bytes(), path.name)
        db.close()

    cases = [("Have Your Say CSV (657 rows)", hys, HYS_CSV)]
    try:
        cases.append(
            (
                f"activities CSV ({activity_rows:,} rows)",
                acts,
                activities_csv(work / "activities.csv", activity_rows, db_path),
            )
        )
    except Exception as exc:
        results.append(Result("imports", "activities CSV", scale, float("nan"), "s", note=f"not measured: {exc}"[:200]))
    for name, fn, csv_path in cases:
        times: list[float] = []
        floor: list[float] = []
        try:
            # Importer and floor take turns, so load elsewhere on the machine hits both alike.
            for _ in range(reps):
                times.append(_timed_import(fn, db_path, work))
                floor.append(_floor(work / "x.duckdb", csv_path))
        except Exception as exc:
            results.append(Result("imports", name, scale, float("nan"), "s", note=f"failed: {exc!r}"[:200]))
            continue
        ratio = median(times) / median(floor)
        results.append(
            Result(
                "imports",
                name,
                scale,
                median(times),
                "s",
                spread(times),
                median(floor),
                ratio,
                "≤ 5× read_csv + INSERT",
                ratio <= 5,
            )
        )
    return results
