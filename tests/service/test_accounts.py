"""Sign-in: argon2id hashes, the neutral message, rate limiting."""

from __future__ import annotations

import pytest

from tracker.domain.errors import InvalidInput, PermissionDenied
from tracker.services import accounts


@pytest.fixture
def quick_db(db, cheap_hashing):
    """An empty database with the account officer / "demo password", hashed with minimal argon2id
    cost (rate limiting, not hash strength, is what these tests are about)."""
    accounts.create_user(db, None, {"username": "officer", "role": "editor"}, "demo", is_demo=True, bootstrap=True)
    return db


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


def test_five_failures_lock_the_account_for_a_minute(quick_db):
    for _ in range(accounts.LOCK_AFTER_FAILURES):
        with pytest.raises(accounts.SignInRefused):
            accounts.authenticate(quick_db, "officer", "wrong")
    with pytest.raises(accounts.SignInRefused, match="Try again in"):
        accounts.authenticate(quick_db, "officer", "demo")


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


def _fail(db, name, times):
    for _ in range(times):
        with pytest.raises(accounts.SignInRefused):
            accounts.authenticate(db, name, "wrong password")


def test_unknown_names_lock_exactly_like_real_ones(quick_db):
    _fail(quick_db, "officer", accounts.LOCK_AFTER_FAILURES)
    _fail(quick_db, "nobody-here", accounts.LOCK_AFTER_FAILURES)
    for name in ("officer", "nobody-here"):
        with pytest.raises(accounts.SignInRefused, match=r"^Too many failed attempts\. Try again in \d+ seconds\.$"):
            accounts.authenticate(quick_db, name, "demo")


def test_four_failures_do_not_lock(quick_db):
    _fail(quick_db, "officer", accounts.LOCK_AFTER_FAILURES - 1)
    assert accounts.authenticate(quick_db, "officer", "demo").username == "officer"


def test_lock_runs_out_and_counting_starts_again(quick_db):
    _fail(quick_db, "officer", accounts.LOCK_AFTER_FAILURES)
    quick_db.write(
        lambda tx: tx.execute("UPDATE sign_in_throttle SET locked_until = now()::TIMESTAMP - INTERVAL 1 SECOND")
    )
    _fail(quick_db, "officer", 1)  # a fresh first failure, not a sixth
    assert accounts.authenticate(quick_db, "officer", "demo").username == "officer"


def test_attempted_names_are_neither_stored_nor_logged_in_clear(quick_db, caplog):
    caplog.set_level("DEBUG")
    _fail(quick_db, "Secret-Name", 2)
    _fail(quick_db, "officer", 1)
    stored = str(quick_db.read("SELECT * FROM sign_in_throttle"))
    assert "secret-name" not in stored.lower() and "officer" not in stored
    assert "secret-name" not in caplog.text.lower() and "wrong password" not in caplog.text


def test_disabled_account_with_the_right_password_gets_the_neutral_message(quick_db):
    quick_db.write(lambda tx: tx.execute("UPDATE users SET disabled = true WHERE username = 'officer'"))
    with pytest.raises(accounts.SignInRefused, match="^Unknown user or wrong password.$"):
        accounts.authenticate(quick_db, "officer", "demo")


def test_unknown_user_and_wrong_password_take_the_same_time(demo_db):
    import statistics
    import time

    def median(name):
        times = []
        for _ in range(4):
            demo_db.write(lambda tx: tx.execute("DELETE FROM sign_in_throttle"))
            start = time.perf_counter()
            with pytest.raises(accounts.SignInRefused):
                accounts.authenticate(demo_db, name, "wrong password")
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    median("officer")  # warm up
    known, unknown = median("officer"), median("no-such-user")
    # Skipping the verification for unknown names would make this ratio 10 to 100.
    assert 0.5 < known / unknown < 2.0, (known, unknown)


def test_sign_in_is_case_insensitive_on_the_name(quick_db):
    assert accounts.authenticate(quick_db, "  Officer ", "demo").username == "officer"
