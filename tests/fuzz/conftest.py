"""Fixtures for fuzzing: one demo database per test function (examples share it), and a
fingerprint of the schema that hostile input must never change."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import TODAY
from tracker.services import demo as demo_data
from tracker.store import Database


@pytest.fixture(scope="session")
def fuzz_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz-template") / "demo.duckdb"
    db = Database.open(path, create=True)
    demo_data.generate(db, scale="S", seed=7, today=TODAY)
    with db.cursor() as cur:
        cur.execute("CHECKPOINT")
    db.close()
    return path


@pytest.fixture
def fuzz_db(fuzz_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "fuzz.duckdb"
    shutil.copyfile(fuzz_template, path)
    db = Database.open(path)
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
