"""Every service that writes checks the caller's role again, whatever the page showed: a viewer,
a disabled editor or nobody crafting a write is refused, and no row changes."""

from __future__ import annotations

import importlib

import pytest

from tests.conftest import user
from tracker.domain.errors import PermissionDenied

TABLES = ("issues", "stage_events", "consultations", "joint_positions", "signatories", "organisations")
TABLES += ("contacts", "activities", "users", "reference_values", "audit", "sessions", "calendar_tokens")

# (module, function, arguments after db and actor); ids and versions refer to demo rows.
EDITOR_WRITES = [
    ("issues", "create", ({"title": "Crafted", "member_relevance": 3, "target_stage": 3},)),
    ("issues", "update", (1, 1, {"title": "Crafted"})),
    ("issues", "move_stage", (1, 1, {"to_stage": 5, "event_date": "2026-11-27", "note": "x"})),
    ("issues", "archive", (1, 1)),
    ("issues", "bulk_add_tag", ([(1, 1)], "crafted")),
    ("consultations", "create", ({"title": "Crafted", "authority": "DG X", "closes": "2026-12-31"},)),
    ("consultations", "delete", (1, 1)),
    ("joint_positions", "create", ({"title": "Crafted"},)),
    ("joint_positions", "add_signatory", (1, {"organisation_id": 1, "status": "agreed"})),
    ("organisations", "create", ({"name": "Crafted"},)),
    ("contacts", "create", ({"name": "Crafted"},)),
    ("activities", "create", ({"activity_date": "2026-11-27", "type": "Meeting", "summary": "Crafted"},)),
    ("activities", "delete", (1, 1)),
]
ADMIN_WRITES = [
    ("accounts", "create_user", ({"username": "crafted", "role": "admin"}, "correct horse battery")),
    ("accounts", "unlock", (1,)),
    ("sessions", "sign_out_everyone", ()),
]


def _snapshot(db):
    return {t: db.read(f"SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM {t} AS t")[0] for t in TABLES}


def _call(db, actor, module, function, args):
    fn = getattr(importlib.import_module(f"tracker.services.{module}"), function)
    fn(db, actor, *args)


@pytest.fixture
def actors(demo_db):
    demo_db.write(lambda tx: tx.execute("UPDATE users SET disabled = true WHERE username = 'k.nowak'"))
    return {
        "signed out": None,
        "viewer": user(demo_db, "director"),
        "disabled editor": user(demo_db, "k.nowak"),
    }


@pytest.mark.parametrize("who", ["signed out", "viewer", "disabled editor"])
def test_editor_writes_are_refused_for_viewers_and_disabled_accounts(demo_db, actors, who):
    before = _snapshot(demo_db)
    for module, function, args in EDITOR_WRITES:
        with pytest.raises(PermissionDenied):
            _call(demo_db, actors[who], module, function, args)
    assert _snapshot(demo_db) == before


@pytest.mark.parametrize("who", ["viewer", "editor"])
def test_admin_writes_are_refused_for_viewers_and_editors(demo_db, who):
    actor = user(demo_db, {"viewer": "director", "editor": "officer"}[who])
    before = _snapshot(demo_db)
    for module, function, args in ADMIN_WRITES:
        with pytest.raises(PermissionDenied):
            _call(demo_db, actor, module, function, args)
    assert _snapshot(demo_db) == before
