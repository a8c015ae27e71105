"""The Admin page: accounts, reference lists and the account audit log, for admins only."""

from __future__ import annotations

import pytest

from tests.conftest import user
from tracker.domain.enums import ReferenceKind
from tracker.services import accounts, reference
from tracker.ui.admin.history import describe_changes
from tracker.ui.kit.text import md

PAGE = "pages/admin.py"


def _ok(at):
    assert not at.exception, [e.value for e in at.exception]
    return at


def _click(at, key):
    return _ok(at.button(key=key).click().run())


def _create(at, **fields):
    for key, value in fields.items():
        at.text_input(key=f"adm_new_{key}").input(value)
    return _ok(next(b for b in at.button if b.label == "Create account").click().run())


def test_admin_sees_accounts_lists_history_and_backups(app_for):
    at = _ok(app_for("admin", PAGE))
    assert [t.label for t in at.tabs] == ["Accounts", "Reference lists", "Account history", "Backups"]
    table = at.dataframe[0].value
    assert list(table["Username"]) == ["admin", "director", "k.nowak", "m.dubois", "officer", "s.jansen"]
    assert set(table["Role"]) == {"Admin", "Viewer", "Editor"}


@pytest.mark.parametrize("who", ["director", "officer"])
def test_other_roles_get_a_refusal_and_no_inputs(app_for, who):
    at = _ok(app_for(who, PAGE))
    assert "needs the Admin role" in at.error[0].value
    assert not at.text_input and not at.dataframe and not at.tabs


def test_creating_an_account_lists_it_and_audits_it(app_for, demo_db):
    at = app_for("admin", PAGE)
    at = _create(
        at,
        username="anna",
        name="Anna Analyst",
        email="anna@cluster.example",
        password="a long passphrase",
        repeat="a long passphrase",
    )
    assert at.success[0].value == md("Account anna created (Viewer).")
    assert "anna" in list(at.dataframe[0].value["Username"])
    created = accounts.get_user(demo_db, "anna")
    assert created.must_change_password and created.role.value == "viewer"
    history = at.tabs[2].dataframe[0].value
    assert history.iloc[0]["Account"] == "anna" and history.iloc[0]["Action"] == "create"


def test_a_refused_account_shows_each_problem_and_creates_nothing(app_for, demo_db):
    at = _create(app_for("admin", PAGE), username="bob", password="short", repeat="short")
    assert "Password — must have at least 12 characters" in at.error[0].value
    assert any("must have at least 12 characters" in c.value for c in at.caption)  # at the field too
    at = _create(at, username="bob", password="a long passphrase", repeat="another one")
    assert "the two entries differ" in at.error[0].value
    assert accounts.get_user(demo_db, "bob") is None


def test_disabling_an_account_from_the_page(app_for, demo_db):
    at = app_for("admin", PAGE)
    at.selectbox(key="adm_account").set_value("officer").run()
    officer = user(demo_db, "officer")
    at = _click(at, f"adm_disable_{officer.id}")
    assert at.success[0].value == md("Account officer disabled.")
    assert user(demo_db, "officer").disabled


def test_resetting_a_password_shows_the_temporary_one_once(app_for, demo_db):
    at = app_for("admin", PAGE)
    at.selectbox(key="adm_account").set_value("director").run()
    uid = user(demo_db, "director").id
    before = accounts.list_accounts(demo_db, user(demo_db, "admin"))
    at = _click(at, f"adm_reset_q_{uid}_ask")
    assert not at.tabs[0].code and accounts.list_accounts(demo_db, user(demo_db, "admin")) == before  # asked first
    assert any("Reset the password of **Daniel Director**" in w.value for w in at.warning)
    at = _click(at, f"adm_reset_{uid}")
    (code,) = at.tabs[0].code
    assert accounts.authenticate(demo_db, "director", code.value).must_change_password
    assert not _ok(at.run()).tabs[0].code
    assert not [b for b in at.button if b.key == f"adm_reset_{uid}"]  # the question is closed


def test_a_reset_can_be_cancelled(app_for, demo_db):
    at = app_for("admin", PAGE)
    at.selectbox(key="adm_account").set_value("director").run()
    uid = user(demo_db, "director").id
    at = _click(_click(at, f"adm_reset_q_{uid}_ask"), f"adm_reset_q_{uid}_cancel")
    assert not [b for b in at.button if b.key == f"adm_reset_{uid}"]
    assert accounts.authenticate(demo_db, "director", "demo")


def test_changing_a_role_from_the_page(app_for, demo_db):
    at = app_for("admin", PAGE)
    at.selectbox(key="adm_account").set_value("director").run()
    uid = user(demo_db, "director").id
    at.selectbox(key=f"adm_role_{uid}").set_value("editor")
    at = _ok(next(b for b in at.button if b.label == "Save changes").click().run())
    assert user(demo_db, "director").role.value == "editor"


def test_renaming_a_policy_area_from_the_page_renames_its_issues(app_for, demo_db):
    entry = next(e for e in reference.entries(demo_db, ReferenceKind.POLICY_AREA) if e["value"] == "Trade")
    at = app_for("admin", PAGE)
    at.selectbox(key="adm_ref_pick_policy_area").set_value(entry["id"]).run()
    at.text_input(key=f"adm_ref_name_{entry['id']}").input("Trade and customs")
    at = _ok(next(b for b in at.button if b.label == "Rename").click().run())
    assert "Trade and customs" in reference.values(demo_db, ReferenceKind.POLICY_AREA)
    assert not demo_db.read("SELECT id FROM issues WHERE policy_area = 'Trade'")


