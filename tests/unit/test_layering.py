"""Imports run one way: only pages/, dashboard.py and tracker/ui touch streamlit; only the store touches duckdb."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NON_UI = sorted(p for p in (ROOT / "tracker").rglob("*.py") if "ui" not in p.relative_to(ROOT / "tracker").parts)


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


@pytest.mark.parametrize("module", ["tracker.services.accounts", "tracker.services.demo", "etl.cli"])
def test_service_modules_do_not_load_streamlit(module):
    code = f"import sys, {module}; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_only_the_store_imports_duckdb():
    offenders = [
        p
        for p in NON_UI
        if "store" not in p.parts and re.search(r"^\s*(import duckdb|from duckdb)", p.read_text(), re.M)
    ]
    assert offenders == []


def test_domain_imports_nothing_else_of_ours():
    for p in (ROOT / "tracker" / "domain").rglob("*.py"):
        assert not re.search(r"^\s*from tracker\.(store|services|ui|charts)", p.read_text(), re.M), p


def test_no_module_renders_raw_html_or_script():
    pattern = re.compile(
        r"unsafe_allow_html\s*=\s*True|unsafe_allow_javascript\s*=\s*True|components\.v1\.html|"
        r"components\.html\("
    )
    sources = [p for p in ROOT.rglob("*.py") if ".venv" not in p.parts and "tests" not in p.parts]
    assert [p for p in sources if pattern.search(p.read_text())] == []
