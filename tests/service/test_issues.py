"""Issues: create, edit, archive, search, bulk actions, conflicts and refused writes."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.domain.enums import Lifecycle, Role, Stage
from tracker.domain.errors import EditConflict, InvalidInput, NotFound, PermissionDenied
from tracker.domain.models import User
from tracker.services import issues as svc

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def viewer(db):
    return User(id=3, username="dan", role=Role.VIEWER)


def fields(exc: InvalidInput) -> list[str]:
    return [e.field for e in exc.errors]


def snapshot(db):
    return (
        db.read("SELECT * FROM issues ORDER BY id"),
        db.read("SELECT * FROM stage_events ORDER BY id"),
        db.read("SELECT count(*) FROM audit"),
    )


# ------------------------------------------------------------------ create


def test_create_records_the_first_stage_event_today_by_the_author(db, editor):
    issue = svc.create(db, editor, {"title": "MDR transition", "owner": "olivia"})
    assert issue.stage == Stage.WATCHING and issue.version == 1
    [event] = svc.events(db, issue.id)
    assert (event["from_stage"], event["to_stage"], event["event_date"], event["author"]) == (
        None,
        0,
        TODAY,
        "olivia",
    )
    [entry] = svc.history(db, issue.id)
    assert entry["action"] == "create" and entry["changes"]["title"] == [None, "MDR transition"]


def test_create_at_a_higher_stage_needs_evidence(db, editor):
    with pytest.raises(InvalidInput) as exc:
        svc.create(db, editor, {"title": "Late entry", "stage": "Formal input"})
    assert fields(exc.value) == ["Evidence reference"]
    issue = svc.create(db, editor, {"title": "Late entry", "stage": 3, "evidence_ref": "F123456"})
    assert issue.stage == Stage.FORMAL_INPUT


def test_create_refuses_an_unknown_stage_naming_the_field(db, editor):
    with pytest.raises(InvalidInput) as exc:
        svc.create(db, editor, {"title": "x", "stage": "Lobbying"})
    assert fields(exc.value) == ["Starting stage"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": ""}, "Title"),
        ({"title": "   "}, "Title"),
        ({"title": "x" * 10_240}, "Title"),
        ({"title": "bell\x07"}, "Title"),
        ({"title": "ok", "reference_url": "javascript:alert(1)"}, "Reference link"),
        ({"title": "ok", "next_review": "27/11/2026"}, "Next review"),
        ({"title": "ok", "lifecycle": "finished"}, "Lifecycle status"),
        ({"title": "ok", "member_relevance": 9}, "Member relevance"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(db, editor, data, field):
    before = snapshot(db)
    with pytest.raises(InvalidInput) as exc:
        svc.create(db, editor, data)
    assert field in fields(exc.value)
    assert snapshot(db) == before


def test_html_markdown_and_emoji_are_stored_as_typed(db, editor):
    title = '<script>alert("x")</script> **bold** :red[y] 🚀'
    issue = svc.create(db, editor, {"title": title, "summary": "<b>hi</b>\nline two"})
    again = svc.get(db, issue.id)
    assert again.title == title and again.summary == "<b>hi</b>\nline two"


def test_get_unknown_issue_is_not_found(db):
    with pytest.raises(NotFound):
        svc.get(db, 999)


# ------------------------------------------------------------------ edit


def test_update_changes_fields_bumps_version_and_audits_before_after(db, editor):
    issue = svc.create(db, editor, {"title": "Old", "priority": "low"})
    new = svc.update(db, editor, issue.id, issue.version, {"title": "New", "priority": "high"})
    assert (new.title, new.priority.value, new.version) == ("New", "high", 2)
    entry = svc.history(db, issue.id)[0]
    assert entry["action"] == "update"
    assert entry["changes"] == {"title": ["Old", "New"], "priority": ["low", "high"]}


def test_partial_update_keeps_the_other_fields(db, editor):
    issue = svc.create(db, editor, {"title": "Keep", "summary": "S", "tags": ["a"]})
    new = svc.update(db, editor, issue.id, issue.version, {"owner": "olivia"})
    assert (new.title, new.summary, new.tags, new.owner) == ("Keep", "S", ["a"], "olivia")


def test_stale_edit_gets_a_conflict_naming_who_changed_it_and_overwrites_nothing(db, editor, other):
    issue = svc.create(db, editor, {"title": "Shared"})
    svc.update(db, other, issue.id, issue.version, {"title": "Karol's title"})
    with pytest.raises(EditConflict) as exc:
        svc.update(db, editor, issue.id, issue.version, {"title": "Olivia's title"})
    assert str(exc.value).startswith("This issue was changed by karol at ")
    assert exc.value.current["title"] == "Karol's title"
    assert svc.get(db, issue.id).title == "Karol's title"


def test_stage_cannot_be_set_by_editing(db, editor):
    issue = svc.create(db, editor, {"title": "x"})
    with pytest.raises(InvalidInput) as exc:
        svc.update(db, editor, issue.id, issue.version, {"stage": 4})
    assert fields(exc.value) == ["Current stage"]


def test_edit_with_no_change_keeps_the_version(db, editor):
    issue = svc.create(db, editor, {"title": "Same"})
    assert svc.update(db, editor, issue.id, issue.version, {"title": "Same"}).version == issue.version


# ------------------------------------------------------------------ viewers


def test_viewer_writes_are_refused_and_change_no_row(db, editor, viewer):
    issue = svc.create(db, editor, {"title": "Mine"})
    before = snapshot(db)
    for write in (
        lambda: svc.create(db, viewer, {"title": "Viewer's"}),
        lambda: svc.update(db, viewer, issue.id, issue.version, {"title": "Viewer's"}),
        lambda: svc.move_stage(db, viewer, issue.id, issue.version, {"to_stage": 1, "evidence_ref": "x"}),
        lambda: svc.archive(db, viewer, issue.id, issue.version),
        lambda: svc.bulk_add_tag(db, viewer, [(issue.id, issue.version)], "t"),
    ):
        with pytest.raises(PermissionDenied):
            write()
    assert snapshot(db) == before


def test_disabled_editor_is_refused(db, editor):
    disabled = editor.model_copy(update={"disabled": True})
    with pytest.raises(PermissionDenied):
        svc.create(db, disabled, {"title": "x"})
    assert editor.role == Role.EDITOR


# ------------------------------------------------------------------ archive and restore


def test_archive_hides_the_issue_from_lists_and_restore_brings_it_back(db, editor):
    issue = svc.create(db, editor, {"title": "Old file"})
    archived = svc.archive(db, editor, issue.id, issue.version)
    assert archived.archived_at is not None
    assert svc.search(db).empty and svc.choices(db) == []
    assert list(svc.search(db, {"archived": "only"})["id"]) == [issue.id]
    restored = svc.restore(db, editor, issue.id, archived.version)
    assert restored.archived_at is None and svc.choices(db) == [(issue.id, "Old file")]
    assert [e["action"] for e in svc.history(db, issue.id)] == ["restore", "archive", "create"]


def test_archived_issue_cannot_be_edited_until_restored(db, editor):
    issue = svc.archive(db, editor, (i := svc.create(db, editor, {"title": "x"})).id, i.version)
    with pytest.raises(InvalidInput):
        svc.update(db, editor, issue.id, issue.version, {"title": "y"})


def test_stale_archive_is_a_conflict(db, editor):
    issue = svc.create(db, editor, {"title": "x"})
    svc.update(db, editor, issue.id, issue.version, {"title": "y"})
    with pytest.raises(EditConflict):
        svc.archive(db, editor, issue.id, issue.version)
    assert svc.get(db, issue.id).archived_at is None


# ------------------------------------------------------------------ search


@pytest.fixture
def three(db, editor):
    a = svc.create(
        db, editor, {"title": "Medical devices regulation", "tags": ["MDR"], "owner": "olivia", "priority": "high"}
    )
    b = svc.create(
        db,
        editor,
        {"title": "Data space", "summary": "Secondary use of health data", "policy_reference": "2022/0140(COD)"},
    )
    c = svc.create(db, editor, {"title": "Skills", "lifecycle": "paused", "next_review": TODAY - dt.timedelta(days=3)})
    svc.move_stage(db, editor, b.id, b.version, {"to_stage": 2, "evidence_ref": "position note"})
    return a, b, c


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"text": "mdr"}, [0]),
        ({"text": "SECONDARY"}, [1]),
        ({"text": "0140(COD"}, [1]),
        ({"text": "%"}, []),
        ({"stages": [Stage.POSITIONING]}, [1]),
        ({"lifecycles": ["paused"]}, [2]),
        ({"owners": ["olivia"]}, [0]),
        ({"priorities": ["high"]}, [0]),
        ({"tags": ["mdr"]}, [0]),
        ({"review_due": True}, [2]),
    ],
)
def test_search_text_and_filters(db, three, query, expected):
    found = set(svc.search(db, query)["id"])
    assert found == {three[i].id for i in expected}


def test_search_sorts_by_an_allow_listed_key_only(db, three):
    titles = list(svc.search(db, {"sort": "title", "descending": False})["title"])
    assert titles == sorted(titles, key=str.lower)
    with pytest.raises(InvalidInput) as exc:
        svc.search(db, {"sort": "title; DROP TABLE issues"})
    assert fields(exc.value) == ["Sort by"]


def test_counts_follow_the_filters(db, three):
    counts = svc.counts(db, {"lifecycles": ["active"]})
    assert counts["total"] == 2
    assert counts["by_stage"] == {0: 1, 2: 1}
    assert svc.counts(db)["review_due"] == 1


# ------------------------------------------------------------------ bulk


def test_bulk_actions_change_every_selected_issue_with_one_audit_each(db, three, editor):
    pairs = [(i.id, svc.get(db, i.id).version) for i in three]
    changed = svc.bulk_reassign(db, editor, pairs, "karol")
    assert {i.owner for i in changed} == {"karol"}
    pairs = [(i.id, i.version) for i in changed]
    changed = svc.bulk_set_review(db, editor, pairs, TODAY + dt.timedelta(days=30))
    pairs = [(i.id, i.version) for i in changed]
    changed = svc.bulk_add_tag(db, editor, pairs, "Board")
    assert all("Board" in i.tags for i in changed)
    assert [e["action"] for e in svc.history(db, three[0].id)][:3] == [
        "bulk add tag",
        "bulk review date",
        "bulk reassign",
    ]


def test_bulk_with_one_stale_issue_changes_nothing(db, three, editor, other):
    pairs = [(i.id, svc.get(db, i.id).version) for i in three]
    svc.update(db, other, three[2].id, pairs[2][1], {"title": "Skills (changed)"})
    before = snapshot(db)
    with pytest.raises(EditConflict) as exc:
        svc.bulk_reassign(db, editor, pairs, "karol")
    assert exc.value.entity_id == three[2].id
    assert snapshot(db) == before


def test_bulk_add_tag_keeps_existing_tags_once(db, three, editor):
    a = svc.get(db, three[0].id)
    [after] = svc.bulk_add_tag(db, editor, [(a.id, a.version)], "mdr")
    assert after.tags == ["MDR"] and after.version == a.version


def test_bulk_needs_a_selection(db, editor):
    with pytest.raises(InvalidInput) as exc:
        svc.bulk_reassign(db, editor, [], "karol")
    assert fields(exc.value) == ["Issues"]


def test_lifecycle_and_stage_are_independent(db, editor):
    issue = svc.create(db, editor, {"title": "x", "lifecycle": "won"})
    assert issue.lifecycle == Lifecycle.WON and issue.stage == Stage.WATCHING


@pytest.mark.parametrize("issue_id", [10**30, -1, 0, "abc", None])
def test_impossible_issue_numbers_are_not_found_never_a_database_error(db, issue_id):
    with pytest.raises(NotFound):
        svc.get(db, issue_id)


@pytest.mark.parametrize("version", [10**30, "abc", None, True])
def test_impossible_versions_are_field_errors(db, editor, version):
    issue = svc.create(db, editor, {"title": "x"})
    for write in (
        lambda: svc.update(db, editor, issue.id, version, {"title": "y"}),
        lambda: svc.move_stage(db, editor, issue.id, version, {"to_stage": 1, "evidence_ref": "r"}),
        lambda: svc.archive(db, editor, issue.id, version),
        lambda: svc.bulk_add_tag(db, editor, [(issue.id, version)], "t"),
    ):
        with pytest.raises(InvalidInput):
            write()
    assert svc.get(db, issue.id).version == issue.version


def test_unknown_fields_are_named(db, editor):
    issue = svc.create(db, editor, {"title": "x"})
    with pytest.raises(InvalidInput) as exc:
        svc.update(db, editor, issue.id, issue.version, {"colour": "red", 7: "x"})
    assert fields(exc.value) == ["7", "Colour"]
