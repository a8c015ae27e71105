"""The Import & export page: exports for everyone, imports with preview and report for editors."""

from __future__ import annotations

import time

from tracker.services.exchange import exports
from tracker.ui.kit.background import Job

PAGE = "pages/import_export.py"


JOB_KEYS = ("sheet_checking", "sheet_importing")


def _background_jobs(at) -> list[Job]:
    return [at.session_state[k] for k in JOB_KEYS if k in at.session_state and isinstance(at.session_state[k], Job)]


def settle(at, timeout: float = 30):
    """Rerun until the page's background jobs (checking, importing) have ended, as the page's
    own progress fragment does in a browser."""
    deadline = time.monotonic() + timeout
    while _background_jobs(at) and time.monotonic() < deadline:
        for job in _background_jobs(at):
            job.finished.wait(timeout=max(0.0, deadline - time.monotonic()))
        at.run()
    return at


def _upload(at, name: str, data: bytes, mime: str = "text/csv"):
    [uploader] = [u for u in at.file_uploader if "Spreadsheet" in u.label]
    uploader.set_value((name, data, mime))
    return settle(at.run())


def test_the_check_and_the_import_run_off_the_page_with_a_progress_bar(app_for, demo_db):
    at = app_for("officer", PAGE)
    at.selectbox(key="sheet_table").set_value("organisations").run()
    [uploader] = [u for u in at.file_uploader if "Spreadsheet" in u.label]
    uploader.set_value(("orgs.csv", b"Name\n" + b"".join(b"Bulk org %d\n" % n for n in range(3000)), "text/csv"))
    at.run()
    assert not at.exception
    assert [j.label for j in _background_jobs(at)] == ["Checking every line"]  # the page run did not wait
    settle(at)
    [go] = [b for b in at.button if b.label.startswith("Import into organisations")]
    go.click().run()
    assert [j.label for j in _background_jobs(at)] == ["Importing"]
    settle(at)
    assert any("3,000 inserted" in s.value for s in at.success)
    assert demo_db.read("SELECT count(*) FROM organisations WHERE name LIKE 'Bulk org %'") == [(3000,)]


def test_viewer_sees_exports_but_no_import_controls(app_for):
    at = app_for("director", PAGE)
    assert not at.exception
    assert len(at.get("download_button")) == 2 * len(exports.TABLE_NAMES)
    assert not at.file_uploader
    assert any("needs the Editor role" in i.value for i in at.info)


def test_editor_previews_then_imports_with_a_report_of_counts(app_for, demo_db):
    at = app_for("officer", PAGE)
    assert not at.exception
    at.selectbox(key="sheet_table").set_value("organisations").run()
    at = _upload(at, "orgs.csv", b"Name,Country,Partner\nUploaded Cluster,Belgium,Yes\n")
    assert not at.exception
    assert at.dataframe[0].value["Name"].tolist() == ["Uploaded Cluster"]
    assert [m.value for m in at.metric] == ["1", "0", "0"]
    assert demo_db.read("SELECT count(*) FROM organisations WHERE name = 'Uploaded Cluster'") == [(0,)]
    [go] = [b for b in at.button if b.label.startswith("Import into organisations")]
    at = settle(go.click().run())
    assert not at.exception
    assert any("1 inserted" in s.value for s in at.success)
    assert demo_db.read("SELECT country FROM organisations WHERE name = 'Uploaded Cluster'") == [("Belgium",)]


def test_unusable_lines_are_listed_with_a_downloadable_report(app_for, demo_db):
    at = app_for("officer", PAGE)
    at.selectbox(key="sheet_table").set_value("activities").run()
    at = _upload(at, "a.csv", b"Date,Type,Summary\n03/04/2025,Meeting,x\n2026-01-02,,y\n")
    assert not at.exception
    assert "2 unusable lines" in at.error[0].value and "nothing was written" in at.error[0].value
    report = at.dataframe[-1].value
    assert report["Line"].tolist() == [2, 3] and report["Column"].tolist() == ["Date", "Type"]
    assert any(b.proto.label == "Download the report (CSV)" for b in at.get("download_button"))
    assert not [b for b in at.button if b.label.startswith("Import into")]


def test_a_file_that_is_not_excel_is_refused_clearly(app_for):
    at = app_for("officer", PAGE)
    at = _upload(
        at, "fake.xlsx", b"not a workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert not at.exception
    assert any("not an Excel workbook" in str(v) for v in at.dataframe[-1].value["Reason"].tolist())


def test_a_file_that_is_not_the_have_your_say_export_is_refused_with_nothing_written(app_for, demo_db):
    before = demo_db.read("SELECT count(*) FROM consultations")
    at = app_for("officer", PAGE)
    [uploader] = [u for u in at.file_uploader if "Have Your Say" in u.label]
    uploader.set_value(("hys.csv", b"name,date\nA,24 July 2025\n", "text/csv"))
    at = at.run()
    assert not at.exception
    assert any("not the Have Your Say export" in e.value for e in at.error)
    assert not [b for b in at.button if b.label.startswith("Import ")]
    assert demo_db.read("SELECT count(*) FROM consultations") == before
