"""Reload-proof sign-in sessions (signed cookie + token hash) and calendar feed tokens."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.domain.errors import PermissionDenied
from tracker.services import accounts, sessions


@pytest.fixture
def otto(db, cheap_hashing):
    accounts.create_user(db, None, {"username": "alice", "role": "admin"}, "correct horse battery", bootstrap=True)
    return accounts.create_user(
        db, None, {"username": "otto", "role": "editor"}, "correct horse battery", bootstrap=True
    )


@pytest.fixture
def secret(db):
    return sessions.database_secret(db)


def test_a_cookie_resumes_its_session(db, otto, secret):
    new = sessions.start(db, otto)
    user, hashed = sessions.resume(db, secret, new.cookie_value(secret))
    assert user.username == "otto" and hashed == new.token_hash


def test_only_the_token_hash_is_stored(db, otto, secret):
    new = sessions.start(db, otto)
    stored = str(db.read("SELECT * FROM sessions"))
    assert new.token not in stored and new.token_hash in stored


@pytest.mark.parametrize("tamper", ["signature", "token", "expiry", "garbage", "empty"])
def test_a_forged_or_mangled_cookie_is_refused(db, otto, secret, tamper):
    value = sessions.start(db, otto).cookie_value(secret)
    version, token, expires, mac = value.split(".")
    forged = {
        "signature": f"{version}.{token}.{expires}.{mac[:-2]}xx",
        "token": f"{version}.{token[:-2]}xx.{expires}.{mac}",
        "expiry": f"{version}.{token}.{int(expires) + 3600}.{mac}",
        "garbage": "x" * 5000,
        "empty": "",
    }[tamper]
    assert sessions.resume(db, secret, forged) is None


def test_a_cookie_signed_with_another_secret_is_refused(db, otto, secret):
    value = sessions.start(db, otto).cookie_value("some other secret")
    assert sessions.resume(db, secret, value) is None


def test_sign_out_revokes_the_cookie(db, otto, secret):
    new = sessions.start(db, otto)
    sessions.end(db, new.token_hash)
    assert sessions.resume(db, secret, new.cookie_value(secret)) is None


def test_an_idle_session_ends(db, otto, secret):
    new = sessions.start(db, otto)
    db.write(lambda tx: tx.execute("UPDATE sessions SET expires_at = now()::TIMESTAMP - INTERVAL 1 SECOND"))
    assert sessions.resume(db, secret, new.cookie_value(secret)) is None


def test_activity_moves_the_idle_deadline_but_not_past_the_absolute_end(db, otto, secret, monkeypatch):
    monkeypatch.setenv("TRACKER_IDLE_MINUTES", "60")
    new = sessions.start(db, otto)
    db.write(lambda tx: tx.execute("UPDATE sessions SET expires_at = now()::TIMESTAMP + INTERVAL 5 MINUTE"))
    sessions.resume(db, secret, new.cookie_value(secret))
    (expires,) = db.read("SELECT expires_at FROM sessions")[0]
    assert expires > dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=55)
    assert expires <= new.expires


def test_an_expired_cookie_is_refused_even_with_a_live_row(db, otto, secret):
    new = sessions.start(db, otto)
    past = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=1)
    assert sessions.resume(db, secret, sessions.sign(secret, new.token, past)) is None


def test_sign_out_everyone_revokes_all_and_replaces_the_key(db, otto, secret):
    alice = accounts.get_user(db, "alice")
    new = sessions.start(db, otto)
    assert sessions.sign_out_everyone(db, alice) == 1
    fresh = sessions.database_secret(db)
    assert fresh != secret
    assert sessions.resume(db, fresh, new.cookie_value(fresh)) is None


def test_editors_cannot_sign_everyone_out(db, otto):
    with pytest.raises(PermissionDenied):
        sessions.sign_out_everyone(db, otto)


def test_a_calendar_token_is_personal_and_replaced_by_a_new_one(db, otto):
    first = sessions.new_calendar_token(db, otto)
    assert sessions.calendar_feed_user(db, first).username == "otto"
    second = sessions.new_calendar_token(db, otto)
    assert sessions.calendar_feed_user(db, first) is None
    assert sessions.calendar_feed_user(db, second).username == "otto"
    sessions.revoke_calendar_token(db, otto)
    assert sessions.calendar_feed_user(db, second) is None
    assert sessions.calendar_feed_user(db, "made-up") is None
