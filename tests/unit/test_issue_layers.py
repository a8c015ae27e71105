"""The issues service and store stay free of streamlit; the page's pure helpers too."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_issue_service_does_not_load_streamlit():
    code = "import sys, tracker.services.issues, tracker.store.issues; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_issue_sql_lives_only_in_the_store():
    for path in sorted((ROOT / "tracker" / "services" / "issues").glob("*.py")):
        service = path.read_text()
        assert "SELECT " not in service and "UPDATE " not in service and "INSERT " not in service, path.name
