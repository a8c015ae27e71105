"""Imports: the export read back, all or nothing, version-checked, audited, names matched."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import openpyxl
import pytest

from tests.conftest import TODAY
from tracker.domain.errors import ImportRefused, PermissionDenied
from tracker.services import accounts
from tracker.services.exchange import exports, imports
from tracker.store import Database

# Every table an import may change, and its rows (excluding bookkeeping) for before/after checks.
STATE_TABLES = (
    "issues",
    "stage_events",
    "consultations",
    "consultation_issues",
    "joint_positions",
    "joint_position_issues",
    "signatories",
    "organisations",
    "activities",
    "activity_issues",
    "activity_organisations",
    "activity_contacts",
    "audit",
)


@pytest.fixture
def db(demo_db):
    """These tests run on their own copy of the demo data."""
    return demo_db


@pytest.fixture
def officer(db):
    return accounts.get_user(db, "officer")


def state(db: Database) -> dict[str, list]:
    return {t: db.read(f"SELECT * FROM {t} ORDER BY ALL") for t in STATE_TABLES}


def rows_of(data: bytes) -> tuple[list[str], list[list[str]]]:
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return lines[0], lines[1:]


def to_csv(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows([header, *rows])
    return buf.getvalue().encode("utf-8")


def refused(db, officer, table, data, name="f.csv") -> list:
    with pytest.raises(ImportRefused) as exc:
        imports.import_file(db, officer, table, data, name)
    return exc.value.errors


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("table", exports.IMPORTABLE)
def test_unchanged_export_imports_as_a_no_op(db, officer, table, fmt):
    out = exports.export_file(db, officer, table, fmt)
    before = state(db)
    report = imports.import_file(db, officer, table, out.data, out.file_name)
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, out.rows)
    assert state(db) == before


def test_editing_two_rows_and_adding_one_in_excel_changes_exactly_those(db, officer):
    out = exports.export_file(db, officer, "issues", "xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(out.data))
    ws = wb.active
    header = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(header)}
    ws.cell(row=2, column=col["Title"], value="Renamed in Excel")
    new_priority = "high" if ws.cell(row=3, column=col["Priority"]).value == "Low" else "low"
    ws.cell(row=3, column=col["Priority"], value=new_priority)
    ws.cell(row=3, column=col["Next review"], value=dt.datetime(2027, 1, 15))
    new = ws.max_row + 1
    ws.cell(row=new, column=col["Title"], value="A new issue from the spreadsheet")
    ws.cell(row=new, column=col["Tags"], value="MDR; SMEs")
    ws.cell(row=new, column=col["Current stage"], value="Awareness-raising")
    buf = io.BytesIO()
    wb.save(buf)
    first, second = ws.cell(row=2, column=1).value, ws.cell(row=3, column=1).value

    report = imports.import_file(db, officer, "issues", buf.getvalue(), "issues.xlsx")

    assert (report.inserted, report.updated) == (1, 2)
    assert db.read("SELECT title, version FROM issues WHERE id = ?", [first])[0][0] == "Renamed in Excel"
    assert db.read("SELECT priority, next_review FROM issues WHERE id = ?", [second]) == [
        (new_priority, dt.date(2027, 1, 15))
    ]
    created = db.read("SELECT id, tags, created_by FROM issues WHERE title = 'A new issue from the spreadsheet'")
    assert created[0][1:] == (["MDR", "SMEs"], "officer")
    assert db.read("SELECT stage FROM issue_stage WHERE issue_id = ?", [created[0][0]]) == [(1,)]
    entries = db.read(
        "SELECT entity_id, action, changes FROM audit WHERE actor = 'officer' AND entity = 'issue' ORDER BY id"
    )
    assert {(e[0], e[1]) for e in entries} == {(first, "update"), (second, "update"), (created[0][0], "create")}
    changes = {e[0]: json.loads(e[2]) for e in entries}
    assert set(changes[second]) == {"priority", "next_review"}
    assert changes[second]["next_review"][1] == "2027-01-15"
    assert set(changes[first]) == {"title"}


def test_one_bad_row_among_1000_writes_nothing_and_names_its_line(db, officer):
    header = ["Date", "Type", "Summary", "Effort (person-days)", "Issues"]
    rows = [["2026-03-01", "Meeting", f"Meeting {n}", "0.5", "1"] for n in range(1000)]
    rows[636][0] = "03/04/2025"
    before = state(db)
    errors = refused(db, officer, "activities", to_csv(header, rows))
    assert [(e.line, e.field) for e in errors] == [(638, "Date")]
    assert "ambiguous" in errors[0].message and "YYYY-MM-DD" in errors[0].message
    assert state(db) == before


def test_every_bad_row_is_reported_with_line_column_and_reason(db, officer):
    header = ["Date", "Type", "Summary", "Effort (person-days)", "Organisations"]
    rows = [
        ["2026-03-01", "Meeting", "fine", "1", ""],
        ["2026-03-01", "", "no type", "1", ""],
        ["2026-03-01", "Meeting", "too much effort", "400", ""],
        ["2026-03-01", "Meeting", "comma decimal", "1,5", ""],
        ["2026-03-01", "Meeting", "unknown partner", "1", "Nobody Org"],
    ]
    errors = refused(db, officer, "activities", to_csv(header, rows))
    assert [(e.line, e.field) for e in errors] == [
        (3, "Type"),
        (4, "Effort (person-days)"),
        (5, "Effort (person-days)"),
        (6, "Organisations"),
    ]
    assert "unknown organisation 'Nobody Org'" in errors[3].message


def test_stale_version_is_refused_and_names_who_changed_it(db, officer):
    header, rows = rows_of(exports.export_file(db, officer, "organisations", "csv").data)
    db.write(lambda tx: tx.execute("UPDATE organisations SET country = 'Malta', version = version + 1 WHERE id = 1"))
    db.write(lambda tx: tx.audit("admin", "organisation", 1, "update", {"country": ["Germany", "Malta"]}))
    rows[0][header.index("Name")] = "Rhine MedTech Cluster e.V."
    errors = refused(db, officer, "organisations", to_csv(header, rows))
    assert [(e.line, e.field) for e in errors] == [(2, "Version")]
    assert "changed by admin" in errors[0].message
    assert db.read("SELECT name FROM organisations WHERE id = 1") == [("Rhine MedTech Cluster",)]


def test_names_match_case_and_space_insensitively(db, officer):
    header = ["Joint position", "Organisation", "Status", "Date"]
    name = db.read("SELECT name FROM organisations WHERE id = 7")[0][0]
    jp = db.read("SELECT title FROM joint_positions WHERE id = 2")[0][0]
    db.write(lambda tx: tx.execute("DELETE FROM signatories WHERE joint_position_id = 2 AND organisation_id = 7"))
    data = to_csv(header, [[f"  {jp.upper()} ", "  " + "  ".join(name.lower().split()), "agreed", "2026-11-01"]])
    report = imports.import_file(db, officer, "signatories", data, "s.csv")
    assert report.inserted == 1
    assert db.read("SELECT status FROM signatories WHERE joint_position_id = 2 AND organisation_id = 7") == [
        ("agreed",)
    ]


def test_formula_text_round_trips_exactly(db, officer):
    tricky = ["=1+1", "'=already quoted", "-minus", "@at", "plain 'quote"]
    for i, t in enumerate(tricky, start=1):
        db.write(lambda tx, t=t, i=i: tx.execute("UPDATE organisations SET country = ? WHERE id = ?", [t, i]))
    for fmt in ("csv", "xlsx"):
        out = exports.export_file(db, officer, "organisations", fmt)
        report = imports.import_file(db, officer, "organisations", out.data, out.file_name)
        assert report.updated == 0
    assert [r[0] for r in db.read("SELECT country FROM organisations WHERE id <= 5 ORDER BY id")] == tricky


def test_viewer_may_export_but_not_import(db):
    director = accounts.get_user(db, "director")
    out = exports.export_file(db, director, "issues", "csv")
    with pytest.raises(PermissionDenied):
        imports.import_file(db, director, "issues", out.data, out.file_name)


def test_wrong_columns_are_refused_with_the_expected_ones(db, officer):
    errors = refused(db, officer, "issues", b"Title,Colour\nx,red\n")
    assert errors[0].field == "Colour" and "Title" in errors[0].message and errors[0].line == 1


def test_latin1_csv_is_refused_with_advice(db, officer):
    errors = refused(db, officer, "organisations", "Name,Country\nSoci\u00e9t\u00e9,France\n".encode("latin-1"))
    assert "UTF-8" in errors[0].message and errors[0].line == 2


def test_a_file_named_xlsx_that_is_not_one_is_refused(db, officer):
    errors = refused(db, officer, "issues", b"Title\nhello\n", "issues.xlsx")
    assert "not an Excel workbook" in errors[0].message


def test_formula_cells_and_merged_cells_are_refused(db, officer):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Name", "Country"])
    ws.append(["Formula Org", '=UPPER("be")'])
    ws.append(["Merged", "x"])
    ws.merge_cells("A3:B3")
    buf = io.BytesIO()
    wb.save(buf)
    errors = refused(db, officer, "organisations", buf.getvalue(), "o.xlsx")
    assert {(e.line, e.field) for e in errors} >= {(2, "Country"), (3, "column A")}


def test_blank_line_inside_the_data_is_reported(db, officer):
    errors = refused(db, officer, "organisations", b"Name\nOne Org\n\nTwo Org\n\n\n")
    assert [(e.line, e.field) for e in errors] == [(3, "(whole line)")]


def test_unknown_id_and_duplicate_id_are_refused(db, officer):
    header, rows = rows_of(exports.export_file(db, officer, "organisations", "csv").data)
    rows[0][0] = "99999"
    rows[2][0] = rows[1][0]
    errors = refused(db, officer, "organisations", to_csv(header, rows))
    assert [(e.line, e.field) for e in errors] == [(2, "ID"), (4, "ID")]


def test_an_id_beyond_the_database_range_is_refused_by_line(db, officer):
    data = to_csv(["ID", "Version", "Title"], [["99999999999999999999999", "1", "MDR"], ["9" * 5000, "1", "x"]])
    errors = refused(db, officer, "issues", data)
    assert [(e.line, e.field) for e in errors] == [(2, "ID"), (3, "ID")]
    assert "too large" in errors[0].message


def test_new_stage_event_moves_the_issue_and_bumps_its_version(db, officer):
    stage, version = db.read(
        "SELECT s.stage, i.version FROM issues i JOIN issue_stage s ON s.issue_id = i.id WHERE i.id = 4"
    )[0]
    target = "Policy uptake" if stage < 5 else "Formal input"
    data = to_csv(
        ["Issue", "To stage", "Date", "Note", "Evidence reference"],
        [["4", target, TODAY.isoformat(), "Moved by import", "Amendment 12"]],
    )
    report = imports.import_file(db, officer, "stage_events", data, "e.csv")
    assert report.inserted == 1
    assert db.read(
        "SELECT i.version, s.stage FROM issues i JOIN issue_stage s ON s.issue_id = i.id WHERE i.id = 4"
    ) == [(version + 1, 5 if stage < 5 else 3)]


def test_stage_events_out_of_order_or_edited_are_refused(db, officer):
    stage, since = db.read("SELECT stage, stage_since FROM issue_stage WHERE issue_id = 4")[0]
    early = (since - dt.timedelta(days=1)).isoformat()
    target = "Watching" if stage else "Awareness-raising"
    data = to_csv(["Issue", "To stage", "Date", "Note", "Evidence reference"], [["4", target, early, "why", "x"]])
    errors = refused(db, officer, "stage_events", data)
    assert [(e.line, e.field) for e in errors] == [(2, "Date")] and "date order" in errors[0].message
    header, rows = rows_of(exports.export_file(db, officer, "stage_events", "csv").data)
    rows[0][header.index("Note")] = "rewritten history"
    errors = refused(db, officer, "stage_events", to_csv(header, rows))
    assert "cannot be changed" in errors[0].message


def test_model_rules_across_fields_are_applied(db, officer):
    data = to_csv(["Title", "Authority", "Opens", "Closes"], [["C", "DG GROW", "2026-05-01", "2026-04-01"]])
    errors = refused(db, officer, "consultations", data)
    assert [(e.line, e.field) for e in errors] == [(2, "Closes")]


def test_import_writes_audit_entries_for_the_importing_user(db, officer):
    data = to_csv(["Name", "Country", "Partner"], [["Brand New Cluster", "Belgium", "yes"]])
    imports.import_file(db, officer, "organisations", data, "orgs.csv")
    new_id = db.read("SELECT id FROM organisations WHERE name = 'Brand New Cluster'")[0][0]
    entry = db.read(
        "SELECT actor, action, changes FROM audit WHERE entity = 'organisation' AND entity_id = ?", [new_id]
    )
    assert entry[0][:2] == ("officer", "create")
    assert json.loads(entry[0][2])["name"] == [None, "Brand New Cluster"]
    assert db.read("SELECT actor FROM audit WHERE entity = 'import'") == [("officer",)]


def test_dry_run_reports_and_writes_nothing(db, officer):
    data = to_csv(["Name"], [["Dry Run Org"]])
    before = state(db)
    report = imports.import_file(db, officer, "organisations", data, "o.csv", dry_run=True)
    assert report.inserted == 1
    assert state(db) == before


def test_errors_csv_lists_line_column_reason():
    from tracker.domain.errors import FieldError

    rows = list(csv.reader(io.StringIO(imports.errors_csv([FieldError("Date", "=bad", 7)]).decode("utf-8-sig"))))
    assert rows == [["Line", "Column", "Reason"], ["7", "Date", "'=bad"]]
