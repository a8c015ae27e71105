"""Upgrading a database in use: one made at the first schema, full of rows, opened by this code
migrates to the latest schema, loses or changes nothing, and passes the integrity check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import ROOT, user
from tracker.services import issues
from tracker.store import Database
from tracker.store import database as database_module
from tracker.store.migrations import LATEST, MIGRATIONS

FIRST = MIGRATIONS[0]

# Rows of every table of the first schema, as the code of that time wrote them (ids from the
# sequences). Issue 1 was edited once (version 2, audited); organisation 3 was merged into 1.
ROWS = """
INSERT INTO users (username, display_name, email, role, password_hash, is_demo, created_at) VALUES
    ('ada', 'Ada Admin', 'ada@example.org', 'admin', '$argon2id$v=19$m=65536,t=3,p=4$x$y', false, '2026-01-02 08:00'),
    ('olivia', 'Olivia Officer', NULL, 'editor', '$argon2id$v=19$m=65536,t=3,p=4$x$z', false, '2026-01-02 08:01');
INSERT INTO reference_values (kind, value, position) VALUES
    ('policy_area', 'Public health', 1), ('activity_type', 'Meeting', 1), ('member_segment', 'SMEs', 1);
INSERT INTO organisations (name, type, country, transparency_register, is_partner, website, created_at) VALUES
    ('Health Alliance Europe', 'NGO', 'Belgium', '123456789-01', true, 'https://hae.example.org', '2026-01-03 09:00'),
    ('Patients First', 'Patient group', 'France', NULL, false, NULL, '2026-01-03 09:01'),
    ('Health Aliance Europe', 'NGO', 'Belgium', NULL, false, NULL, '2026-01-03 09:02');
UPDATE organisations SET merged_into = 1, deleted_at = '2026-02-01 10:00' WHERE id = 3;
INSERT INTO contacts (name, role, institution, organisation_id, email, phone, created_at) VALUES
    ('Jan Peeters', 'Policy adviser', 'European Parliament', 1, 'jan@example.org', '+32 2 000 00 00',
     '2026-01-04 09:00');
INSERT INTO issues (title, summary, policy_area, level, policy_reference, reference_url, policy_cycle, owner,
                    priority, position, ask, member_relevance, member_segments, why_it_matters, target_stage,
                    lifecycle, next_review, tags, created_at, created_by, updated_at, updated_by, version) VALUES
    ('MDR transition', 'Extend the **transition** period.', 'Public health', 'eu', '2023/607',
     'https://eur-lex.europa.eu/eli/reg/2023/607/oj', 'implementation', 'olivia', 'high', 'amend',
     'Extend to 2030', 4, ['SMEs'], 'Devices may leave the market', 4, 'active', '2026-12-15',
     ['devices', 'health'], '2026-01-05 09:00', 'olivia', '2026-03-01 10:00', 'olivia', 2),
    ('Tobacco excise', NULL, NULL, 'national', NULL, NULL, NULL, NULL, 'low', 'neutral', NULL, 1, [], NULL, 2,
     'paused', NULL, [], '2026-01-06 09:00', 'olivia', NULL, NULL, 1);
INSERT INTO stage_events (issue_id, from_stage, to_stage, event_date, author, note, evidence_ref, evidence_url,
                          recorded_at) VALUES
    (1, NULL, 0, '2026-01-05', 'olivia', NULL, NULL, NULL, '2026-01-05 09:00'),
    (1, 0, 2, '2026-03-01', 'olivia', 'Letter sent', 'Letter 12', 'https://example.org/l12', '2026-03-01 10:00'),
    (2, NULL, 1, '2026-01-06', 'olivia', NULL, NULL, NULL, '2026-01-06 09:00');
INSERT INTO consultations (title, authority, policy_areas, type, reference, url, opens, closes, response_status,
                           submitted_on, feedback_reference, joint_position_id, source, total_feedback,
                           created_at) VALUES
    ('MDR targeted revision', 'European Commission — DG SANTE', ['Public health'], 'call_for_evidence',
     'Ares(2026)123', 'https://ec.europa.eu/info/law/better-regulation/have-your-say/initiatives/1', '2026-02-01',
     '2026-03-15', 'submitted', '2026-03-10', 'F123456', 1, 'have_your_say', 87, '2026-02-01 09:00');
INSERT INTO consultation_issues VALUES (1, 1);
INSERT INTO joint_positions (title, summary, status, lead_organisation_id, consultation_id, target_institution,
                             published_on, document_url, created_at) VALUES
    ('Joint call on MDR', 'Patients and industry together', 'published', 1, 1, 'European Commission',
     '2026-03-08', 'https://example.org/joint.pdf', '2026-02-10 09:00');
INSERT INTO joint_position_issues VALUES (1, 1);
INSERT INTO signatories (joint_position_id, organisation_id, status, status_date, created_at) VALUES
    (1, 1, 'agreed', '2026-02-20', '2026-02-10 09:05'), (1, 2, 'invited', '2026-02-10', '2026-02-10 09:06');
INSERT INTO activities (activity_date, type, summary, outcome, is_influencing, effort_days, funding_source,
                        follow_up, created_by, created_at) VALUES
    ('2026-02-25', 'Meeting', 'Met the rapporteur', 'Supportive', true, 1.5, 'Core', '2026-04-01', 'olivia',
     '2026-02-25 17:00');
