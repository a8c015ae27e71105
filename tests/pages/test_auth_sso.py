"""Single sign-on: an [auth] block offers st.login; the e-mail st.user vouches for maps to an account."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, user
from tracker.services import accounts

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 40,
    "microsoft": {
        "client_id": "00000000-0000-0000-0000-000000000000",
        "client_secret": "not-a-real-secret",
        "server_metadata_url": "https://login.microsoftonline.com/example/v2.0/.well-known/openid-configuration",
    },
}


@pytest.fixture
def sso_app(demo_db, db_path, monkeypatch):
    """``sso_app(identity)``: dashboard.py with [auth] configured and st.user seeded (None: signed out)."""
    monkeypatch.setenv("TRACKER_DB", str(db_path))
    monkeypatch.chdir(ROOT)

    def make(identity: dict | None, page: str | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": False} if identity is None else {"is_logged_in": True, **identity}
        if page:
            at.switch_page(page)
        return at.run()

    return make


def _nav(at):
    return [link.proto.label for link in at.sidebar.get("page_link")]


def test_the_sign_in_page_offers_the_identity_provider(sso_app):
    at = sso_app(None)
    assert [b.label for b in at.button] == ["Sign in with Microsoft", "Sign in"]
    assert [t.label for t in at.text_input] == ["Username", "Password"]
    assert not _nav(at)


def test_a_known_e_mail_signs_in_with_its_account_role(sso_app):
    at = sso_app({"email": "Officer@Cluster.example", "name": "Olivia"}, "pages/issues.py")
    assert not at.exception
    assert at.session_state["auth_username"] == "officer"
    assert "Issues" in _nav(at) and "Admin" not in _nav(at)


def test_entra_preferred_username_is_used_when_there_is_no_email_claim(sso_app):
    at = sso_app({"preferred_username": "director@cluster.example"})
    assert at.session_state["auth_username"] == "director"


def test_an_unknown_e_mail_gets_no_access_and_a_clear_message(sso_app):
    at = sso_app({"email": "stranger@elsewhere.example"}, "pages/issues.py")
    assert not at.exception
    assert "auth_username" not in at.session_state
    assert "no active account of this app uses that e-mail" in at.error[0].value
    assert "stranger@elsewhere\\.example" in at.error[0].value
    assert [b.label for b in at.button] == ["Sign out of single sign-on", "Sign in"]
    assert not _nav(at) and not at.dataframe


def test_a_disabled_account_gets_no_access_through_single_sign_on(sso_app, demo_db, admin):
    officer = user(demo_db, "officer")
    accounts.set_disabled(demo_db, admin, officer.id, officer.version, True)
    at = sso_app({"email": "officer@cluster.example"})
    assert "auth_username" not in at.session_state and not _nav(at)


def test_role_changes_apply_on_the_next_run(sso_app, demo_db, admin):
    at = sso_app({"email": "director@cluster.example"})
    assert "Admin" not in _nav(at)
    director = user(demo_db, "director")
    accounts.update_account(demo_db, admin, director.id, director.version, {"role": "admin"})
    at.run()
    assert "Admin" in _nav(at)
