"""Organisations page: directory, one organisation, near-duplicate warning, contacts and erasure, merge."""

from __future__ import annotations

from tests.conftest import open_tab
from tracker.services import contacts, organisations

PAGE = "pages/organisations.py"


def by_label(widgets, label):
    return next(w for w in widgets if w.label == label)


def labels(widgets) -> list[str]:
    return [w.label for w in widgets]


def edit_buttons(at) -> list[str]:
    """Every button except the sidebar's sign-out and the back-to-list navigation."""
    return [b.label for b in at.button if b.label != "Sign out" and not str(b.key or "").startswith("back_")]


def errors(at) -> str:
    return " ".join(e.value for e in at.error).replace("\\", "")


def test_viewer_sees_the_directory_without_edit_controls(app_for):
    at = app_for("director", PAGE)
    assert not at.exception
    assert labels(at.tabs) == ["Directory", "Contacts"]
    assert at.dataframe
    assert edit_buttons(at) == []
    assert "Name" not in labels(at.text_input)


def test_viewer_sees_one_organisation_without_edit_or_merge(app_for):
    at = app_for("director", PAGE, query={"organisation": "1"})
    assert not at.exception
    assert at.header[0].value.replace("\\", "") == "Rhine MedTech Cluster"
    assert labels(at.tabs) == ["Joint positions", "Activities", "Contacts", "History"]
    assert edit_buttons(at) == []


def test_editor_creates_an_organisation(app_for, demo_db):
    at = open_tab(app_for("officer", PAGE), "org_tab", "New organisation")
    at.text_input(key="org_new_name").input("Aragon Health Cluster")
    at.selectbox(key="org_new_type").select("Cluster")
    at.text_input(key="org_new_register").input("123456789012-34")
    by_label(at.button, "Create organisation").click().run()
    assert not at.exception and not at.error, errors(at)
    row = demo_db.read("SELECT id, type FROM organisations WHERE name = 'Aragon Health Cluster'")
    assert row and row[0][1] == "Cluster"
    assert at.query_params["organisation"] in (str(row[0][0]), [str(row[0][0])])


def test_bad_register_number_is_refused_naming_the_field(app_for, demo_db):
    at = open_tab(app_for("officer", PAGE), "org_tab", "New organisation")
    at.text_input(key="org_new_name").input("Register Test Org")
    at.text_input(key="org_new_register").input("12-3")
    by_label(at.button, "Create organisation").click().run()
    assert "EU Transparency Register number" in errors(at)
    assert not demo_db.read("SELECT 1 FROM organisations WHERE name = 'Register Test Org'")


def test_near_duplicate_name_warns_and_offers_the_existing_one(app_for, demo_db):
    at = open_tab(app_for("officer", PAGE), "org_tab", "New organisation")
    at.text_input(key="org_new_name").input("rhine  medtech CLUSTER")
    by_label(at.button, "Create organisation").click().run()
    assert "matches an existing organisation" in at.warning[0].value
    assert "Use the existing: Rhine MedTech Cluster" in [p.proto.label.replace("\\", "") for p in at.get("page_link")]
    assert not demo_db.read("SELECT 1 FROM organisations WHERE name = 'rhine  medtech CLUSTER'")
    by_label(at.button, "Create it anyway").click().run()
    assert demo_db.read("SELECT count(*) FROM organisations WHERE name = 'rhine  medtech CLUSTER'")[0][0] == 1


def test_editor_erases_a_contact_from_the_contacts_tab(app_for, demo_db, officer):
    person = contacts.create(demo_db, officer, {"name": "Zelda Erasable", "institution": "DG GROW"})
    at = open_tab(app_for("officer", PAGE), "org_tab", "Contacts")
    at.selectbox(key="contact_open").select(person.id).run()
    at.button(key=f"erase_ask_{person.id}").click().run()
    at.button(key=f"erase_go_{person.id}").click().run()
    assert not at.exception and not at.error, errors(at)
    assert contacts.get(demo_db, person.id).name == f"Erased contact #{person.id}"
    assert "Zelda" not in contacts.audit_text(demo_db, person.id)


def test_editor_merges_a_duplicate_from_the_organisation_page(app_for, demo_db, officer):
    dup = organisations.create(demo_db, officer, {"name": "RHINE medtech cluster"}, confirm_similar=True)
    at = app_for("officer", PAGE, query={"organisation": "1"})
    at.selectbox(key="merge_drop_1").select(dup.id).run()
    at.button(key="merge_q_1_ask").click().run()
    assert organisations.get(demo_db, dup.id).merged_into is None  # asked first
    assert any("cannot be undone" in w.value for w in at.warning)
    at.button(key="merge_go_1").click().run()
    assert not at.exception and not at.error, errors(at)
    assert organisations.get(demo_db, dup.id).merged_into == 1


def test_a_merge_can_be_cancelled(app_for, demo_db, officer):
    dup = organisations.create(demo_db, officer, {"name": "RHINE medtech cluster"}, confirm_similar=True)
    at = app_for("officer", PAGE, query={"organisation": "1"})
    at.selectbox(key="merge_drop_1").select(dup.id).run()
    at.button(key="merge_q_1_ask").click().run()
    at.button(key="merge_q_1_cancel").click().run()
    assert not [b for b in at.button if b.key == "merge_go_1"]
    assert organisations.get(demo_db, dup.id).merged_into is None


def test_empty_cells_of_the_directory_and_contacts_read_a_dash(app_for, demo_db, officer):
    organisations.create(demo_db, officer, {"name": "Aaa Bare Organisation"})
    contacts.create(demo_db, officer, {"name": "Aaron Bare"})
    at = app_for("director", PAGE)
    at.text_input(key="org_search").input("Bare Organisation").run()
    row = at.dataframe[0].value.iloc[0]
    assert (row["type"], row["country"], row["transparency_register"]) == ("—", "—", "—")
    at = open_tab(at, "org_tab", "Contacts")
    at.text_input(key="contact_search").input("Aaron Bare").run()
    row = at.dataframe[0].value.iloc[0]
    assert (row["role"], row["institution"], row["organisation"], row["email"], row["phone"]) == ("—",) * 5