def test_deleting_a_value_in_use_is_refused_on_the_page(app_for, demo_db):
    entry = next(e for e in reference.entries(demo_db, ReferenceKind.POLICY_AREA) if e["value"] == "Public health")
    at = app_for("admin", PAGE)
    at.selectbox(key="adm_ref_pick_policy_area").set_value(entry["id"]).run()
    at = _click(at, f"adm_ref_delete_{entry['id']}")
    assert "is used by" in at.error[0].value and "rename it instead" in at.error[0].value
    assert "Public health" in reference.values(demo_db, ReferenceKind.POLICY_AREA)


def test_describe_changes_reads_like_a_sentence_with_field_labels():
    assert describe_changes({"role": ["viewer", "editor"], "email": [None, "a@b.org"]}) == (
        "Role: Viewer → Editor; E-mail: — → a@b.org"
    )
    assert describe_changes({"display_name": ["Ann", "Ann B"], "must_change_password": [True, True]}) == (
        "Name: Ann → Ann B"
    )


def test_account_history_shows_labels_and_no_entry_for_a_change_that_changed_nothing(app_for, demo_db, admin):
    director = user(demo_db, "director")
    accounts.update_account(demo_db, admin, director.id, director.version, {"display_name": "Dana Director"})
    accounts.reset_password(demo_db, admin, director.id, user(demo_db, "director").version)
    accounts.reset_password(demo_db, admin, director.id, user(demo_db, "director").version)  # already must change
    accounts.unlock(demo_db, admin, director.id)  # was not locked
    at = _ok(app_for("admin", PAGE))
    history = at.tabs[2].dataframe[0].value
    ours = history[history["Account"] == "director"]
    assert list(ours["Action"]) == ["reset password", "reset password", "update"]
    assert ours.iloc[0]["Changes"] == "Password: (hidden) → (reset)"
    assert ours.iloc[2]["Changes"] == "Name: Daniel Director → Dana Director"
    assert "display_name" not in " ".join(history["Changes"])


def test_list_changes_are_shown_with_their_list(app_for, demo_db, admin):
    reference.add(demo_db, admin, ReferenceKind.FUNDING_SOURCE, "EU4Health grant")
    at = _ok(app_for("admin", PAGE))
    (changes,) = at.tabs[1].dataframe[1:]
    row = changes.value.iloc[0]
    assert (row["List"], row["Action"], row["By"]) == ("Funding sources", "create", "admin")
    assert "EU4Health grant" in row["Changes"]


def test_an_account_saved_meanwhile_shows_theirs_and_keeps_mine_on_top(app_for, demo_db, admin):
    at = app_for("admin", PAGE)
    at.selectbox(key="adm_account").set_value("director").run()
    director = user(demo_db, "director")
    at.text_input(key=f"adm_name_{director.id}").input("Dana Director")
    accounts.update_account(demo_db, admin, director.id, director.version, {"email": "dana@cluster.example"})
    at = _ok(next(b for b in at.button if b.label == "Save changes").click().run())
    assert "was changed by Ada Admin" in at.warning[0].value
    table = at.dataframe[1].value.set_index("Field")  # theirs beside mine, where they differ
    assert table.loc["E-mail", "Theirs"] == "dana@cluster.example" and table.loc["Name", "Yours"] == "Dana Director"
    assert user(demo_db, "director").display_name != "Dana Director"  # nothing of theirs overwritten
    assert at.text_input(key=f"adm_name_{director.id}").value == "Dana Director"  # my input kept
    at = _click(at, f"adm_keep_{director.id}")
    saved = user(demo_db, "director")
    assert (saved.display_name, saved.email) == ("Dana Director", "dana@cluster.example")


def test_a_value_renamed_meanwhile_is_a_conflict_not_an_overwrite(app_for, demo_db, admin):
    entry = next(e for e in reference.entries(demo_db, ReferenceKind.POLICY_AREA) if e["value"] == "Trade")
    at = app_for("admin", PAGE)
    at.selectbox(key="adm_ref_pick_policy_area").set_value(entry["id"]).run()
    at.text_input(key=f"adm_ref_name_{entry['id']}").input("Trade policy")
    reference.rename(demo_db, admin, entry["id"], entry["version"], "International trade")
    at = _ok(next(b for b in at.button if b.label == "Rename").click().run())
    assert "Keep mine on top of theirs" in [b.label for b in at.button]
    assert "International trade" in reference.values(demo_db, ReferenceKind.POLICY_AREA)
    at = _click(at, f"adm_ref_keep_{entry['id']}")
    assert "Trade policy" in reference.values(demo_db, ReferenceKind.POLICY_AREA)


def _utc(local_hour: int):
    import datetime as dt

    from tracker.domain import clock

    local = dt.datetime(2026, 11, 27, local_hour, 0, 30, tzinfo=clock.zone())
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def test_a_backup_taken_at_start_up_is_not_labelled_nightly(monkeypatch):
    from tracker.services import backup
    from tracker.ui.admin.backups import taken_by

    monkeypatch.setenv("TRACKER_BACKUP_HOUR", "2")
    assert taken_by(backup.NIGHTLY, _utc(2)) == "Nightly job"
    assert taken_by(backup.NIGHTLY, _utc(9)) == "Catch-up at start-up"
    assert taken_by("admin", _utc(9)) == "admin"
