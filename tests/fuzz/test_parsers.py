"""The import parsers, fed hostile files: a report or a refusal naming lines and columns,
never another exception, never a changed schema."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.conftest import account
from tracker.domain.errors import ImportRefused, InvalidInput
from tracker.services import integrity
from tracker.services.exchange import have_your_say, imports, spreadsheet

from .conftest import schema_of
from .hostile import DATE_WORDS, NUMBER_WORDS, cells, scalars

SETTINGS = settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
# Examples that import into the database cost a transaction each: fewer of them.
DB_SETTINGS = settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def audit_count(db) -> int:
    return db.read("SELECT count(*) FROM audit")[0][0]


HYS_COLUMNS = [
    "initiative_id",
    "initiative_name",
    "initiative_url",
    "consultation_url",
    "topic",
    "consultation_period",
    "consultation_start_date",
    "consultation_end_date",
    "consultation_year",
    "total_feedback",
]
HYS_ROW = [
    "13698",
    "VAT package for travel and tourism",
    "https://ec.europa.eu/info/law/better-regulation/have-your-say/initiatives/13698-VAT-package",
    "https://ec.europa.eu/info/law/better-regulation/have-your-say/initiatives/13698-VAT-package/public-consultation_en",
    "Taxation",
    "24 July 2025 - 16 October 2025",
    "24 July 2025",
    "16 October 2025",
    "2025",
    "244",
]


def csv_bytes(header: list[str], rows: list[list[str]], delimiter: str = ",") -> bytes:
    buf = io.StringIO()
    out = csv.writer(buf, delimiter=delimiter)
    out.writerow(header)
    out.writerows(rows)
    return buf.getvalue().encode("utf-8", errors="surrogatepass")


def hostile_rows(base: list[str], n_columns: int) -> st.SearchStrategy[list[list[str]]]:
    """Rows that start valid and get some cells replaced by hostile text."""

    def damage(row: list[str], changes: list[tuple[int, str]]) -> list[str]:
        row = list(row)
        for i, value in changes:
            row[i % n_columns] = value
        return row

    row = st.builds(damage, st.just(base), st.lists(st.tuples(st.integers(0, n_columns - 1), cells), max_size=3))
    return st.lists(row, min_size=1, max_size=4)


@SETTINGS
@given(data=st.binary(max_size=2000), name=st.sampled_from(["export.csv", "export.json", "export", "x.xlsx"]))
def test_have_your_say_reader_refuses_garbage_cleanly(data, name):
    try:
        records, fmt, _notes = have_your_say.read_export(data, name)
    except ImportRefused as exc:
        assert str(exc)
        return
    assert fmt in ("CSV", "JSON") and isinstance(records, list)


@SETTINGS
@given(text=st.one_of(cells, st.sampled_from(DATE_WORDS + NUMBER_WORDS)))
def test_have_your_say_dates_are_dates_or_value_errors(text):
    try:
        have_your_say.parse_date(text)
    except ValueError as exc:
        assert str(exc)


@DB_SETTINGS
@given(rows=hostile_rows(HYS_ROW, len(HYS_COLUMNS)), as_json=st.booleans(), delimiter=st.sampled_from([",", ";"]))
def test_have_your_say_import_stores_text_or_refuses_by_line(fuzz_db, rows, as_json, delimiter):
    schema = schema_of(fuzz_db)
    actor = account(fuzz_db, "officer")
    if as_json:
        data = json.dumps([dict(zip(HYS_COLUMNS, r, strict=True)) for r in rows]).encode()
        name = "export.json"
    else:
        data = csv_bytes(HYS_COLUMNS, rows, delimiter)
        name = "export.csv"
    logged = audit_count(fuzz_db)
    try:
        have_your_say.import_export(fuzz_db, actor, data, filename=name)
    except ImportRefused as exc:
        assert exc.errors or getattr(exc, "reason", None)
        for err in exc.errors:
            assert err.field and err.message
        assert audit_count(fuzz_db) == logged, "a refused import wrote something"
    else:
        assert integrity.check(fuzz_db).ok
    assert schema_of(fuzz_db) == schema


@SETTINGS
@given(
    data=st.one_of(st.binary(max_size=3000), st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass"))),
    name=st.sampled_from(["file.csv", "file.xlsx", "file.txt", "file"]),
)
def test_spreadsheet_reader_refuses_garbage_cleanly(data, name):
    try:
        sheet = spreadsheet.read(data, name)
    except (ImportRefused, InvalidInput) as exc:
        assert str(exc)
        return
    assert sheet is not None


ACTIVITY_HEADER = ["Date", "Type", "Summary", "Effort (person-days)", "Funding source", "Issues", "Organisations"]
ACTIVITY_ROW = ["2026-11-20", "Meeting", "Met the rapporteur", "0.5", "Membership fees", "#3", "#5"]
ISSUE_HEADER = ["Title", "Summary", "Level", "Priority", "Our position", "Member relevance", "Tags", "Next review"]
ISSUE_ROW = ["Battery passport", "A summary", "EU", "High", "Support", "4", "batteries; SMEs", "2027-01-15"]


@DB_SETTINGS
@given(
    table=st.sampled_from(["activities", "issues"]),
    data=st.data(),
)
def test_spreadsheet_import_stores_text_or_refuses_by_line(fuzz_db, table, data):
    header, base = (ACTIVITY_HEADER, ACTIVITY_ROW) if table == "activities" else (ISSUE_HEADER, ISSUE_ROW)
    rows = data.draw(hostile_rows(base, len(header)))
    schema = schema_of(fuzz_db)
    actor = account(fuzz_db, "officer")
    logged = audit_count(fuzz_db)
    try:
        report = imports.import_file(fuzz_db, actor, table, csv_bytes(header, rows), f"{table}.csv")
    except ImportRefused as exc:
        assert exc.errors
        for err in exc.errors:
            assert err.field and err.message and (err.line is None or err.line >= 1)
        assert audit_count(fuzz_db) == logged, "a refused import wrote something"
    else:
        assert report.inserted == len(rows)
        assert integrity.check(fuzz_db).ok
    assert schema_of(fuzz_db) == schema


@DB_SETTINGS
@given(value=scalars)
def test_a_whole_column_of_one_hostile_value(fuzz_db, value):
    """The importer validates each column's distinct values at once: one odd value in every
    line must still be refused (or stored) line by line."""
    from .hostile import cell_text

    rows = [[*ACTIVITY_ROW[:2], cell_text(value), *ACTIVITY_ROW[3:]] for _ in range(3)]
    actor = account(fuzz_db, "officer")
    try:
        imports.import_file(fuzz_db, actor, "activities", csv_bytes(ACTIVITY_HEADER, rows), "a.csv")
    except ImportRefused as exc:
        assert {e.line for e in exc.errors} <= {2, 3, 4}


def test_an_id_cell_beyond_bigint_is_refused_by_line(fuzz_db):
    data = csv_bytes(["ID", "Version", "Title"], [["99999999999999999999999", "1", "MDR"]])
    with pytest.raises(ImportRefused):
        imports.import_file(fuzz_db, account(fuzz_db, "officer"), "issues", data, "issues.csv")


@pytest.mark.parametrize("data", [b"\r\x00", b"Title\r\x00x"])
def test_a_stray_carriage_return_is_read_or_refused_never_a_crash(data):
    try:
        sheet = spreadsheet.read(data, "file.csv")
    except (ImportRefused, InvalidInput):
        return
    assert sheet.headers
