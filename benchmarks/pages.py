"""Page reruns: each page in AppTest (first run, median of warm reruns) against its floor."""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from .common import ROOT, Result, median, spread, timed

PAGES = [
    ("Overview", None, "director"),
    ("My work", "pages/my_work.py", "officer"),
    ("Issues", "pages/issues.py", "officer"),
    ("Consultations", "pages/consultations.py", "officer"),
    ("Joint positions", "pages/joint_positions.py", "officer"),
    ("Organisations", "pages/organisations.py", "officer"),
    ("Activities", "pages/activities.py", "officer"),
    ("Import & export", "pages/import_export.py", "officer"),
    ("Admin", "pages/admin.py", "admin"),
]
TIMEOUT = 300


def _walk(node: Any, out: list[tuple[str, Any]]) -> None:
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        # A layout block (columns, tabs, expander, form, container): the floor draws a container
        # holding the same elements, so it pays for the page's structure as well as its content.
        inner: list[tuple[str, Any]] = []
        for child in children.values():
            _walk(child, inner)
        out.append(("block", inner))
        return
    kind = getattr(node, "type", "")
    try:
        if kind in ("markdown", "title", "header", "subheader", "caption", "text", "divider"):
            out.append(("markdown", getattr(node, "value", "") or ""))
        elif kind == "metric":
            p = node.proto
            out.append(
                ("metric", {"label": p.label, "value": p.body, "delta": p.delta or None, "help": p.help or None})
            )
        elif kind in ("arrow_data_frame", "dataframe", "table"):
            out.append(("dataframe", node.value))
        elif kind == "plotly_chart":
            out.append(("plotly", node.proto.spec))
        elif kind in ("selectbox", "multiselect", "radio"):
            out.append(
                (
                    "multiselect" if kind == "multiselect" else "selectbox",
                    {"label": node.label, "options": list(node.options)},
                )
            )
        elif kind in ("text_input", "text_area"):
            out.append(("text_input", node.label))
        elif kind in ("button", "form_submit_button", "download_button"):
            out.append(("button", node.label))
        elif kind in ("checkbox", "toggle"):
            out.append(("checkbox", node.label))
        elif kind == "date_input":
            out.append(("date_input", node.label))
        elif kind in ("alert", "error", "warning", "info", "success"):
            out.append(("alert", getattr(node, "value", "")))
        elif kind == "page_link":
            out.append(("page_link", node.proto.label))
    except Exception:
        pass


def _capture(at: Any) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    _walk(at.sidebar, out)
    _walk(at.main, out)
    return out


def _count(elements: list[tuple[str, Any]]) -> int:
    return sum(_count(payload) if kind == "block" else 1 for kind, payload in elements)


def compile_once_like_a_server() -> None:
    """A server compiles each page once: its Runtime keeps one ScriptCache for every session and
    run. AppTest builds a new ScriptCache on every run, so each rerun would re-read, re-parse
    (with Streamlit's "magic" AST pass) and recompile the page — a cost that grows with the size of
    the page's source and that users never pay. Give AppTest one shared cache, as the server has."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    one = ScriptCache()
    app_test.ScriptCache = lambda: one  # type: ignore[assignment,misc]
    local_script_runner.ScriptCache = lambda: one  # type: ignore[assignment,misc]


def measure(db_path: Path, scale: str, reps: int) -> list[Result]:
    from streamlit.testing.v1 import AppTest

    compile_once_like_a_server()

    from tracker.ui.shell import cache

    os.environ["TRACKER_DB"] = str(db_path)
    results: list[Result] = []
    for label, page, username in PAGES:
        cache.clear_views()  # every page's first run starts cold, whatever ran before
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
        at.session_state["auth_username"] = username
        if page:
            at.switch_page(page)
        first = timed(at.run)
        if at.exception:
            results.append(
                Result("pages", label, scale, float("nan"), "s", note=f"page raised: {at.exception[0].value}")
            )
            continue
        elements = _capture(at)
        with tempfile.NamedTemporaryFile(suffix=".pickle", delete=False) as fh:
            pickle.dump(elements, fh)
        os.environ["BENCH_FLOOR"] = fh.name
        floor_at = AppTest.from_file(str(Path(__file__).with_name("floor_page.py")), default_timeout=TIMEOUT)
        floor_first = timed(floor_at.run)
        # Page and floor take turns, so a burst of load elsewhere on the machine hits both alike.
        warm: list[float] = []
        floor_warm: list[float] = []
        for _ in range(reps):
            warm.append(timed(at.run))
            floor_warm.append(timed(floor_at.run))
        os.unlink(fh.name)
        target = 1.5 if label == "Overview" else 2.0
        ratio = median(warm) / median(floor_warm) if median(floor_warm) > 0 else float("nan")
        results.append(
            Result(
                "pages",
                f"{label} warm rerun",
                scale,
                median(warm),
                "s",
                spread(warm),
                median(floor_warm),
                ratio,
                f"≤ {target}× floor at L",
                (ratio <= target) if scale == "L" else None,
                note=f"{_count(elements)} elements",
                extra={"first_run_s": first, "floor_first_run_s": floor_first},
            )
        )
    return results
