"""Fixtures for fuzzing: one demo database per test function (examples share it), and a
fingerprint of the schema that hostile input must never change."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DemoTemplate, copy_of
from tracker.store import Database


@pytest.fixture
def fuzz_db(demo_template: DemoTemplate, tmp_path: Path) -> Iterator[Database]:
    db = Database.open(copy_of(demo_template(), tmp_path / "fuzz.duckdb"))
    yield db
    db.close()


def schema_of(db: Database) -> list[tuple[object, ...]]:
    """Tables, columns and their types, views and sequences: what hostile input must not change."""
    return (
        db.read(
            "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns "
            "ORDER BY table_name, ordinal_position"
        )
        + db.read("SELECT view_name, sql FROM duckdb_views() WHERE NOT internal ORDER BY view_name")
        + db.read("SELECT sequence_name FROM duckdb_sequences() ORDER BY sequence_name")
        + db.read("SELECT index_name, sql FROM duckdb_indexes() ORDER BY index_name")
    )
