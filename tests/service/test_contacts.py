"""Contacts: the people met, and erasure on request reaching the audit history."""

from __future__ import annotations

import pytest

from tracker.domain.errors import EditConflict, InvalidInput, PermissionDenied
from tracker.services import activities, contacts

PERSON = {
    "name": "Greta Example",
    "role": "Head of unit",
    "institution": "DG SANTE",
    "email": "greta.example@ec.europa.eu",
    "phone": "+32 2 555 0101",
}


@pytest.fixture
def greta(demo_db, officer):
    person = contacts.create(demo_db, officer, {**PERSON, "organisation_id": 1})
    return contacts.update(demo_db, officer, person.id, person.version, {**PERSON, "role": "Director"})


def test_create_and_edit_are_audited(demo_db, officer, greta):
    assert greta.role == "Director"
    actions = [e["action"] for e in contacts.history(demo_db, greta.id)]
    assert actions == ["update", "create"]


def test_contact_needs_a_name_and_a_valid_email(demo_db, officer):
    with pytest.raises(InvalidInput) as info:
        contacts.create(demo_db, officer, {"name": " ", "email": "not-an-address"})
    assert {e.field for e in info.value.errors} == {"Name", "E-mail"}


def test_contact_organisation_must_exist(demo_db, officer):
    with pytest.raises(InvalidInput, match="Organisation"):
        contacts.create(demo_db, officer, {"name": "Nobody", "organisation_id": 999_999})


def test_erase_replaces_the_personal_data_in_the_record(demo_db, officer, greta):
    erased = contacts.erase(demo_db, officer, greta.id, greta.version)
    assert erased.name == f"Erased contact #{greta.id}"
    assert (erased.role, erased.email, erased.phone) == (None, None, None)
    assert erased.erased_at is not None
    assert erased.institution == "DG SANTE"  # the institution met, not the person


def test_erase_reaches_every_audit_entry_of_the_contact(demo_db, officer, greta):
    contacts.erase(demo_db, officer, greta.id, greta.version)
    text = contacts.audit_text(demo_db, greta.id)
    for personal in ("Greta", "Head of unit", "Director", "greta.example", "+32 2 555"):
        assert personal not in text
    assert f"Erased contact #{greta.id}" in text


def test_erase_is_audited_as_erase_without_personal_data(demo_db, officer, greta):
    contacts.erase(demo_db, officer, greta.id, greta.version)
    entry = contacts.history(demo_db, greta.id)[0]
    assert entry["action"] == "erase"
    assert set(entry["changes"]) == {"erased_at", "history entries scrubbed"}


def test_erased_contact_keeps_its_meetings_but_cannot_be_edited(demo_db, officer, greta):
    meeting = activities.create(
        demo_db,
        officer,
        {"activity_date": "2026-11-20", "type": "Meeting", "summary": "Met DG SANTE", "contact_ids": [greta.id]},
    )
    erased = contacts.erase(demo_db, officer, greta.id, greta.version)
    assert activities.get(demo_db, meeting.id).contact_ids == [greta.id]
    with pytest.raises(InvalidInput, match="erased"):
        contacts.update(demo_db, officer, greta.id, erased.version, PERSON)
    assert greta.id not in {i for i, _ in contacts.choices(demo_db)}


def test_erase_with_a_stale_version_is_a_conflict(demo_db, officer, greta):
    with pytest.raises(EditConflict):
        contacts.erase(demo_db, officer, greta.id, greta.version - 1)
    assert contacts.get(demo_db, greta.id).name == "Greta Example"


def test_viewer_cannot_erase(demo_db, director, greta):
    with pytest.raises(PermissionDenied):
        contacts.erase(demo_db, director, greta.id, greta.version)
    assert contacts.get(demo_db, greta.id).erased_at is None


def test_an_organisation_id_beyond_bigint_is_a_field_error(demo_db, officer):
    with pytest.raises(InvalidInput) as info:
        contacts.create(demo_db, officer, {"name": "Anna Keller", "organisation_id": 10**40})
    assert info.value.errors[0].field == "Organisation"
