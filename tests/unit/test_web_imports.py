"""The server around the pages (tracker/web) never reaches into the pages' code (tracker/ui): the UI
may use the web package (the cookie hand-off, the base path), not the reverse."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

WEB = ROOT / "tracker" / "web"


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function, relative ones resolved."""
    package = "tracker.web"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_the_web_package_imports_nothing_from_the_ui():
    offenders = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted(WEB.glob("*.py"))
        for name in imported_modules(path)
        if name == "tracker.ui" or name.startswith("tracker.ui.")
    }
    assert not offenders, f"tracker/web must not import tracker.ui: {sorted(offenders)}"


def test_the_check_sees_relative_and_late_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from . import ui\ndef f():\n    from tracker.ui.shell import db\n")
    assert {"tracker.web.ui", "tracker.ui.shell", "tracker.ui.shell.db"} <= imported_modules(sample)
