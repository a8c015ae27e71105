"""Imports run one way: dashboard.py, pages/ → tracker.ui, tracker.charts → tracker.services →
tracker.store → tracker.domain. Checked statically over every module of the application (every
import statement, also the ones inside functions: a lazy import is still a dependency)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPLICATION = ("tracker", "pages", "etl", "dashboard.py")  # what ships; tests and benchmarks may import anything
OURS = ("tracker", "etl", "pages", "dashboard")
CHARTS = ("tracker/charts.py", "tracker/charts/")
RUNTIME = ("tracker/runtime.py", "tracker/runtime/")


@dataclass(frozen=True)
class Rule:
    name: str
    files: tuple[str, ...]  # path prefixes, relative to the repository, "/"-separated
    forbidden: tuple[str, ...]  # module names; a name also forbids its submodules
    allowed: tuple[str, ...] = ()  # exceptions to ``forbidden``
    except_files: tuple[str, ...] = ()

    def applies_to(self, rel: str) -> bool:
        return rel.startswith(self.files) and not rel.startswith(self.except_files)

    def breaks(self, module: str) -> bool:
        return _within(module, self.forbidden) and not _within(module, self.allowed)


RULES = [
    Rule("the domain imports nothing of ours", ("tracker/domain/",), OURS, allowed=("tracker.domain",)),
    Rule(
        "the store imports no services, UI, web or charts",
        ("tracker/store/",),
        ("tracker.services", "tracker.ui", "tracker.web", "tracker.charts"),
    ),
    Rule(
        "services import no streamlit, UI, web or charts",
        ("tracker/services/",),
        ("streamlit", "tracker.ui", "tracker.web", "tracker.charts"),
    ),
    Rule("pages never touch the store or duckdb", ("pages/", "dashboard.py"), ("tracker.store", "duckdb")),
    Rule("charts import no streamlit and no store", CHARTS, ("streamlit", "tracker.store", "duckdb")),
    Rule("only the store imports duckdb", APPLICATION, ("duckdb",), except_files=("tracker/store/",)),
    Rule("the web routes import no UI", ("tracker/web/",), ("tracker.ui",)),
    Rule("the runtime imports no streamlit", RUNTIME, ("streamlit", "tracker.ui")),
]


def _within(module: str, names: tuple[str, ...]) -> bool:
    return any(module == n or module.startswith(n + ".") for n in names)


def _package_of(rel: str) -> list[str]:
    parts = rel.removesuffix(".py").split("/")
    return parts[:-1]  # a module's package; for a package's __init__ that is the package itself


def imports_of(rel: str, source: str) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) for every import in a module, relative ones resolved."""
    for node in ast.walk(ast.parse(source, rel)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = _package_of(rel)
                base = package[: len(package) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            # ``from tracker import charts`` imports the module tracker.charts: name each imported name
            for alias in node.names:
                yield node.lineno, f"{stem}.{alias.name}"
            yield node.lineno, stem


def application_files(root: Path = ROOT) -> list[str]:
    found = []
    for top in APPLICATION:
        path = root / top
        found += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return [p.relative_to(root).as_posix() for p in found]


def offenders(rule: Rule, root: Path = ROOT) -> list[str]:
    out = []
    for rel in application_files(root):
        if rule.applies_to(rel):
            for line, module in imports_of(rel, (root / rel).read_text(encoding="utf-8")):
                if rule.breaks(module):
                    out.append(f"{rel}:{line} imports {module}")
    return sorted(set(out))


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_imports_run_one_way(rule):
    assert offenders(rule) == []


def test_every_rule_looks_at_some_file():
    files = application_files()
    assert all(any(r.applies_to(f) for f in files) for r in RULES)


# One offending import per rule, written where the rule looks: each rule must catch its own.
BREAKS = {
    RULES[0].name: ("tracker/domain/models.py", "from tracker.store import Database"),
    RULES[1].name: ("tracker/store/issues.py", "from ..services import issues"),
    RULES[2].name: ("tracker/services/issues/writes.py", "import streamlit as st"),
    RULES[3].name: ("pages/issues.py", "from tracker.store import issues as store"),
    RULES[4].name: ("tracker/charts.py", "from tracker import store"),
    RULES[5].name: ("etl/cli.py", "def f():\n    import duckdb"),
    RULES[6].name: ("tracker/web/server.py", "from tracker.ui.shell import db"),
    RULES[7].name: ("tracker/runtime.py", "from streamlit import cache_resource"),
}


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_each_rule_catches_an_offending_import(rule, tmp_path):
    rel, line = BREAKS[rule.name]
    (tmp_path / rel).parent.mkdir(parents=True)
    (tmp_path / rel).write_text(line + "\n", encoding="utf-8")
    for top in APPLICATION:
        if not (tmp_path / top).exists() and not top.endswith(".py"):
            (tmp_path / top).mkdir()
    if not (tmp_path / "dashboard.py").exists():
        (tmp_path / "dashboard.py").write_text("", encoding="utf-8")
    found = offenders(rule, tmp_path)
    assert found and all(f.startswith(f"{rel}:") for f in found)


def test_relative_imports_are_resolved():
    found = {m for _, m in imports_of("tracker/services/x/y.py", "from ..guard import require_role\nfrom . import z")}
    assert {"tracker.services.guard", "tracker.services.guard.require_role", "tracker.services.x.z"} <= found


@pytest.mark.parametrize("module", ["tracker.services.accounts", "tracker.services.demo", "etl.cli"])
def test_service_modules_do_not_load_streamlit(module):
    code = f"import sys, {module}; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_no_module_renders_raw_html_or_script():
    pattern = re.compile(
        r"unsafe_allow_html\s*=\s*True|unsafe_allow_javascript\s*=\s*True|components\.v1\.html|"
        r"components\.html\("
    )
    sources = [p for p in ROOT.rglob("*.py") if ".venv" not in p.parts and "tests" not in p.parts]
    assert [p for p in sources if pattern.search(p.read_text())] == []
