"""The admin's account management: create, re-role, disable, reset; refused for everyone else."""

from __future__ import annotations

import pytest

from tracker.domain.errors import EditConflict, InvalidInput, PermissionDenied
from tracker.services import accounts, passwords, sessions

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _cheap(cheap_hashing):
    """Minimal argon2id cost for every test here (see tests/service/conftest.py)."""


@pytest.fixture
def people(db):
    """An admin, an editor, a viewer and a disabled admin on an empty database."""

    def make(name, role, **extra):
        data = {"username": name, "role": role, "email": f"{name}@cluster.example", **extra}
        return accounts.create_user(db, None, data, PASSWORD, bootstrap=True)

    found = {"admin": make("alice", "admin"), "editor": make("otto", "editor"), "viewer": make("dora", "viewer")}
    gone = make("gone", "admin")
    accounts.set_disabled(db, found["admin"], gone.id, gone.version, True)
    found["disabled"] = accounts.get_user(db, "gone")
    return found


def _rows(db):
    return db.read("SELECT * FROM users ORDER BY id")


WRITES = {
    "create": lambda db, a, t: accounts.create_user(db, a, {"username": "eve", "role": "admin"}, PASSWORD),
    "re-role": lambda db, a, t: accounts.update_account(db, a, t.id, t.version, {"role": "admin"}),
    "disable": lambda db, a, t: accounts.set_disabled(db, a, t.id, t.version, True),
    "reset password": lambda db, a, t: accounts.reset_password(db, a, t.id, t.version),
    "unlock": lambda db, a, t: accounts.unlock(db, a, t.id),
    "sign out everyone": lambda db, a, t: sessions.sign_out_everyone(db, a),
}


@pytest.mark.parametrize("who", ["viewer", "editor", "disabled", None])
@pytest.mark.parametrize("write", list(WRITES))
def test_only_admins_manage_accounts_and_nothing_changes_otherwise(db, people, who, write):
    before = _rows(db)
    actor = people[who] if who else None
    with pytest.raises(PermissionDenied):
        WRITES[write](db, actor, people["viewer"])
    assert _rows(db) == before


def test_admin_changes_a_role_and_it_is_audited(db, people):
    dora = people["viewer"]
    changed = accounts.update_account(db, people["admin"], dora.id, dora.version, {"role": "editor"})
    assert changed.role.value == "editor" and changed.version == dora.version + 1
    (entry,) = [e for e in accounts.account_history(db, people["admin"]) if e["action"] == "update"]
    assert entry["account"] == "dora" and entry["changes"]["role"] == ["viewer", "editor"]


def test_a_stale_version_is_an_edit_conflict(db, people):
    dora = people["viewer"]
    accounts.update_account(db, people["admin"], dora.id, dora.version, {"role": "editor"})
    with pytest.raises(EditConflict, match="changed by alice"):
        accounts.update_account(db, people["admin"], dora.id, dora.version, {"role": "admin"})


def test_disabling_ends_sessions_and_calendar_feeds(db, people):
    otto = people["editor"]
    session = sessions.start(db, otto)
    feed = sessions.new_calendar_token(db, otto)
    secret = sessions.database_secret(db)
    assert sessions.resume(db, secret, session.cookie_value(secret))
    accounts.set_disabled(db, people["admin"], otto.id, otto.version, True)
    assert sessions.resume(db, secret, session.cookie_value(secret)) is None
    assert sessions.calendar_feed_user(db, feed) is None
    with pytest.raises(accounts.SignInRefused):
        accounts.authenticate(db, "otto", PASSWORD)


def test_enabling_lets_the_user_back_in(db, people):
    otto = people["editor"]
    otto = accounts.set_disabled(db, people["admin"], otto.id, otto.version, True)
    accounts.set_disabled(db, people["admin"], otto.id, otto.version, False)
    assert accounts.authenticate(db, "otto", PASSWORD).username == "otto"


