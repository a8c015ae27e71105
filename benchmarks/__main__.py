"""`python -m benchmarks [--smoke]`: measure, write benchmarks/results.json and BENCHMARKS.md.

--smoke: scale S, one repetition, targets not enforced, nothing written to the repository
(make test runs it so the harness never rots).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

# Streamlit logs a warning per cache call outside a server; the benchmark output is the table.
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

from . import imports, memory, pages, startup, writes
from .common import ROOT, Result, demo_db

RESULTS = ROOT / "benchmarks" / "results.json"
REPORT = ROOT / "BENCHMARKS.md"


def machine() -> str:
    cpus = os.cpu_count()
    mem = ""
    try:
        with open("/proc/meminfo") as fh:
            mem = f", {int(fh.readline().split()[1]) / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {cpus} cores{mem}, Python {platform.python_version()}"


def run(smoke: bool) -> list[Result]:
    scales = ["S"] if smoke else ["S", "M", "L"]
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        dbs: dict[str, Path] = {}
        for scale in scales:
            dbs[scale], seconds = demo_db(work, scale)
            if scale == "L" or smoke:
                results.append(
                    Result(
                        "demo",
                        "demo generation",
                        scale,
                        seconds,
                        "s",
                        target="≤ 60 s at L",
                        passed=(seconds <= 60) if scale == "L" else None,
                    )
                )
            print(f"[{scale}] pages …", flush=True)
            # Warm reruns take 10–40 ms: thirty of each (page and floor in turn) steady the medians.
            results += pages.measure(dbs[scale], scale, 1 if smoke else 30)
        big = scales[-1]
        if not smoke:
            by = {(r.name, r.scale): r for r in results if r.group == "pages"}
            for r in [r for r in results if r.group == "pages" and r.scale == "L"]:
                small = by.get((r.name, "S"))
                if small and small.value and not math.isnan(r.value):
                    growth = r.value / small.value
                    results.append(
                        Result(
                            "pages",
                            f"{r.name}: growth S → L",
                            "S→L",
                            growth,
                            "×",
                            target="≤ 1.5×",
                            passed=growth <= 1.5,
                        )
                    )
        print(f"[{big}] writes …", flush=True)
        results += _guard(lambda: writes.measure(dbs[big], big, 8 if smoke else 400), "writes", big)
        print(f"[{big}] imports …", flush=True)
        results += _guard(
            lambda: imports.measure(dbs["S"], "S", 1 if smoke else 5, 2_000 if smoke else 100_000, work), "imports", "S"
        )
        print(f"[{big}] start …", flush=True)
        results += _guard(lambda: startup.measure(dbs[big], big, 1 if smoke else 3), "start", big)
        print(f"[{big}] memory …", flush=True)
        results += _guard(lambda: memory.measure(dbs[big], big, 2 if smoke else 20), "memory", big)
    return results


def _guard(fn, group: str, scale: str) -> list[Result]:  # type: ignore[no-untyped-def]
    try:
        return fn()
    except Exception as exc:
        return [Result(group, group, scale, float("nan"), "", note=f"failed: {exc!r}"[:300])]


def _fmt(x: float | None, unit: str = "") -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if unit == "s":
        return f"{x * 1000:,.0f} ms" if x < 10 else f"{x:,.1f} s"
    return f"{x:,.2f}{(' ' + unit) if unit else ''}"


def write_report(results: list[Result], seconds: float) -> None:
    RESULTS.write_text(
        json.dumps(
            {
                "machine": machine(),
                "generated": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "seconds": round(seconds, 1),
                "results": [r.to_json() for r in results],
            },
            indent=2,
            default=str,
        )
        + "\n"
    )
    lines = [
        "# Benchmarks",
        "",
        f"Latest `make bench`: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {seconds / 60:.1f} min, on {machine()}.",
        "Ratios compare the product with a floor measured in the same run on the same machine; "
        "absolute times on a shared 2-core machine are noise.",
        "",
        "| group | measurement | scale | median | spread | floor | ratio | target | result | note |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        verdict = "pass" if r.passed else ("**fail**" if r.passed is False else "")
        note = r.note
        if r.passed is False:
            note = (note + "; " if note else "") + "cause and next step under “Still missing” below"
        lines.append(
            f"| {r.group} | {r.name} | {r.scale} | {_fmt(r.value, r.unit)} | {_fmt(r.spread, r.unit)} | "
            f"{_fmt(r.floor, r.unit if r.group != 'writes' or 'throughput' not in r.name else 'ops/s')} | "
            f"{_fmt(r.ratio, '×')} | {r.target} | {verdict} | {note} |"
        )
    notes_file = ROOT / "benchmarks" / "NOTES.md"
    if notes_file.exists():
        lines += ["", notes_file.read_text().strip()]
    REPORT.write_text("\n".join(lines) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--smoke", action="store_true", help="scale S, one repetition, no targets, nothing written")
    args = parser.parse_args()
    started = time.perf_counter()
    results = run(args.smoke)
    seconds = time.perf_counter() - started
    for r in results:
        print(
            f"{r.group:8} {r.name:45} {r.scale:4} {_fmt(r.value, r.unit):>12}  ratio {_fmt(r.ratio, '×'):>8}  "
            f"{'pass' if r.passed else ('FAIL' if r.passed is False else '')} {r.note}"
        )
    if args.smoke:
        broken = [r for r in results if r.note.startswith(("failed", "page raised"))]
        if broken:
            print(
                "benchmark smoke run found broken sections:",
                *[f"{r.group}/{r.name}: {r.note}" for r in broken],
                sep="\n  ",
                file=sys.stderr,
            )
            return 1
        print(f"benchmark smoke run OK in {seconds:.0f} s")
        return 0
    write_report(results, seconds)
    print(f"wrote {RESULTS.relative_to(ROOT)} and {REPORT.relative_to(ROOT)} in {seconds / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
