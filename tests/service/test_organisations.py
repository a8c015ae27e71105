"""Organisations: directory rules, near-duplicate names, and the merge that keeps every link."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.domain.errors import EditConflict, InvalidInput, PermissionDenied
from tracker.services import activities, contacts, joint_positions, organisations
from tracker.store import organisations as org_store


def new_org(db, actor, name, **extra):
    return organisations.create(db, actor, {"name": name, **extra})


def test_create_records_the_organisation_and_an_audit_entry(demo_db, officer):
    org = new_org(demo_db, officer, "Aragon Health Cluster", type="cluster", country="Spain", is_partner=True)
    assert org.type == "Cluster"  # the reference list's spelling
    entry = organisations.history(demo_db, org.id)[0]
    assert entry["action"] == "create" and entry["changes"]["name"] == [None, "Aragon Health Cluster"]


def test_transparency_register_number_is_format_checked(demo_db, officer):
    with pytest.raises(InvalidInput) as info:
        new_org(demo_db, officer, "Bad Register Org", transparency_register="12345")
    assert info.value.errors[0].field == "EU Transparency Register number"
    assert new_org(demo_db, officer, "Good Register Org", transparency_register="123456789012-34").id


def test_type_must_come_from_the_reference_list(demo_db, officer):
    with pytest.raises(InvalidInput, match="Type"):
        new_org(demo_db, officer, "Odd Org", type="Space agency")


def test_name_differing_only_in_case_or_spaces_is_refused_with_the_existing_one(demo_db, officer):
    before = demo_db.read("SELECT count(*) FROM organisations")[0][0]
    with pytest.raises(organisations.SimilarName) as info:
        new_org(demo_db, officer, "  rhine   MEDTECH cluster ")
    assert [m.name for m in info.value.matches] == ["Rhine MedTech Cluster"]
    assert info.value.errors[0].field == "Name"
    assert demo_db.read("SELECT count(*) FROM organisations")[0][0] == before


def test_near_duplicate_name_can_be_confirmed_as_a_different_organisation(demo_db, officer):
    org = organisations.create(demo_db, officer, {"name": "Rhine Medtech Cluster"}, confirm_similar=True)
    assert org.name == "Rhine Medtech Cluster"


def test_renaming_to_a_near_duplicate_is_warned(demo_db, officer):
    org = new_org(demo_db, officer, "Tiny Cluster")
    with pytest.raises(organisations.SimilarName):
        organisations.update(demo_db, officer, org.id, org.version, {"name": "nordic medtech CLUSTER"})


def test_edit_is_version_checked_and_audited(demo_db, officer):
    org = organisations.get(demo_db, 1)
    data = org.model_dump(include=set(org_store.EDITABLE))
    saved = organisations.update(demo_db, officer, org.id, org.version, data | {"country": "France"})
    assert saved.country == "France" and saved.version == org.version + 1
    assert organisations.history(demo_db, org.id)[0]["changes"] == {"country": ["Germany", "France"]}
    with pytest.raises(EditConflict, match="changed by Olivia Officer"):
        organisations.update(demo_db, officer, org.id, org.version, data | {"country": "Spain"})
    assert organisations.get(demo_db, 1).country == "France"


def test_viewer_cannot_create(demo_db, director):
    with pytest.raises(PermissionDenied):
        new_org(demo_db, director, "Viewer Org")


@pytest.fixture
def duplicates(demo_db, officer):
    """Two organisations sharing a position, each with links of every kind."""
    keep = new_org(demo_db, officer, "Alpha Cluster", type="Cluster")
    drop = organisations.create(
        demo_db,
        officer,
        {"name": "ALPHA cluster", "country": "Austria", "transparency_register": "123456789-01", "is_partner": True},
        confirm_similar=True,
    )
    shared = joint_positions.create(demo_db, officer, {"title": "Shared paper", "lead_organisation_id": drop.id})
    only_drop = joint_positions.create(demo_db, officer, {"title": "Drop-only paper"})
    day = dt.date(2026, 11, 1)
    joint_positions.add_signatory(
        demo_db, officer, shared.id, {"organisation_id": keep.id, "status": "invited", "status_date": day}
    )
    joint_positions.add_signatory(
        demo_db,
        officer,
        shared.id,
        {"organisation_id": drop.id, "status": "agreed", "status_date": day + dt.timedelta(days=5)},
    )
    joint_positions.add_signatory(demo_db, officer, only_drop.id, {"organisation_id": drop.id})
    both = {"activity_date": day, "type": "Meeting", "summary": "Both met", "organisation_ids": [keep.id, drop.id]}
    a_both = activities.create(demo_db, officer, both)
    a_drop = activities.create(demo_db, officer, {**both, "summary": "Drop met", "organisation_ids": [drop.id]})
    person = contacts.create(demo_db, officer, {"name": "Pat Example", "organisation_id": drop.id})
    return {
        "keep": organisations.get(demo_db, keep.id),
        "drop": organisations.get(demo_db, drop.id),
        "shared": shared.id,
        "only_drop": only_drop.id,
        "activities": (a_both.id, a_drop.id),
        "contact": person.id,
    }


def test_merge_moves_every_link_to_the_kept_organisation(demo_db, officer, duplicates):
    keep, drop = duplicates["keep"], duplicates["drop"]
    organisations.merge(demo_db, officer, keep.id, keep.version, drop.id, drop.version)
    assert org_store.link_counts(demo_db, drop.id) == {
        "signatories": 0,
        "activities": 0,
        "contacts": 0,
        "positions led": 0,
    }
    assert org_store.link_counts(demo_db, keep.id) == {
        "signatories": 2,
        "activities": 2,
        "contacts": 1,
        "positions led": 1,
    }
    for aid in duplicates["activities"]:
        assert keep.id in activities.get(demo_db, aid).organisation_ids
    assert contacts.get(demo_db, duplicates["contact"]).organisation_id == keep.id
    assert joint_positions.get(demo_db, duplicates["shared"]).lead_organisation_id == keep.id


def test_merge_keeps_one_signatory_per_position_with_the_latest_status(demo_db, officer, duplicates):
    keep, drop = duplicates["keep"], duplicates["drop"]
    organisations.merge(demo_db, officer, keep.id, keep.version, drop.id, drop.version)
    sigs = joint_positions.signatories(demo_db, duplicates["shared"])
    assert [(s["organisation_id"], s["status"]) for s in sigs] == [(keep.id, "agreed")]


def test_merge_marks_the_duplicate_and_fills_the_keepers_gaps(demo_db, officer, duplicates):
    keep, drop = duplicates["keep"], duplicates["drop"]
    merged = organisations.merge(demo_db, officer, keep.id, keep.version, drop.id, drop.version)
    assert merged.country == "Austria" and merged.is_partner and merged.transparency_register == "123456789-01"
    assert organisations.get(demo_db, drop.id).merged_into == keep.id
    assert not organisations.is_live(demo_db, drop.id)
    assert drop.id not in {i for i, _ in organisations.choices(demo_db)}


def test_merge_writes_one_audit_entry_naming_both(demo_db, officer, duplicates):
    keep, drop = duplicates["keep"], duplicates["drop"]
    before = demo_db.read("SELECT count(*) FROM audit")[0][0]
    organisations.merge(demo_db, officer, keep.id, keep.version, drop.id, drop.version)
    assert demo_db.read("SELECT count(*) FROM audit")[0][0] == before + 1
    entry = organisations.history(demo_db, keep.id)[0]
    assert entry["action"] == "merge"
    assert entry["changes"]["merge"] == [f"#{drop.id} ALPHA cluster", f"#{keep.id} Alpha Cluster"]
    assert organisations.history(demo_db, drop.id)[0]["action"] == "merge"


def test_merge_with_a_stale_version_changes_nothing(demo_db, officer, duplicates):
    keep, drop = duplicates["keep"], duplicates["drop"]
    with pytest.raises(EditConflict):
        organisations.merge(demo_db, officer, keep.id, keep.version, drop.id, drop.version - 1)
    assert org_store.link_counts(demo_db, drop.id)["signatories"] == 2
    assert organisations.is_live(demo_db, drop.id)


def test_merge_refuses_the_same_organisation_twice(demo_db, officer):
    org = organisations.get(demo_db, 1)
    with pytest.raises(InvalidInput, match="two different"):
        organisations.merge(demo_db, officer, 1, org.version, 1, org.version)


def test_directory_counts_agreed_positions_and_activities(demo_db, officer, duplicates):
    table = organisations.directory(demo_db, {"search": "alpha"})
    row = table.set_index("id").loc[duplicates["drop"].id]
    assert row["positions_signed"] == 1 and row["activities"] == 2
    signed = organisations.signed_positions(demo_db, duplicates["drop"].id)
    assert set(signed["id"]) == {duplicates["shared"], duplicates["only_drop"]}


def test_merge_leaves_the_database_consistent(demo_db, officer, duplicates):
    from tracker.services import integrity

    keep, drop = duplicates["keep"], duplicates["drop"]
    organisations.merge(demo_db, officer, keep.id, keep.version, drop.id, drop.version)
    report = integrity.check(demo_db)
    assert report.ok, report.problems


def test_a_stale_edit_naming_the_merged_organisation_is_refused(demo_db, officer, duplicates):
    keep, drop = duplicates["keep"], duplicates["drop"]
    person = contacts.get(demo_db, duplicates["contact"])
    organisations.merge(demo_db, officer, keep.id, keep.version, drop.id, drop.version)
    with pytest.raises(InvalidInput, match="Organisation"):
        contacts.update(demo_db, officer, person.id, person.version, {"name": "Pat", "organisation_id": drop.id})
