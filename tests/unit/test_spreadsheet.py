"""Spreadsheet files: formula neutralising that round-trips, readers that explain what is wrong."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.errors import ImportRefused
from tracker.services.exchange import spreadsheet, writing
from tracker.services.exchange.writing import OutColumn


@pytest.mark.parametrize("text", ["=1+1", "+31 20", "-x", "@SUM(A1)", "\tx", "\rx", "'=x"])
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert writing.neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["plain", "'quoted'", "", "1=1", " =x"])
def test_harmless_text_is_left_alone(text):
    assert writing.neutralise(text) == text
    assert writing.unneutralise(text) == text


@given(st.text())
def test_neutralising_round_trips_exactly(text):
    assert writing.unneutralise(writing.neutralise(text)) == text


def test_csv_and_xlsx_keep_numbers_numbers_and_dates_dates():
    cols = [OutColumn("Amount", "decimal"), OutColumn("Negative", "int"), OutColumn("Day", "date"), OutColumn("Note")]
    row = [1.5, -3, dt.date(2026, 11, 27), "-not a number"]
    assert writing.write_csv(cols, [row]).decode("utf-8-sig").splitlines()[1] == "1.5,-3,2026-11-27,'-not a number"
    ws = openpyxl.load_workbook(io.BytesIO(writing.write_xlsx("T", cols, [row]))).active
    assert [c.data_type for c in ws[2]] == ["n", "n", "d", "s"]
    assert ws["C2"].number_format == "yyyy-mm-dd"


def test_semicolon_csv_from_a_european_excel_is_read():
    sheet = spreadsheet.read(b"Name;Country\nA;Belgium\n", "x.csv")
    assert sheet.headers == ["Name", "Country"] and sheet.rows == [["A", "Belgium"]]


def test_tab_separated_text_pasted_from_a_spreadsheet_is_read():
    sheet = spreadsheet.read("\ufeffName\tCountry\nA\tBelgium\n".encode(), "x.csv")
    assert sheet.headers == ["Name", "Country"] and sheet.rows == [["A", "Belgium"]]


def test_a_windows_encoded_csv_is_refused_naming_its_line():
    data = "Name,Country\nA,Belgium\nCafé,France\n".encode("cp1252")
    with pytest.raises(ImportRefused) as exc:
        spreadsheet.read(data, "x.csv")
    [error] = exc.value.errors
    assert error.line == 3 and "not UTF-8" in error.message and "CSV UTF-8" in error.message


def test_multiline_cells_keep_spreadsheet_line_numbers():
    sheet = spreadsheet.read(b'Name,Note\nA,"two\nlines"\nB,x\n', "x.csv")
    assert sheet.lines == [2, 3] and sheet.rows[0][1] == "two\nlines"


def test_old_excel_and_other_files_are_refused_with_advice():
    with pytest.raises(ImportRefused, match="unusable") as exc:
        spreadsheet.read(b"x", "book.xls")
    assert ".xlsx" in exc.value.errors[0].message
    with pytest.raises(ImportRefused):
        spreadsheet.read(b"x", "notes.txt")


def test_uploads_over_50_mb_are_refused():
    assert spreadsheet.MAX_BYTES == 50 * 1024 * 1024
    with pytest.raises(ImportRefused) as exc:
        spreadsheet.read(b"Name\n" + b"x" * 2_000_000, "big.csv", max_bytes=1_048_576)
    assert "the limit is 1 MB" in exc.value.errors[0].message


def test_real_excel_dates_come_back_as_dates():
    wb = openpyxl.Workbook()
    wb.active.append(["Date"])
    wb.active.append([dt.date(2025, 3, 4)])
    buf = io.BytesIO()
    wb.save(buf)
    sheet = spreadsheet.read(buf.getvalue(), "d.xlsx")
    assert sheet.rows[0][0] == dt.datetime(2025, 3, 4)
