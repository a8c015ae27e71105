"""Accounts from the console: the first admin of an empty database, a password reset, sign everyone out."""

from __future__ import annotations

from tests.unit.test_cli import etl
from tracker.services import accounts
from tracker.store import Database


def test_readme_path_first_admin_then_reset_and_sign_out_everyone(tmp_path):
    path = str(tmp_path / "prod.duckdb")
    assert etl("init", "--db", path).returncode == 0
    made = etl(
        "create-user",
        "alice",
        "--role",
        "admin",
        "--email",
        "alice@org.example",
        "--db",
        path,
        stdin="a long admin passphrase\n",
    )
    assert made.returncode == 0 and "created alice (Admin)" in made.stdout
    reset = etl("reset-password", "alice", "--db", path, stdin="another long passphrase\n")
    assert reset.returncode == 0, reset.stderr
    ended = etl("sign-out-everyone", "--db", path)
    assert ended.returncode == 0 and "sign-ins ended" in ended.stdout
    db = Database.open(path)
    try:
        alice = accounts.authenticate(db, "alice", "another long passphrase")
        assert alice.role.value == "admin" and not alice.must_change_password
    finally:
        db.close()


def test_passwords_are_never_taken_from_the_command_line(tmp_path):
    path = str(tmp_path / "prod.duckdb")
    etl("init", "--db", path)
    refused = etl("create-user", "bob", "--role", "viewer", "--password", "a long passphrase", "--db", path, stdin="")
    assert refused.returncode != 0 and "unrecognized arguments" in refused.stderr
    unknown = etl("reset-password", "nobody", "--db", path, stdin="a long passphrase\n")
    assert unknown.returncode == 1 and unknown.stderr.strip() == "error: No account named 'nobody'."
