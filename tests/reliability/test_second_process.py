"""The command line while the running app holds the database: one clear line naming the
database and what to do, a non-zero exit, never a traceback — for every command."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tracker.store import Database

HOLDER = (
    "import sys, time\n"
    "from tracker.store import Database\n"
    "db = Database.open(sys.argv[1])\n"
    "print('holding', flush=True)\n"
    "time.sleep(600)\n"
)


def etl(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "etl", *args], capture_output=True, text=True, cwd=ROOT, input=stdin, timeout=120
    )


@pytest.fixture
def held(demo_file: Path, tmp_path: Path) -> Iterator[Path]:
    """The demo database, opened by another process (as the running app would)."""
    backup = etl("backup", str(tmp_path / "backups"), "--db", str(demo_file))
    assert backup.returncode == 0, backup.stderr
    app = subprocess.Popen([sys.executable, "-c", HOLDER, str(demo_file)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert app.stdout is not None and app.stdout.readline().strip() == "holding"
        yield demo_file
    finally:
        app.kill()
        app.wait(timeout=30)
        if app.stdout:
            app.stdout.close()


def commands(db: Path, tmp: Path) -> dict[str, tuple[list[str], str | None]]:
    csv = tmp / "activities.csv"
    csv.write_text("Date,Type,Summary\n2026-11-20,Meeting,Met the rapporteur\n", encoding="utf-8")
    hys = tmp / "have_your_say.csv"
    hys.write_text("id,shortTitle\n1,Consultation\n", encoding="utf-8")
    backups = sorted((tmp / "backups").iterdir())
    return {
        "check": (["check"], None),
        "init": (["init"], None),
        "demo": (["demo", "--force"], None),
        "create-user": (["create-user", "anna", "--role", "editor"], "a long enough secret\n"),
        "export": (["export", "issues", str(tmp / "issues.csv")], None),
        "digest": (["digest", "--to", str(tmp / "digests")], None),
        "import": (["import", "activities", str(csv)], None),
        "import-consultations": (["import-consultations", str(hys)], None),
        "backup": (["backup", str(tmp / "more-backups")], None),
        "restore": (["restore", str(backups[0]), "--force"], None),
        "reset-password": (["reset-password", "officer"], "a long enough secret\na long enough secret\n"),
        "sign-out-everyone": (["sign-out-everyone"], None),
    }


def test_every_command_that_needs_the_database_says_it_is_in_use(held, tmp_path):
    from etl.cli import build_parser

    table = commands(held, tmp_path)
    _, handlers = build_parser()
    assert set(handlers) <= set(table), f"add the new command(s) to this test: {set(handlers) - set(table)}"
    # All at once: each fails fast on the lock, and together they take one interpreter start.
    running = {
        name: subprocess.Popen(
            [sys.executable, "-m", "etl", *args, "--db", str(held)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, (args, _) in table.items()
    }
    for name, (_, stdin) in table.items():
        out, err = running[name].communicate(stdin, timeout=120)
        result = subprocess.CompletedProcess(running[name].args, running[name].returncode, out, err)
        said = result.stdout + result.stderr
        assert result.returncode != 0, f"{name} succeeded while the app holds the database"
        assert "Traceback" not in said, f"{name}: {said}"
        assert f"The database at {held} is in use by the running app" in result.stderr, f"{name}: {said}"
        assert "Admin page" in result.stderr and "stop the app" in result.stderr, f"{name}: {said}"
        assert result.stderr.count("\n") == 1, f"{name} said more than one line: {result.stderr}"
    # Nothing was replaced or moved aside while the app held the file.
    assert held.exists() and not list(held.parent.glob("*before-restore*"))


def test_after_the_app_stops_the_cli_works(demo_file):
    db = Database.open(demo_file)
    db.close()
    result = etl("check", "--db", str(demo_file))
    assert result.returncode == 0 and result.stdout.startswith(f"{demo_file}: OK")
