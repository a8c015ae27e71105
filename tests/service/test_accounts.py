"""Sign-in: argon2id hashes, the neutral message, rate limiting."""

from __future__ import annotations

import pytest

from tracker.domain.errors import InvalidInput, PermissionDenied
from tracker.services import accounts


def test_demo_accounts_sign_in_with_demo(demo_db):
    for name, role in (("director", "viewer"), ("officer", "editor"), ("admin", "admin")):
        assert accounts.authenticate(demo_db, name, "demo").role.value == role


def test_stored_password_is_an_argon2id_hash(demo_db):
    (pw_hash,) = demo_db.read("SELECT password_hash FROM users WHERE username = 'officer'")[0]
    assert pw_hash.startswith("$argon2id$") and "demo" not in pw_hash


@pytest.mark.parametrize(
    "name,password", [("officer", "wrong"), ("nobody", "demo"), ("x' OR 1=1 --", "demo"), ("a" * 10_000, "demo")]
)
def test_failures_get_the_same_neutral_message(demo_db, name, password):
    with pytest.raises(accounts.SignInRefused, match="^Unknown user or wrong password.$"):
        accounts.authenticate(demo_db, name, password)


def test_five_failures_lock_the_account_for_a_minute(demo_db):
    for _ in range(accounts.LOCK_AFTER_FAILURES):
        with pytest.raises(accounts.SignInRefused):
            accounts.authenticate(demo_db, "officer", "wrong")
    with pytest.raises(accounts.SignInRefused, match="Try again in"):
        accounts.authenticate(demo_db, "officer", "demo")


def test_password_policy_for_real_accounts(demo_db, admin):
    with pytest.raises(InvalidInput, match="at least 12"):
        accounts.create_user(demo_db, admin, {"username": "anna", "role": "editor"}, "short")
    with pytest.raises(InvalidInput, match="user name"):
        accounts.create_user(demo_db, admin, {"username": "anna", "role": "editor"}, "anna-is-my-password")
    created = accounts.create_user(demo_db, admin, {"username": "anna", "role": "editor"}, "correct horse battery")
    assert accounts.authenticate(demo_db, "anna", "correct horse battery").username == created.username


def test_only_admins_create_accounts(demo_db, officer):
    with pytest.raises(PermissionDenied):
        accounts.create_user(demo_db, officer, {"username": "eve", "role": "admin"}, "correct horse battery")
    assert accounts.get_user(demo_db, "eve") is None