def test_an_admin_cannot_disable_themselves(db, people):
    alice = people["admin"]
    with pytest.raises(InvalidInput, match="your own account"):
        accounts.set_disabled(db, alice, alice.id, alice.version, True)


def test_the_last_active_admin_keeps_the_admin_role(db, people):
    alice = people["admin"]
    with pytest.raises(InvalidInput, match="at least one active admin"):
        accounts.update_account(db, alice, alice.id, alice.version, {"role": "viewer"})


def test_reset_password_forces_a_change_at_next_sign_in(db, people):
    dora = people["viewer"]
    dora, temporary = accounts.reset_password(db, people["admin"], dora.id, dora.version)
    assert dora.must_change_password and len(temporary) >= passwords.MIN_PASSWORD_LENGTH
    with pytest.raises(accounts.SignInRefused):
        accounts.authenticate(db, "dora", PASSWORD)
    signed_in = accounts.authenticate(db, "dora", temporary)
    assert signed_in.must_change_password
    done = accounts.change_own_password(db, signed_in, temporary, "a brand new passphrase")
    assert not done.must_change_password
    assert accounts.authenticate(db, "dora", "a brand new passphrase").username == "dora"


def test_changing_your_password_needs_the_current_one_and_the_policy(db, people):
    otto = people["editor"]
    with pytest.raises(InvalidInput, match="Current password"):
        accounts.change_own_password(db, otto, "not it", "a brand new passphrase")
    with pytest.raises(InvalidInput, match="user name"):
        accounts.change_own_password(db, otto, PASSWORD, "otto-and-more-letters")


def test_stored_passwords_are_argon2id_hashes(db, people):
    hashes = [r[0] for r in db.read("SELECT password_hash FROM users")]
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)


def test_an_e_mail_belongs_to_one_account(db, people):
    with pytest.raises(InvalidInput, match="already used by the account 'otto'"):
        accounts.create_user(
            db, people["admin"], {"username": "otto2", "role": "viewer", "email": "OTTO@cluster.example"}, PASSWORD
        )


def test_single_sign_on_only_accounts_need_an_e_mail(db, people):
    with pytest.raises(InvalidInput, match="Password"):
        accounts.create_user(db, people["admin"], {"username": "sso", "role": "viewer"}, None)
    made = accounts.create_user(db, people["admin"], {"username": "sso", "role": "viewer", "email": "s@x.org"}, None)
    assert made.username == accounts.sign_in_by_email(db, "S@X.org").username == "sso"
    with pytest.raises(accounts.SignInRefused):
        accounts.authenticate(db, "sso", "")


@pytest.mark.parametrize(
    "email,expected",
    [("otto@cluster.example", "otto"), ("nobody@cluster.example", None), ("gone@cluster.example", None)],
)
def test_single_sign_on_maps_an_e_mail_to_an_active_account(db, people, email, expected):
    user = accounts.sign_in_by_email(db, email)
    assert (user.username if user else None) == expected


def test_unlock_lifts_a_sign_in_lock(db, people):
    for _ in range(accounts.LOCK_AFTER_FAILURES):
        with pytest.raises(accounts.SignInRefused):
            accounts.authenticate(db, "otto", "wrong")
    listed = {a["username"]: a for a in accounts.list_accounts(db, people["admin"])}
    assert listed["otto"]["locked_until"] is not None
    accounts.unlock(db, people["admin"], people["editor"].id)
    assert accounts.authenticate(db, "otto", PASSWORD).username == "otto"


def test_fields_not_given_keep_their_value(db, people):
    dora = people["viewer"]
    changed = accounts.update_account(db, people["admin"], dora.id, dora.version, {"role": "editor"})
    assert changed.email == "dora@cluster.example"
    cleared = accounts.update_account(db, people["admin"], dora.id, changed.version, {"email": ""})
    assert cleared.email is None and cleared.role.value == "editor"
