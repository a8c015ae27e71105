"""Sign-in on the pages: rate limiting shown, forced password change, idle timeout, revocation,
resuming from the sign-in cookie."""

from __future__ import annotations

import time

import pytest

from tests.conftest import user
from tracker.services import accounts, sessions
from tracker.ui.auth import state

SIGN_IN = ["Username", "Password"]


def _sign_in(at, name, password):
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[0].click().run()
    return at


def _labels(at):
    return [t.label for t in at.text_input]


def _nav(at):
    return [link.proto.label for link in at.sidebar.get("page_link")]


def test_the_lock_is_shown_after_five_failures(app_for):
    at = app_for(None)
    for _ in range(accounts.LOCK_AFTER_FAILURES):
        _sign_in(at, "officer", "wrong")
    _sign_in(at, "officer", "demo")
    assert at.error[0].value.startswith("Too many failed attempts. Try again in")
    assert "auth_username" not in at.session_state


def test_a_reset_password_must_be_changed_before_any_page(app_for, demo_db, admin):
    officer = user(demo_db, "officer")
    _, temporary = accounts.reset_password(demo_db, admin, officer.id, officer.version)
    at = _sign_in(app_for(None, "pages/issues.py"), "officer", temporary)
    assert at.title[0].value == "Choose a new password"
    assert not _nav(at) and not at.dataframe
    at.text_input[0].input(temporary)
    at.text_input[1].input("a fresh passphrase")
    at.text_input[2].input("a fresh passphrase")
    at.button[0].click().run()
    assert not at.exception
    assert "Issues" in _nav(at) and at.title[0].value != "Choose a new password"


def test_an_idle_session_is_signed_out(app_for):
    at = app_for("officer")
    at.session_state[state.SEEN_KEY] = time.time() - 61 * 60
    at.run()
    assert _labels(at) == SIGN_IN
    assert "inactivity" in at.info[0].value


def test_signing_everyone_out_ends_open_sessions(app_for, demo_db, admin):
    at = _sign_in(app_for(None), "officer", "demo")
    assert _nav(at)
    sessions.sign_out_everyone(demo_db, admin)
    at.run()
    assert _labels(at) == SIGN_IN and "session has ended" in at.info[0].value


def test_sign_out_revokes_the_session(app_for, demo_db):
    at = _sign_in(app_for(None), "officer", "demo")
    hashed = at.session_state[state.SESSION_KEY]
    at.sidebar.button(key="sign_out").click().run()
    assert _labels(at) == SIGN_IN
    assert not sessions.is_live(demo_db, hashed)


def test_a_valid_cookie_resumes_in_a_new_session(app_for, demo_db, monkeypatch):
    officer = user(demo_db, "officer")
    value = sessions.start(demo_db, officer).cookie_value(sessions.database_secret(demo_db))
    monkeypatch.setattr(state, "_browser_cookie", lambda: value)
    at = app_for(None, "pages/issues.py")
    assert at.session_state[state.USER_KEY] == "officer"
    assert "Issues" in _nav(at)


@pytest.mark.parametrize("value", ["v1.forged.9999999999.abc", "", "x" * 4000])
def test_a_forged_cookie_shows_the_sign_in(app_for, monkeypatch, value):
    monkeypatch.setattr(state, "_browser_cookie", lambda: value)
    at = app_for(None, "pages/issues.py")
    assert _labels(at) == SIGN_IN and not at.dataframe


def test_a_cookie_of_a_disabled_account_does_not_sign_in(app_for, demo_db, admin, monkeypatch):
    officer = user(demo_db, "officer")
    value = sessions.start(demo_db, officer).cookie_value(sessions.database_secret(demo_db))
    accounts.set_disabled(demo_db, admin, officer.id, officer.version, True)
    monkeypatch.setattr(state, "_browser_cookie", lambda: value)
    at = app_for(None)
    assert _labels(at) == SIGN_IN


def test_without_the_server_routes_no_cookie_is_offered(app_for):
    at = _sign_in(app_for(None), "officer", "demo")
    assert state.COOKIE_URL_KEY not in at.session_state
    assert not [m for m in at.sidebar.markdown if "/session/cookie" in m.value]


def test_without_a_binding_cookie_no_cookie_link_is_offered(app_for, monkeypatch):
    monkeypatch.setenv("TRACKER_SERVER_ROUTES", "1")
    at = _sign_in(app_for(None), "officer", "demo")
    assert not [m.value for m in at.sidebar.markdown if "/session/cookie?h=" in m.value]


def test_with_the_server_routes_a_one_time_cookie_link_is_shown(app_for, monkeypatch):
    monkeypatch.setenv("TRACKER_SERVER_ROUTES", "1")
    monkeypatch.setattr(state, "browser_binding", lambda: "a-browser")  # AppTest has no browser cookies
    at = _sign_in(app_for(None), "officer", "demo")
    (pixel,) = [m.value for m in at.sidebar.markdown if "/session/cookie?h=" in m.value]
    assert pixel.startswith("![](/session/cookie?h=")


def test_account_settings_change_your_own_password(app_for, demo_db):
    at = app_for("officer")
    at.sidebar.toggle(key="auth_account_open").set_value(True).run()
    fields = at.sidebar.text_input
    assert [f.label for f in fields] == ["Current password", "New password", "Repeat the new password"]
    fields[0].input("demo")
    fields[1].input("my own passphrase")
    fields[2].input("my own passphrase")
    next(b for b in at.sidebar.button if b.label == "Change password").click().run()
    assert not at.exception
    assert accounts.authenticate(demo_db, "officer", "my own passphrase").username == "officer"


def test_a_wrong_current_password_is_refused_at_its_field_and_the_input_kept(app_for, demo_db):
    at = app_for("officer")
    at.sidebar.toggle(key="auth_account_open").set_value(True).run()
    fields = at.sidebar.text_input
    fields[0].input("not it")
    fields[1].input("my own passphrase")
    fields[2].input("my own passphrase")
    at = next(b for b in at.sidebar.button if b.label == "Change password").click().run()
    assert not at.exception
    assert "Current password — is not right" in at.sidebar.error[0].value
    assert any("is not right" in c.value for c in at.sidebar.caption)
    assert at.sidebar.text_input[1].value == "my own passphrase"
    assert accounts.authenticate(demo_db, "officer", "demo").username == "officer"
