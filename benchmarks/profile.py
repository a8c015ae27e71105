"""`python -m benchmarks.profile PAGE [--db PATH] [--reruns N]`: where a warm rerun of one page goes.

Signs in as the page's benchmark user, runs the page once, then profiles N warm reruns with
pyinstrument and prints the call tree. Build a database first, e.g.
`python -m etl demo --db /tmp/L.duckdb --scale L --today 2026-11-27`.
"""

from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")

from .common import ROOT
from .pages import PAGES, compile_once_like_a_server


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile")
    parser.add_argument("page", choices=[label for label, _, _ in PAGES])
    parser.add_argument("--db", default=str(ROOT / "data" / "tracker.duckdb"))
    parser.add_argument("--reruns", type=int, default=10)
    parser.add_argument("--html", help="also write the profile as HTML to this file")
    args = parser.parse_args()

    from pyinstrument import Profiler
    from streamlit.testing.v1 import AppTest

    os.environ["TRACKER_DB"] = args.db
    compile_once_like_a_server()
    _, path, username = next(p for p in PAGES if p[0] == args.page)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    at.session_state["auth_username"] = username
    if path:
        at.switch_page(path)
    at.run()
    if at.exception:
        print(at.exception[0].value, file=sys.stderr)
        return 1
    # AppTest runs the page in a thread of its own: profile inside that thread.
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    profiler = Profiler(interval=0.0005)
    original = LocalScriptRunner._run_script_thread

    def profiled(self: LocalScriptRunner) -> None:
        profiler.start()
        try:
            original(self)
        finally:
            profiler.stop()

    LocalScriptRunner._run_script_thread = profiled  # type: ignore[method-assign]
    for _ in range(args.reruns):
        at.run()
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    if args.html:
        with open(args.html, "w") as fh:
            fh.write(profiler.output_html())
    return 0


if __name__ == "__main__":
    sys.exit(main())
