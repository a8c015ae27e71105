"""Files in and out through the browser: Excel and calendar downloads, the Have Your Say upload."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import icalendar
import openpyxl
from playwright.sync_api import Download, Locator, Page, expect

from .helpers import create_issue, main, open_page, settle, visit

FORMULA_TITLE = '=HYPERLINK("http://x","y")'
# The Commission's real export (../shared/data, as in the issue, or the copy in tests/data).
from tests.real_data import HAVE_YOUR_SAY  # noqa: E402


def _export_row(page: Page, label: str) -> Locator:
    row = page.get_by_test_id("stHorizontalBlock").filter(has=page.get_by_text(label, exact=True))
    expect(row).to_have_count(1)
    return row


def _download(page: Page, button: Locator) -> Download:
    with page.expect_download() as info:
        button.click()
    return info.value


def test_excel_export_of_issues_opens_and_holds_no_formula(page: Page, base_url: str):
    visit(page, base_url, "/issues", user="officer")
    create_issue(page, FORMULA_TITLE)
    open_page(page, "Import & export")
    download = _download(page, _export_row(page, "Issues").get_by_role("button", name=re.compile(r"Excel$")))
    assert download.suggested_filename.endswith(".xlsx")

    book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert not [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    titles = [c.value for c in cells if isinstance(c.value, str) and 'HYPERLINK("http://x","y")' in c.value]
    assert titles == ["'" + FORMULA_TITLE]


def test_consultation_calendar_downloads_as_ics_that_parses(page: Page, base_url: str):
    visit(page, base_url, "/consultations", user="director")
    download = _download(page, main(page).get_by_role("button", name=re.compile(r"Calendar \(\.ics\)$")))
    assert download.suggested_filename.endswith(".ics")
    calendar = icalendar.Calendar.from_ical(Path(download.path()).read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert events
    for event in events:
        assert event.get("UID") and event.get("SUMMARY") and event.get("DTSTART")


def test_have_your_say_csv_uploads_and_imports_with_the_count_shown(page: Page, base_url: str):
    assert HAVE_YOUR_SAY.is_file(), f"the Have Your Say export is missing: {HAVE_YOUR_SAY}"
    with HAVE_YOUR_SAY.open(newline="", encoding="utf-8") as f:
        rows = sum(1 for _ in csv.DictReader(f))
    visit(page, base_url, "/import_export", user="officer")
    dropzone = page.get_by_label("Have Your Say export (CSV or JSON)")
    dropzone.locator("input[type=file]").set_input_files(HAVE_YOUR_SAY)
    settle(page)
    expect(main(page)).to_contain_text(f"{HAVE_YOUR_SAY.name} · CSV · {rows:,} consultations, all usable")
    go = main(page).get_by_role("button", name=re.compile(r"^Import [\d,]+ consultations$"))
    expect(go).to_be_visible()
    new = int(go.inner_text().split()[1].replace(",", ""))
    assert 0 < new <= rows
    go.click()
    settle(page)
    done = main(page).get_by_test_id("stAlertContentSuccess")
    expect(done).to_contain_text(f"Imported {HAVE_YOUR_SAY.name} — {rows:,} consultations read: ")
    counts = re.search(r"([\d,]+) inserted, ([\d,]+) updated", done.inner_text())
    assert counts, done.inner_text()
    assert sum(int(n.replace(",", "")) for n in counts.groups()) == new
