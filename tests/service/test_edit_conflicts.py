"""Two people edit the same record: the second save is refused with the first person's values
and name, and writes nothing — for every versioned entity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tracker.domain.enums import ReferenceKind
from tracker.domain.errors import EditConflict
from tracker.services import accounts, activities, consultations, contacts, joint_positions, organisations, reference


@pytest.fixture
def people(db):
    def make(username: str, display_name: str | None, role: str) -> Any:
        data = {"username": username, "display_name": display_name, "email": f"{username}@example.eu", "role": role}
        return accounts.create_user(db, None, data, None, bootstrap=True)

    found = {
        "olivia": make("olivia", "Olivia Officer", "editor"),
        "karol": make("karol", None, "editor"),
        "ada": make("ada", "Ada Admin", "admin"),
        "bert": make("bert", None, "admin"),
    }
    reference.add(db, found["ada"], ReferenceKind.ACTIVITY_TYPE, "Meeting")
    return found


@dataclass
class Case:
    """How to create, edit and read back one entity, and which field the two people change."""

    create: Callable[[Any, Any], Any]  # (db, actor) → record
    update: Callable[[Any, Any, int, int, dict[str, Any]], Any]
    get: Callable[[Any, int], Any]
    history: Callable[[Any, int], list[Any]]
    data: dict[str, Any]
    field: str
    editors: tuple[str, str] = ("olivia", "karol")  # (the first to save, the one refused)


DAY = dt.date(2026, 11, 2)
CASES = {
    "consultation": Case(
        lambda db, a: consultations.create(db, a, {"title": "Ports", "authority": "DG MOVE", "closes": DAY}),
        consultations.update,
        consultations.get,
        consultations.history,
        {"title": "Ports", "authority": "DG MOVE", "closes": DAY},
        "title",
    ),
    "joint position": Case(
        lambda db, a: joint_positions.create(db, a, {"title": "Clean ports"}),
        joint_positions.update,
        joint_positions.get,
        joint_positions.history,
        {"title": "Clean ports"},
        "title",
    ),
    "organisation": Case(
        lambda db, a: organisations.create(db, a, {"name": "Port Alliance"}),
        organisations.update,
        organisations.get,
        organisations.history,
        {"name": "Port Alliance"},
        "name",
    ),
    "contact": Case(
        lambda db, a: contacts.create(db, a, {"name": "Greta Example"}),
        contacts.update,
        contacts.get,
        contacts.history,
        {"name": "Greta Example"},
        "name",
    ),
    "activity": Case(
        lambda db, a: activities.create(db, a, {"activity_date": DAY, "type": "Meeting", "summary": "Met DG MOVE"}),
        activities.update,
        activities.get,
        activities.history,
        {"activity_date": DAY, "type": "Meeting", "summary": "Met DG MOVE"},
        "summary",
    ),
    "account": Case(
        lambda db, a: accounts.create_user(
            db, a, {"username": "dora", "email": "dora@example.eu", "role": "viewer"}, None
        ),
        accounts.update_account,
        lambda db, i: accounts._reload(db, i),
        lambda db, i: [e for e in accounts.account_history(db, accounts.get_user(db, "ada")) if e["entity_id"] == i],
        {"display_name": "Dora"},
        "display_name",
        ("ada", "bert"),
    ),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_a_stale_save_is_refused_with_their_values_and_writes_nothing(db, people, kind):
    case = CASES[kind]
    first, second = (people[n] for n in case.editors)
    record = case.create(db, first)
    case.update(db, first, record.id, record.version, {**case.data, case.field: "Their value"})
    saved = case.get(db, record.id)
    entries, epoch = len(case.history(db, record.id)), db.data_epoch()

    with pytest.raises(EditConflict) as refused:
        case.update(db, second, record.id, record.version, {**case.data, case.field: "My late value"})

    assert refused.value.current[case.field] == "Their value"
    assert refused.value.current["version"] == saved.version
    assert refused.value.changed_by == first.display_name
    assert refused.value.changed_at
    assert f"was changed by {first.display_name}" in str(refused.value)
    after = case.get(db, record.id)
    assert getattr(after, case.field) == "Their value" and after.version == saved.version
    assert len(case.history(db, record.id)) == entries and db.data_epoch() == epoch


def test_the_conflict_names_the_user_name_when_the_account_has_no_display_name(db, people):
    made = organisations.create(db, people["olivia"], {"name": "Port Alliance"})
    organisations.update(db, people["karol"], made.id, made.version, {"name": "Port Alliance EU"})
    with pytest.raises(EditConflict) as refused:
        organisations.update(db, people["olivia"], made.id, made.version, {"name": "Ports Alliance"})
    assert refused.value.changed_by == "karol"
    assert refused.value.current["name"] == "Port Alliance EU"


def test_a_stale_delete_is_refused_and_keeps_the_record(db, people):
    made = activities.create(db, people["olivia"], {"activity_date": DAY, "type": "Meeting", "summary": "Met"})
    activities.update(
        db, people["karol"], made.id, made.version, {"activity_date": DAY, "type": "Meeting", "summary": "Met DG MOVE"}
    )
    with pytest.raises(EditConflict) as refused:
        activities.delete(db, people["olivia"], made.id, made.version)
    assert refused.value.current["summary"] == "Met DG MOVE"
    assert activities.get(db, made.id).summary == "Met DG MOVE"
