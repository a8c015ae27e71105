"""The shell: every page is guarded, renders for its roles, and refuses lower ones."""

from __future__ import annotations

import pytest

from tracker.ui.shell.registry import PAGES

ROLES = {"director": "viewer", "officer": "editor", "admin": "admin"}
RANK = {"viewer": 0, "editor": 1, "admin": 2}


def _page_arg(path: str) -> str | None:
    return None if path == "dashboard.py" else path


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.label)
def test_signed_out_sees_sign_in_and_no_data(app_for, spec):
    at = app_for(None, _page_arg(spec.path))
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Username", "Password"]
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.dataframe and not at.get("plotly_chart")
    assert not at.sidebar.get("page_link")


@pytest.mark.parametrize("username", list(ROLES))
@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.label)
def test_each_role_renders_or_is_refused(app_for, spec, username):
    at = app_for(username, _page_arg(spec.path))
    assert not at.exception, [e.value for e in at.exception]
    allowed = RANK[ROLES[username]] >= RANK[spec.min_role.value]
    refused = any("needs the" in e.value for e in at.error)
    assert refused is not allowed


@pytest.mark.parametrize("username", list(ROLES))
def test_navigation_shows_only_the_role_pages(app_for, username):
    at = app_for(username)
    labels = [link.proto.label for link in at.sidebar.get("page_link")]
    expected = [p.label for p in PAGES if RANK[ROLES[username]] >= RANK[p.min_role.value]]
    assert labels == expected


def test_sign_in_form_signs_in_and_stays_on_the_page(app_for):
    at = app_for(None, "pages/issues.py", query={"issue": "3"})
    at.text_input[0].input("officer")
    at.text_input[1].input("demo")
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state["auth_username"] == "officer"
    assert at.query_params.get("issue") in ("3", ["3"])
    assert at.sidebar.get("page_link")


def test_wrong_password_shows_neutral_message(app_for):
    at = app_for(None)
    at.text_input[0].input("officer")
    at.text_input[1].input("not-the-password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Unknown user or wrong password."]
    assert "auth_username" not in at.session_state


def test_disabled_account_is_signed_out_on_next_run(app_for, demo_db):
    at = app_for("officer")
    demo_db.write(lambda tx: tx.execute("UPDATE users SET disabled = true WHERE username = 'officer'"))
    at.run()
    assert [t.label for t in at.text_input] == ["Username", "Password"]
    assert "auth_username" not in at.session_state


def test_missing_database_explains_how_to_create_one(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "none.duckdb"))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30).run()
    assert not at.exception
    assert "etl init" in at.error[0].value
    assert not (tmp_path / "none.duckdb").exists()


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.label)
def test_each_page_file_run_directly_while_signed_out_shows_no_data(demo_db, db_path, monkeypatch, spec):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    monkeypatch.setenv("TRACKER_DB", str(db_path))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / spec.path), default_timeout=30).run()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Username", "Password"]
    assert not at.dataframe and not at.get("plotly_chart") and not at.sidebar.get("page_link")
    assert not at.tabs and not at.metric


def test_a_disabled_account_sees_only_the_sign_in_on_every_run(app_for, demo_db):
    demo_db.write(lambda tx: tx.execute("UPDATE users SET disabled = true WHERE username = 'director'"))
    at = app_for("director", "pages/issues.py")
    assert [t.label for t in at.text_input] == ["Username", "Password"]
    assert not at.dataframe and not at.sidebar.get("page_link")
    assert "no longer active" in at.info[0].value
