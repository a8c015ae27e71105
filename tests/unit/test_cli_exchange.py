"""The export, import, backup and restore commands: exit codes and one clear line per problem."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT, copy_of


def etl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.fixture(scope="module")
def path(tmp_path_factory, demo_template):
    """One copy of the demo data the commands of this module share."""
    return copy_of(demo_template(), tmp_path_factory.mktemp("cli") / "cli.duckdb")


def test_export_then_import_is_a_no_op(path, tmp_path):
    out = tmp_path / "issues.xlsx"
    exported = etl("export", "issues", str(out), "--db", str(path))
    assert exported.returncode == 0 and "50 issues" in exported.stdout
    imported = etl("import", "issues", str(out), "--db", str(path))
    assert imported.returncode == 0, imported.stderr
    assert "0 inserted, 0 updated, 50 unchanged" in imported.stdout


def test_refused_import_lists_lines_and_writes_the_report(path, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Name,Country\n,Belgium\nOK Org,\n", encoding="utf-8")
    report = tmp_path / "report.csv"
    result = etl("import", "organisations", str(bad), "--db", str(path), "--errors", str(report))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "line 2, Name: is required" in result.stderr
    assert report.read_text(encoding="utf-8-sig").splitlines()[1] == "2,Name,is required"


def test_unknown_extension_is_one_line(path, tmp_path):
    result = etl("export", "issues", str(tmp_path / "x.pdf"), "--db", str(path))
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and ".csv or .xlsx" in result.stderr


def test_import_as_a_viewer_is_refused(path, tmp_path):
    f = tmp_path / "o.csv"
    f.write_text("Name\nNew Org\n", encoding="utf-8")
    result = etl("import", "organisations", str(f), "--db", str(path), "--user", "director")
    assert result.returncode == 1 and "editor" in result.stderr and result.stderr.count("\n") == 1


def test_backup_and_restore_commands(path, tmp_path):
    made = etl("backup", str(tmp_path / "b"), "--db", str(path))
    assert made.returncode == 0 and "verified" in made.stdout
    [folder] = list((tmp_path / "b").iterdir())
    restored = etl("restore", str(folder), "--db", str(tmp_path / "r.duckdb"))
    assert restored.returncode == 0 and "rows checked" in restored.stdout
    again = etl("restore", str(folder), "--db", str(tmp_path / "r.duckdb"))
    assert again.returncode == 1 and "--force" in again.stderr and again.stderr.count("\n") == 1
