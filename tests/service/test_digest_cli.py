"""`python -m etl digest`: prints by default (recording nothing), writes .eml files with --to,
sends with --send; a clear one-line error otherwise."""

from __future__ import annotations

import email
from email.policy import default as default_policy

import pytest

from etl.cli import main
from tests.service.test_digests import free_port
from tracker.services import mail
from tracker.store import Database


@pytest.fixture
def closed_demo(demo_db, db_path, monkeypatch, tmp_path):
    """The demo database on disk, closed so the command can open it."""
    monkeypatch.setattr(mail, "SECRETS", tmp_path / "no-secrets.toml")
    monkeypatch.setenv("TRACKER_BASE_URL", "https://tracker.example.org")
    monkeypatch.delenv("TRACKER_SMTP_HOST", raising=False)
    demo_db.close()
    return db_path


def recorded(path) -> list[tuple]:
    db = Database.open(path)
    try:
        return db.read("SELECT username, outcome FROM digests ORDER BY username")
    finally:
        db.close()


def test_to_dir_writes_eml_files_that_parse_back(closed_demo, tmp_path, capsys):
    out = tmp_path / "outbox"
    assert main(["digest", "--to", str(out), "--db", str(closed_demo)]) == 0
    files = sorted(out.glob("*.eml"))
    assert {f.name.split("-")[0] for f in files} == {"officer", "m.dubois", "k.nowak", "s.jansen", "director"}
    for f in files:
        msg = email.message_from_bytes(f.read_bytes(), policy=default_policy)
        assert msg["Subject"].startswith("Policy Influence Tracker: your ")
        assert "https://tracker.example.org/" in msg.get_body(preferencelist=("plain",)).get_content()
        assert msg.get_body(preferencelist=("html",)).get_content().startswith("<!DOCTYPE html>")
    assert "5 sent" in capsys.readouterr().out
    assert main(["digest", "--to", str(out), "--db", str(closed_demo)]) == 0  # the same period: nothing new
    assert sorted(out.glob("*.eml")) == files
    assert ("officer", "written") in recorded(closed_demo)


def test_without_options_it_prints_and_records_nothing(closed_demo, capsys):
    assert main(["digest", "--user", "officer", "--db", str(closed_demo)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("To: Olivia Officer <officer@cluster.example>\nSubject: ")
    assert "https://tracker.example.org/my_work" in out
    assert recorded(closed_demo) == []


def test_send_delivers_through_the_smtp_server(closed_demo, monkeypatch):
    from aiosmtpd.controller import Controller

    from tests.service.test_digests import Inbox

    box = Inbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("TRACKER_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("TRACKER_SMTP_PORT", str(port))
        assert main(["digest", "--send", "--user", "officer", "--db", str(closed_demo)]) == 0
        assert box.people() == {"officer"}
        assert main(["digest", "--send", "--user", "officer", "--db", str(closed_demo)]) == 0
        assert len(box.messages) == 1
    finally:
        controller.stop()


def test_send_without_a_server_or_to_a_closed_port_says_so_in_one_line(closed_demo, monkeypatch, capsys):
    assert main(["digest", "--send", "--db", str(closed_demo)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: No mail server is set") and "Traceback" not in err and err.count("\n") == 1
    monkeypatch.setenv("TRACKER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("TRACKER_SMTP_PORT", str(free_port()))
    assert main(["digest", "--send", "--user", "officer", "--db", str(closed_demo)]) == 1
    err = capsys.readouterr().err
    assert "officer: not sent — the mail server refused the connection" in err and "Traceback" not in err
    assert recorded(closed_demo) == [("officer", "failed")]


def test_an_unknown_user_is_a_clear_error(closed_demo, capsys):
    assert main(["digest", "--user", "nobody", "--db", str(closed_demo)]) == 1
    assert capsys.readouterr().err == "error: There is no enabled account named nobody.\n"