INSERT INTO activity_issues VALUES (1, 1);
INSERT INTO activity_organisations VALUES (1, 2);
INSERT INTO activity_contacts VALUES (1, 1);
INSERT INTO audit ("at", actor, entity, entity_id, action, changes) VALUES
    ('2026-01-02 08:00', 'system', 'user', 1, 'create', '{"username": [null, "ada"]}'),
    ('2026-01-05 09:00', 'olivia', 'issue', 1, 'create', '{"title": [null, "MDR transition"]}'),
    ('2026-03-01 10:00', 'olivia', 'issue', 1, 'move stage', '{"stage": [0, 2]}'),
    ('2026-02-01 10:00', 'olivia', 'organisation', 3, 'merge', '{"merged_into": [null, 1]}'),
    ('2026-02-10 09:05', 'olivia', 'joint_position', 1, 'add signatory', '{"organisation_id": [null, 1]}'),
    ('2026-02-15 12:00', 'olivia', 'organisations', NULL, 'import', '{"inserted": 2}');
INSERT INTO sessions (token_hash, username, created_at, expires_at) VALUES
    ('a1b2', 'olivia', '2026-11-26 08:00', '2026-11-26 20:00');
INSERT INTO calendar_tokens (token_hash, username, created_at) VALUES ('c3d4', 'olivia', '2026-06-01 08:00');
INSERT INTO backups VALUES ('/backups/tracker-20260301-020000', '2026-03-01 02:00', 'nightly', 1, true, NULL);
"""


def first_schema_database(path: Path) -> None:
    """Migration 001 only, applied and recorded the way Database.migrate does, then ROWS."""
    conn = duckdb.connect(str(path))
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
            "applied_at TIMESTAMP NOT NULL DEFAULT (now()::TIMESTAMP))"
        )
        number, name, sql = FIRST
        conn.execute("BEGIN TRANSACTION")
        conn.execute(sql)
        conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name])
        conn.execute("COMMIT")
        conn.execute(ROWS)
        conn.execute("CHECKPOINT")
    finally:
        conn.close()


def contents(read: Any, tables: dict[str, list[str]] | None = None) -> dict[str, tuple[list[str], list[Any]]]:
    """Every table's columns and rows (only the given columns of the given tables, if any)."""
    if tables is None:
        names = read(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
            "AND table_name <> 'schema_migrations' ORDER BY table_name"
        )
        tables = {
            t: [
                c
                for (c,) in read(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                    [t],
                )
            ]
            for (t,) in names
        }
    out = {}
    for table, cols in tables.items():
        listed = ", ".join(f'"{c}"' for c in cols)
        out[table] = (cols, read(f'SELECT {listed} FROM "{table}" ORDER BY ALL'))
    return out


def differences(before: dict[str, tuple[list[str], list[Any]]], db: Database) -> list[str]:
    """What of ``before`` the upgraded database no longer holds as it was."""
    have = {t: set(cols) for t, (cols, _) in contents(db.read).items()}
    found = []
    for table, (cols, rows) in before.items():
        if table not in have:
            found.append(f"table {table} is gone")
            continue
        if missing := [c for c in cols if c not in have[table]]:
            found.append(f"{table} lost the columns {', '.join(missing)}")
            continue
        if contents(db.read, {table: cols})[table][1] != rows:
            found.append(f"{table}: the rows changed")
    return found


def schema(db: Database) -> list[tuple[Any, ...]]:
    return (
        db.read(
            "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns "
            "WHERE table_name <> 'schema_migrations' ORDER BY table_name, ordinal_position"
        )
        + db.read("SELECT view_name, sql FROM duckdb_views() WHERE NOT internal ORDER BY view_name")
        + db.read("SELECT sequence_name FROM duckdb_sequences() ORDER BY sequence_name")
        + db.read("SELECT index_name, sql FROM duckdb_indexes() ORDER BY index_name")
    )


@pytest.fixture
def old(tmp_path: Path) -> tuple[Path, dict[str, tuple[list[str], list[Any]]]]:
    """A first-schema database full of rows, and what it held."""
    path = tmp_path / "old.duckdb"
    first_schema_database(path)
    conn = duckdb.connect(str(path), read_only=True)
    try:
        held = contents(lambda sql, params=None: conn.execute(sql, params).fetchall())
    finally:
        conn.close()
    assert all(rows for _, rows in held.values()), "every table of the first schema has rows"
    return path, held


def test_every_row_survives_the_upgrade_to_the_latest_schema(old, tmp_path):
    path, held = old
    db = Database.open(path)
    try:
        assert db.schema_version() == LATEST and db.pending_migrations() == []
        assert differences(held, db) == []
        assert db.read("SELECT id, epoch FROM data_epoch") == [(1, 0)]  # migration 006
        assert db.read("SELECT stage FROM issue_stage ORDER BY issue_id") == [(2,), (1,)]
        fresh = Database.open(tmp_path / "fresh.duckdb", create=True)
        try:
            assert schema(db) == schema(fresh), "an upgraded database has exactly the schema of a new one"
        finally:
            fresh.close()
    finally:
        db.close()


def test_the_upgraded_database_works_and_passes_the_check(old):
    path, _ = old
    db = Database.open(path)
    try:
        issue = issues.create(db, user(db, "olivia"), {"title": "Battery passport"})
        assert issue.id == 3  # the id sequences carried on
        assert issues.get(db, 1).tags == ["devices", "health"]
        assert db.data_epoch() == 1
    finally:
        db.close()
    result = subprocess.run(
        [sys.executable, "-m", "etl", "check", "--db", str(path)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_a_migration_that_loses_data_is_caught(old, monkeypatch):
    path, held = old
    careless = (LATEST + 1, "careless", "ALTER TABLE contacts DROP COLUMN phone; DELETE FROM audit WHERE id = 6;")
    monkeypatch.setattr(database_module, "MIGRATIONS", [*MIGRATIONS, careless])
    monkeypatch.setattr(database_module, "LATEST", LATEST + 1)
    db = Database.open(path)
    try:
        assert differences(held, db) == ["audit: the rows changed", "contacts lost the columns phone"]
    finally:
        db.close()
