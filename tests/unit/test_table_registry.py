"""The table registry agrees with the input models, the store's column lists, the export layout
and the schema a fresh database gets: a column forgotten in one of them fails here."""

from __future__ import annotations

import pytest

from tracker.services.exchange.layout import TABLES as EXPORT_LAYOUT
from tracker.store import Database, activities, consultations, contacts, issues, joint_positions, organisations
from tracker.store.tables import LINK_TABLES, TABLES

# Export columns that are not stored on the table but computed from others.
DERIVED = {"issues": {"stage", "stage_since"}}
# Each store module's own name for its editable columns.
STORE_EDITABLE = {
    "issues": issues.INPUT_COLUMNS,
    "consultations": consultations.FIELDS,
    "joint_positions": joint_positions.EDITABLE,
    "organisations": organisations.EDITABLE,
    "contacts": contacts.EDITABLE,
    "activities": activities.EDITABLE,
}
WITH_MODEL = [t for t in TABLES.values() if t.model is not None]


@pytest.mark.parametrize("table", WITH_MODEL, ids=lambda t: t.name)
def test_every_input_field_is_an_editable_column_a_link_or_a_key(table):
    assert table.model is not None
    fields = set(table.model.model_fields)
    links = {link.field for link in table.links}
    assert set(table.editable) <= fields, f"{table.name}: editable columns the model lacks"
    assert links <= fields, f"{table.name}: link fields the model lacks"
    assert fields - set(table.editable) - links <= set(table.keys), f"{table.name}: model fields with no column"


@pytest.mark.parametrize("name", sorted(STORE_EDITABLE))
def test_the_store_edits_the_registry_columns_in_order(name):
    assert tuple(STORE_EDITABLE[name]) == TABLES[name].editable


def test_activity_links_are_the_registry_links():
    assert {f: t for f, (t, _c) in activities.LINKS.items()} == {
        link.field: link.table for link in TABLES["activities"].links
    }


@pytest.mark.parametrize("name", sorted(EXPORT_LAYOUT))
def test_export_columns_are_the_registry_columns(name):
    spec, table = EXPORT_LAYOUT[name], TABLES[name]
    assert table.exported and spec.entity == table.entity and spec.model is table.model
    exported = {c.field for c in spec.columns}
    links = {link.field for link in table.links}
    assert set(table.editable) | links <= exported, f"{name}: editable columns missing from the export"
    assert exported <= set(table.columns) | links | DERIVED.get(name, set()), f"{name}: exported columns not stored"
    assert set(spec.key_fields) <= set(table.keys)


def test_every_exported_table_has_an_export_layout():
    assert {t.name for t in TABLES.values() if t.exported} == set(EXPORT_LAYOUT)


def test_a_fresh_database_has_exactly_the_registry_columns(tmp_path):
    db = Database.open(tmp_path / "fresh.duckdb", create=True)
    try:
        rows = db.read("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'")
    finally:
        db.close()
    stored: dict[str, set[str]] = {}
    for table_name, column in rows:
        stored.setdefault(table_name, set()).add(column)
    for name, table in TABLES.items():
        assert set(table.columns) == stored.get(name, set()), name
    for name, link in LINK_TABLES.items():
        assert {link.owner, link.column} == stored.get(name, set()), name


def test_every_reference_names_a_registry_table():
    for table in TABLES.values():
        assert set(table.references.values()) <= set(TABLES), table.name
        assert {link.target for link in table.links} <= set(TABLES), table.name
        assert {c.column for c in table.closed} <= set(table.columns), table.name
