"""Sign-in throttling cannot be multiplied by spelling a name differently: every spelling that
reaches an account shares that account's five tries, and a spelling that folds to something no
account is named never reaches one (the lookup and the counter use one normalisation)."""

from __future__ import annotations

import itertools

import pytest

from tracker.services import accounts
from tracker.services.accounts import NEUTRAL_FAILURE, SignInRefused

PASSWORD = "correct horse battery"
NAME = "officer"
# For each letter: its other cases, its full-width forms and the Unicode letters some case
# foldings treat as it (dotted and dotless i, the Kelvin sign).
LOOKALIKES = {"i": "İıｉＩ", "k": "Kｋ", "o": "ｏＯ", "f": "ｆＦ", "c": "ｃＣ", "e": "ｅＥ", "r": "ｒＲ"}


def spellings(name: str) -> list[str]:
    per_letter = [sorted({ch, ch.upper(), *LOOKALIKES.get(ch, "")}) for ch in name]
    return ["".join(p) for p in itertools.product(*per_letter)]


@pytest.fixture(autouse=True)
def _cheap(cheap_hashing):
    """Minimal argon2id cost for every test here (see tests/service/conftest.py)."""


@pytest.fixture
def officer_account(db):
    data = {"username": NAME, "role": "editor", "email": "o@cluster.example"}
    return accounts.create_user(db, None, data, PASSWORD, bootstrap=True)


def test_every_spelling_that_reaches_the_account_shares_its_five_tries(db, officer_account) -> None:
    variants = spellings(NAME)
    assert len(variants) > 10_000
    reaching = [v for v in variants if accounts.sign_in_key(v) == NAME]
    assert len(reaching) > 1_000  # case mixes and full-width forms
    guesses = 0
    for variant in reaching[:: max(1, len(reaching) // 300)]:
        with pytest.raises(SignInRefused) as refused:
            accounts.authenticate(db, variant, "a wrong guess")
        guesses += str(refused.value) == NEUTRAL_FAILURE  # checked against the password
    assert guesses == accounts.LOCK_AFTER_FAILURES
    with pytest.raises(SignInRefused, match="Too many failed attempts"):
        accounts.authenticate(db, NAME, PASSWORD)


def test_a_spelling_that_folds_to_another_name_never_signs_in(db, officer_account) -> None:
    others = [v for v in spellings(NAME) if accounts.sign_in_key(v) != NAME]
    assert "OFFİCER" in others and "offıcer" in others
    for variant in [*others[:: max(1, len(others) // 200)], "OFFİCER", "offıcer"]:
        with pytest.raises(SignInRefused):
            accounts.authenticate(db, variant, PASSWORD)
    assert accounts.authenticate(db, NAME, PASSWORD).username == NAME  # none of it locked the account


def test_the_admin_sees_and_lifts_the_lock_of_every_spelling(db, officer_account) -> None:
    admin = accounts.create_user(db, None, {"username": "admin", "role": "admin"}, PASSWORD, bootstrap=True)
    for variant in ["OFFICER", "ｏｆｆｉｃｅｒ", " Officer ", "oFfIcEr", "OFFICER"]:
        with pytest.raises(SignInRefused):
            accounts.authenticate(db, variant, "a wrong guess")
    (row,) = [a for a in accounts.list_accounts(db, admin) if a["username"] == NAME]
    assert row["locked_until"] is not None
    accounts.unlock(db, admin, officer_account.id)
    assert accounts.authenticate(db, "ＯＦＦＩＣＥＲ", PASSWORD).username == NAME
