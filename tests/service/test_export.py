"""Exports: readable headers, labels, real dates and numbers, neutralised formulas, every table."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest

from tracker.domain.errors import InvalidInput, PermissionDenied
from tracker.services import accounts
from tracker.services.exchange import exports


@pytest.fixture
def db(demo_db):
    """These tests run on their own copy of the demo data."""
    return demo_db


@pytest.fixture
def director(db):
    return accounts.get_user(db, "director")


def _sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def _csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_issue_headers_are_readable_and_enums_are_labels(db, director):
    rows = _csv(exports.export_file(db, director, "issues", "csv").data)
    assert {"Title", "Current stage", "Lifecycle status", "Our position", "Version", "ID"} <= set(rows[0])
    assert {r["Lifecycle status"] for r in rows} <= {"Active", "Paused", "Won", "Lost", "Dropped"}
    assert rows[0]["Current stage"] in {
        "Watching",
        "Awareness-raising",
        "Positioning & mobilising",
        "Formal input",
        "Active influencing",
        "Policy uptake",
    }


def test_xlsx_has_real_dates_and_numbers(db, director):
    ws = _sheet(exports.export_file(db, director, "activities", "xlsx").data)
    header = [c.value for c in ws[1]]
    row = ws[2]
    date_cell = row[header.index("Date")]
    assert isinstance(date_cell.value, dt.datetime) and date_cell.is_date
    assert row[header.index("ID")].data_type == "n"
    assert isinstance(row[header.index("Effort (person-days)")].value, (int, float))


def test_csv_dates_are_iso(db, director):
    rows = _csv(exports.export_file(db, director, "activities", "csv").data)
    assert dt.date.fromisoformat(rows[0]["Date"])


def test_links_are_id_and_title_joined_with_semicolons(db, director):
    db.write(lambda tx: tx.execute("INSERT INTO consultation_issues VALUES (1, 2), (1, 3) ON CONFLICT DO NOTHING"))
    rows = _csv(exports.export_file(db, director, "consultations", "csv").data)
    first = next(r for r in rows if r["ID"] == "1")
    titles = dict(db.read("SELECT id, title FROM issues WHERE id IN (2, 3)"))
    assert f"2: {titles[2]}; 3: {titles[3]}" in first["Linked issues"]


def test_formula_payloads_are_neutralised_in_xlsx_cells(db, director):
    payloads = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "=1+1"]
    for i, p in enumerate(payloads, start=1):
        db.write(lambda tx, p=p, i=i: tx.execute("UPDATE issues SET title = ?, owner = ? WHERE id = ?", [p, p, i]))
    ws = _sheet(exports.export_file(db, director, "issues", "xlsx").data)
    header = [c.value for c in ws[1]]
    cells = [ws.cell(row=r, column=header.index("Title") + 1) for r in range(2, 2 + len(payloads))]
    assert all(c.data_type == "s" for c in cells)
    assert [c.value for c in cells] == ["'" + p for p in payloads]
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_formula_payloads_are_neutralised_in_csv(db, director):
    db.write(lambda tx: tx.execute("UPDATE issues SET title = '=cmd|'' /C calc''!A0' WHERE id = 1"))
    rows = _csv(exports.export_file(db, director, "issues", "csv").data)
    assert rows[0]["Title"] == "'=cmd|' /C calc'!A0"


@pytest.mark.parametrize("table", exports.TABLE_NAMES)
def test_every_table_exports_in_both_formats(db, director, table):
    for fmt in ("csv", "xlsx"):
        out = exports.export_file(db, director, table, fmt)
        assert out.file_name == f"{table.replace('_', '-')}-2026-11-27.{fmt}"
        assert out.rows > 0


def test_export_of_selected_ids_keeps_the_page_order(db, director):
    _cols, rows = exports.export_rows(db, director, "issues", ids=[5, 2, 9])
    assert [r[0] for r in rows] == [5, 2, 9]


def test_unknown_table_and_format_are_refused(db, director):
    with pytest.raises(InvalidInput):
        exports.export_file(db, director, "users", "csv")
    with pytest.raises(InvalidInput):
        exports.export_file(db, director, "issues", "pdf")


def test_signed_out_user_cannot_export(db, director):
    gone = director.model_copy(update={"disabled": True})
    with pytest.raises(PermissionDenied):
        exports.export_file(db, gone, "issues", "csv")


def test_frame_export_neutralises_and_keeps_numbers():
    import pandas as pd

    frame = pd.DataFrame({"Name": ["=evil()", "ok"], "Count": [3, 4]})
    ws = _sheet(exports.export_frame(frame, "xlsx", "Custom").data)
    assert ws["A2"].value == "'=evil()" and ws["A2"].data_type == "s"
    assert ws["B2"].value == 3 and ws["B2"].data_type == "n"


def test_timestamps_are_in_the_organisations_time_zone(db, director):
    db.write(
        lambda tx: tx.execute("UPDATE organisations SET updated_at = TIMESTAMP '2026-07-01 10:00:00' WHERE id = 1")
    )
    rows = _csv(exports.export_file(db, director, "organisations", "csv").data)
    assert rows[0]["Last updated"] == "2026-07-01 12:00:00"  # Brussels summer time, UTC+2
