"""The feedback kit as people meet it on an edit form: conflicts, field errors, flashes, failures."""

from __future__ import annotations

import pytest

from tests.conftest import open_tab
from tracker.domain.errors import StorageError
from tracker.services import organisations
from tracker.ui.kit.text import md
from tracker.ui.organisations.forms import ORG_LABELS

PAGE = "pages/organisations.py"
EDIT = "org_edit_1"


def no_exception(at):
    assert not at.exception, [e.value for e in at.exception]


def editable(org) -> dict:
    return org.model_dump(include=set(ORG_LABELS))


def frame_with(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_a_colleagues_save_shows_theirs_beside_mine_and_keep_mine_saves_mine(app_for, demo_db, admin):
    at = app_for("officer", PAGE, query={"organisation": "1"})
    org = organisations.get(demo_db, 1)
    organisations.update(demo_db, admin, 1, org.version, editable(org) | {"country": "Austria"})
    at.text_input(key=f"{EDIT}_website").input("https://mine.example")
    at.button(key=f"{EDIT}_save").click().run()
    no_exception(at)
    assert any(w.value.startswith(md("This organisation was changed by Ada Admin")) for w in at.warning)
    table = frame_with(at, "Theirs")
    assert ["Website", org.website or "", "https://mine.example"] in table[["Field", "Theirs", "Yours"]].values.tolist()
    assert at.text_input(key=f"{EDIT}_website").value == "https://mine.example"
    assert organisations.get(demo_db, 1).website == org.website

    at.button(key=f"{EDIT}_keep").click().run()
    no_exception(at)
    saved = organisations.get(demo_db, 1)
    assert (saved.website, saved.country) == ("https://mine.example", "Austria")
    assert at.text_input(key=f"{EDIT}_website").value == "https://mine.example"


def test_discard_mine_takes_their_values(app_for, demo_db, admin):
    at = app_for("officer", PAGE, query={"organisation": "1"})
    org = organisations.get(demo_db, 1)
    organisations.update(demo_db, admin, 1, org.version, editable(org) | {"country": "Austria"})
    at.text_input(key=f"{EDIT}_country").input("Belgium")
    at.button(key=f"{EDIT}_save").click().run()
    at.button(key=f"{EDIT}_discard").click().run()
    no_exception(at)
    assert at.text_input(key=f"{EDIT}_country").value == "Austria"
    assert organisations.get(demo_db, 1).country == "Austria"


def test_a_field_error_stands_under_its_field_and_in_the_summary(app_for, demo_db):
    at = open_tab(app_for("officer", PAGE), "org_tab", "New organisation")
    at.text_input(key="org_new_name").input("Register Test Org")
    at.text_input(key="org_new_register").input("12-3")
    at.button(key="org_new_save").click().run()
    no_exception(at)
    column = next(c for c in at.columns if any(t.key == "org_new_register" for t in c.text_input))
    under = " ".join(c.value for c in column.caption)
    assert under.startswith(":red[") and "EU Transparency Register number" not in under and len(under) > 8
    assert "EU Transparency Register number" in " ".join(e.value for e in at.error).replace("\\", "")
    assert at.text_input(key="org_new_register").value == "12-3"


def test_a_flash_shows_markdown_in_a_name_as_typed(app_for, demo_db):
    at = open_tab(app_for("officer", PAGE), "org_tab", "New organisation")
    at.text_input(key="org_new_name").input("**x** :red[y]")
    at.button(key="org_new_save").click().run()
    no_exception(at)
    assert [s.value for s in at.success] == [md("Saved **x** :red[y].")]


def test_a_storage_failure_is_a_message_not_a_traceback(app_for, demo_db, monkeypatch: pytest.MonkeyPatch):
    def full_disk(*args, **kwargs):
        raise StorageError("The database could not save this change (disk full). Nothing was saved.")

    monkeypatch.setattr(organisations, "create", full_disk)
    at = open_tab(app_for("officer", PAGE), "org_tab", "New organisation")
    at.text_input(key="org_new_name").input("Disk Full Org")
    at.button(key="org_new_save").click().run()
    no_exception(at)
    assert "disk full" in " ".join(e.value for e in at.error).replace("\\", "")
    assert not at.success
    assert at.text_input(key="org_new_name").value == "Disk Full Org"


def test_a_link_whose_id_is_not_a_number_says_so_and_shows_the_list(app_for):
    at = app_for("officer", PAGE, query={"organisation": "abc"})
    no_exception(at)
    assert "“abc” is not an organisation number; showing the list instead." in [w.value for w in at.warning]
    assert "Directory" in [t.label for t in at.tabs]
