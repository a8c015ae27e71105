"""Where people land after signing in, and the digest choice under Account settings."""

from __future__ import annotations

from tracker.services import digests


def _sign_in(at, name: str):
    at.text_input[0].input(name)
    at.text_input[1].input("demo")
    at.button[0].click().run()
    return at


def _titles(at) -> list[str]:
    return [t.value for t in at.title]


def test_an_officer_signing_in_on_the_bare_address_lands_on_my_work(app_for) -> None:
    at = _sign_in(app_for(None), "officer")
    assert not at.exception
    assert "My work" in _titles(at)


def test_a_director_signing_in_keeps_the_overview(app_for) -> None:
    at = _sign_in(app_for(None), "director")
    assert "Overview" in _titles(at)


def test_an_officer_following_a_deep_link_stays_on_it(app_for) -> None:
    at = _sign_in(app_for(None, "pages/issues.py", query={"issue": "1"}), "officer")
    assert "My work" not in _titles(at)
    assert at.query_params.get("issue") in ("1", ["1"])


def test_the_digest_choice_is_saved_from_account_settings(app_for, demo_db, officer) -> None:
    at = app_for("officer")
    at.sidebar.toggle(key="auth_account_open").set_value(True).run()
    choice = at.sidebar.selectbox(key="account_digest")
    assert choice.value == "daily"  # an editor's default
    choice.set_value("weekly").run()
    assert not at.exception
    assert digests.choice_of(demo_db, officer) == ("weekly", False)
