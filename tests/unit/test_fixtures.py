"""The shared database fixtures: every test works on its own copy, never on the templates."""

from __future__ import annotations

import hashlib

from tests.conftest import TODAY


def _digest(path) -> str:  # type: ignore[no-untyped-def]
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_write_to_demo_db_leaves_the_template_as_it_was(demo_db, demo_template, tmp_path):
    template = demo_template()
    before = _digest(template)
    demo_db.write(lambda tx: tx.execute("DELETE FROM activities"))
    assert demo_db.path.parent == tmp_path and demo_db.path != template
    assert _digest(template) == before


def test_the_demo_copy_holds_the_demo_data_for_today(demo_db):
    assert demo_db.read("SELECT count(*) FROM issues") == [(50,)]
    assert demo_db.read("SELECT max(event_date) <= ? FROM stage_events", [TODAY]) == [(True,)]


def test_the_empty_database_is_a_copy_with_the_schema_and_no_rows(db, empty_template, tmp_path):
    assert db.path.parent == tmp_path and db.path != empty_template
    assert db.pending_migrations() == [] and db.read("SELECT count(*) FROM issues") == [(0,)]
