"""Admin editing of the reference lists: add, rename everywhere, reorder, delete only if unused."""

from __future__ import annotations

import pytest

from tracker.domain.enums import ReferenceKind
from tracker.domain.errors import EditConflict, InvalidInput, PermissionDenied
from tracker.services import reference

AREA = ReferenceKind.POLICY_AREA


def _entry(db, kind, value):
    return next(e for e in reference.entries(db, kind) if e["value"] == value)


def _count(db, sql, value):
    return db.read(sql, [value])[0][0]


def test_renaming_a_policy_area_renames_it_in_issues_and_consultations(demo_db, admin):
    demo_db.write(
        lambda tx: tx.execute("UPDATE consultations SET policy_areas = ['Public health', 'Trade'] WHERE id = 1")
    )
    issues_before = _count(demo_db, "SELECT count(*) FROM issues WHERE policy_area = ?", "Public health")
    entry = _entry(demo_db, AREA, "Public health")
    _, changed = reference.rename(demo_db, admin, entry["id"], entry["version"], "Health and care")
    assert changed["issues"] == issues_before > 0 and changed["consultations"] >= 1
    assert _count(demo_db, "SELECT count(*) FROM issues WHERE policy_area = ?", "Public health") == 0
    assert _count(demo_db, "SELECT count(*) FROM issues WHERE policy_area = ?", "Health and care") == issues_before
    assert demo_db.read("SELECT policy_areas FROM consultations WHERE id = 1")[0][0] == ["Health and care", "Trade"]
    assert "Health and care" in reference.values(demo_db, AREA) and "Public health" not in reference.values(
        demo_db, AREA
    )


def test_renamed_rows_get_a_new_version_and_the_rename_is_audited(demo_db, admin):
    (issue_id, version) = demo_db.read("SELECT id, version FROM issues WHERE policy_area = 'Environment' LIMIT 1")[0]
    entry = _entry(demo_db, AREA, "Environment")
    reference.rename(demo_db, admin, entry["id"], entry["version"], "Environment and climate")
    assert demo_db.read("SELECT version, updated_by FROM issues WHERE id = ?", [issue_id])[0] == (version + 1, "admin")
    (changes,) = demo_db.read("SELECT changes FROM audit WHERE entity = 'reference_value' AND action = 'rename'")[0]
    assert "Environment and climate" in changes


@pytest.mark.parametrize(
    "kind,value,sql",
    [
        (
            ReferenceKind.MEMBER_SEGMENT,
            "Medical device SMEs",
            "SELECT count(*) FROM issues WHERE list_contains(member_segments, ?)",
        ),
        (ReferenceKind.FUNDING_SOURCE, "Membership fees", "SELECT count(*) FROM activities WHERE funding_source = ?"),
        (ReferenceKind.ORGANISATION_TYPE, "Cluster", "SELECT count(*) FROM organisations WHERE type = ?"),
    ],
)
def test_every_list_renames_where_it_is_used(demo_db, admin, kind, value, sql):
    used = _count(demo_db, sql, value)
    entry = _entry(demo_db, kind, value)
    reference.rename(demo_db, admin, entry["id"], entry["version"], value + " (renamed)")
    assert used > 0 and _count(demo_db, sql, value) == 0 and _count(demo_db, sql, value + " (renamed)") == used


def test_activity_types_rename_in_activities(demo_db, admin):
    (value, used) = demo_db.read("SELECT type, count(*) FROM activities GROUP BY 1 ORDER BY 2 DESC LIMIT 1")[0]
    entry = _entry(demo_db, ReferenceKind.ACTIVITY_TYPE, value)
    reference.rename(demo_db, admin, entry["id"], entry["version"], "Renamed type")
    assert _count(demo_db, "SELECT count(*) FROM activities WHERE type = ?", "Renamed type") == used


def test_a_value_in_use_cannot_be_deleted(demo_db, admin):
    entry = _entry(demo_db, AREA, "Public health")
    with pytest.raises(InvalidInput, match=r"'Public health' is used by \d+ issues.*rename it instead"):
        reference.delete(demo_db, admin, entry["id"], entry["version"])
    assert "Public health" in reference.values(demo_db, AREA)


def test_an_unused_value_is_deleted_and_can_be_added_back(demo_db, admin):
    added = reference.add(demo_db, admin, AREA, "  Space policy ")
    assert added["value"] == "Space policy" and reference.values(demo_db, AREA)[-1] == "Space policy"
    reference.delete(demo_db, admin, added["id"], added["version"])
    assert "Space policy" not in reference.values(demo_db, AREA)
    assert reference.add(demo_db, admin, AREA, "space policy")["id"] == added["id"]


def test_duplicates_are_refused_whatever_the_case(demo_db, admin):
    with pytest.raises(InvalidInput, match="already in the list"):
        reference.add(demo_db, admin, AREA, "public HEALTH")
    entry = _entry(demo_db, AREA, "Trade")
    with pytest.raises(InvalidInput, match="already in the list"):
        reference.rename(demo_db, admin, entry["id"], entry["version"], "Environment")


def test_moving_a_value_reorders_the_list(demo_db, admin):
    order = reference.values(demo_db, AREA)
    entry = _entry(demo_db, AREA, order[2])
    reference.move(demo_db, admin, entry["id"], -2)
    assert reference.values(demo_db, AREA) == [order[2], order[0], order[1], *order[3:]]


def test_a_stale_rename_is_a_conflict(demo_db, admin):
    entry = _entry(demo_db, AREA, "Trade")
    reference.rename(demo_db, admin, entry["id"], entry["version"], "Trade policy")
    with pytest.raises(EditConflict):
        reference.rename(demo_db, admin, entry["id"], entry["version"], "Trade and tariffs")


@pytest.mark.parametrize("who", ["director", "officer"])
def test_only_admins_edit_reference_lists_and_nothing_changes(demo_db, who):
    from tests.conftest import user

    actor = user(demo_db, who)
    before = demo_db.read("SELECT * FROM reference_values ORDER BY id")
    entry = _entry(demo_db, AREA, "Trade")
    for attempt in (
        lambda: reference.add(demo_db, actor, AREA, "New"),
        lambda: reference.rename(demo_db, actor, entry["id"], entry["version"], "New"),
        lambda: reference.delete(demo_db, actor, entry["id"], entry["version"]),
        lambda: reference.move(demo_db, actor, entry["id"], 1),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert demo_db.read("SELECT * FROM reference_values ORDER BY id") == before
