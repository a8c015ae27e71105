"""The real Have Your Say export: every row imported right, idempotent, and bad files refused whole."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from tests.real_data import HAVE_YOUR_SAY
from tracker.domain.enums import Role
from tracker.domain.errors import ImportRefused, PermissionDenied
from tracker.domain.models import User
from tracker.services.consultations import record_response
from tracker.services.exchange import have_your_say as hys

REAL = HAVE_YOUR_SAY

EDITOR = User(id=1, username="officer", role=Role.EDITOR)
VIEWER = User(id=2, username="director", role=Role.VIEWER)


@pytest.fixture(scope="module")
def real_bytes() -> bytes:
    return REAL.read_bytes()


@pytest.fixture(scope="module")
def real_rows(real_bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(real_bytes.decode("utf-8"))))


def _csv(rows: list[dict[str, str]], header: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header or list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _by_ref(db, ref: str) -> dict:
    cols = ["id", "title", "authority", "type", "policy_areas", "url", "opens", "closes", "total_feedback", "version"]
    rows = db.read(f"SELECT {', '.join(cols)} FROM consultations WHERE reference = ?", [ref])
    assert len(rows) == 1, ref
    return dict(zip(cols, rows[0], strict=True))


def _state(db) -> list:
    return db.read("SELECT count(*), coalesce(sum(version), 0) FROM consultations") + db.read(
        "SELECT count(*) FROM audit"
    )


# ---------------------------------------------------------------- the real file


def test_real_file_imports_every_row_with_dates_and_topics(db, real_bytes, real_rows):
    report = hys.import_export(db, EDITOR, real_bytes, filename=REAL.name)
    assert (report.inserted, report.updated, report.unchanged) == (657, 0, 0)
    assert db.read("SELECT count(*), count(DISTINCT reference) FROM consultations") == [(657, 657)]

    vat = _by_ref(db, "13698")
    assert vat["title"] == "VAT package for travel and tourism"
    assert (vat["opens"], vat["closes"]) == (dt.date(2025, 7, 24), dt.date(2025, 10, 16))
    assert vat["policy_areas"] == ["Taxation"] and vat["total_feedback"] == 244
    assert (vat["authority"], vat["type"]) == ("European Commission", "public_consultation")
    assert vat["url"].endswith("13698-VAT-package-for-travel-and-tourism/public-consultation_en")

    ets = _by_ref(db, "14549")  # "08 July 2025": a zero-padded day
    assert ets["closes"] == dt.date(2025, 7, 8)

    ageing = _by_ref(db, "12722")  # the comma inside a topic must not split it
    assert ageing["policy_areas"] == [
        "Economy, finance and the euro",
        "Education and training",
        "Employment and social affairs",
        "Public health",
        "Regional policy",
        "Transport",
    ]
    with_euro = sum("Economy, finance and the euro" in r["topic"] for r in real_rows)
    assert db.read(
        "SELECT count(*) FROM consultations WHERE list_contains(policy_areas, 'Economy, finance and the euro')"
    ) == [(with_euro,)]
    assert db.read("SELECT count(*) FROM consultations WHERE total_feedback IS NULL") == [(79,)]


def test_every_row_matches_the_file(db, real_bytes, real_rows):
    hys.import_export(db, EDITOR, real_bytes, filename=REAL.name)
    stored = {r[0]: r[1:] for r in db.read("SELECT reference, opens, closes FROM consultations")}
    for row in real_rows:
        opens = dt.datetime.strptime(row["consultation_start_date"], "%d %B %Y").date()
        closes = dt.datetime.strptime(row["consultation_end_date"], "%d %B %Y").date()
        assert stored[row["initiative_id"]] == (opens, closes), row["initiative_id"]


def test_missing_name_takes_the_title_from_the_link(db, real_bytes):
    hys.import_export(db, EDITOR, real_bytes, filename=REAL.name)
    assert _by_ref(db, "13454")["title"] == "Erasmus+ 2021 27 interim evaluation Erasmus+ 2014 20 final evaluation"


def test_json_export_imports_the_same(db, real_rows):
    report = hys.import_export(db, EDITOR, json.dumps(real_rows).encode(), filename="export.json")
    assert report.inserted == 657 and report.file_format == "JSON"
    assert _by_ref(db, "12722")["policy_areas"][0] == "Economy, finance and the euro"


# ---------------------------------------------------------------- idempotency


def test_reimport_changes_nothing(db, real_bytes):
    hys.import_export(db, EDITOR, real_bytes, filename=REAL.name)
    before = _state(db)
    report = hys.import_export(db, EDITOR, real_bytes, filename=REAL.name)
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, 657)
    assert _state(db) == before  # same rows, same versions, no audit entry


def test_reimport_updates_commission_fields_and_keeps_our_response(db, real_bytes, real_rows):
    hys.import_export(db, EDITOR, real_bytes, filename=REAL.name)
    vat = _by_ref(db, "13698")
    record_response(
        db,
        EDITOR,
        vat["id"],
        vat["version"],
        {"response_status": "submitted", "submitted_on": dt.date(2025, 10, 1), "feedback_reference": "F555"},
    )
    db.write(lambda tx: tx.execute("INSERT INTO consultation_issues VALUES (?, 42)", [vat["id"]]))
    changed = [dict(r) for r in real_rows]
    changed[0]["initiative_name"] = "VAT package for travel and tourism (revised)"
    changed[0]["total_feedback"] = "250"
    report = hys.import_export(db, EDITOR, _csv(changed), filename="again.csv")
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 656)
    row = db.read(
        "SELECT title, total_feedback, response_status, submitted_on, feedback_reference FROM consultations "
        "WHERE reference = '13698'"
    )[0]
    assert row == ("VAT package for travel and tourism (revised)", 250, "submitted", dt.date(2025, 10, 1), "F555")
    assert db.read("SELECT issue_id FROM consultation_issues WHERE consultation_id = ?", [vat["id"]]) == [(42,)]
    audit = db.read(
        "SELECT actor, action, changes FROM audit WHERE entity = 'consultation' AND entity_id = ? ORDER BY id DESC",
        [vat["id"]],
    )[0]
    assert audit[:2] == ("officer", "import update") and "total_feedback" in json.loads(audit[2])


def test_deleted_consultation_is_not_brought_back(db, real_bytes):
    hys.import_export(db, EDITOR, real_bytes, filename=REAL.name)
    db.write(lambda tx: tx.execute("UPDATE consultations SET deleted_at = now()::TIMESTAMP WHERE reference = '13698'"))
    report = hys.import_export(db, EDITOR, real_bytes, filename=REAL.name)
    assert report.inserted == 0 and any("left deleted" in n for n in report.notes)
    assert db.read("SELECT count(*) FROM consultations WHERE deleted_at IS NULL") == [(656,)]


def test_preview_counts_but_writes_nothing(db, real_bytes):
    report = hys.import_export(db, EDITOR, real_bytes, filename=REAL.name, dry_run=True)
    assert report.inserted == 657 and report.dry_run
    assert _state(db) == [(0, 0), (0,)]


def test_progress_reaches_the_total(db, real_bytes):
    seen: list[tuple[int, int]] = []
    hys.import_export(db, EDITOR, real_bytes, filename=REAL.name, on_progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (657, 657) and len(seen) > 2
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_viewer_may_not_import(db, real_bytes):
    with pytest.raises(PermissionDenied):
        hys.import_export(db, VIEWER, real_bytes, filename=REAL.name)
    assert _state(db) == [(0, 0), (0,)]


# ---------------------------------------------------------------- bad input: refused whole, database unchanged


def _bad_date(rows):
    rows = [dict(r) for r in rows[:5]]
    rows[2]["consultation_end_date"] = "31 Jum 2025"
    return _csv(rows)


def _three_bad_rows(rows):
    rows = [dict(r) for r in rows[:6]]
    rows[0]["consultation_start_date"] = "2025-02-30"
    rows[3]["initiative_id"] = "abc"
    rows[5]["initiative_id"] = rows[4]["initiative_id"]
    return _csv(rows)


def _opens_after_closes(rows):
    rows = [dict(r) for r in rows[:3]]
    rows[1]["consultation_start_date"] = "01 January 2030"
    return _csv(rows)


BAD_FILES = {
    "empty": (lambda rows: b"", "The file is empty"),
    "only spaces": (lambda rows: b"  \n\n", "The file is empty"),
    "heading only": (lambda rows: _csv(rows)[: _csv(rows).index(b"\n") + 1], "no consultations"),
    "wrong columns": (lambda rows: b"name,date\nA,24 July 2025\n", "not the Have Your Say export"),
    "fifty megabytes": (lambda rows: b"x" * (50 * 1024 * 1024), "50.0 MB"),
    "json object": (lambda rows: json.dumps({"consultations": rows[:2]}).encode(), "must be a list"),
    "broken json": (lambda rows: b'[{"initiative_id": "1",', "not valid JSON"),
    "excel workbook": (lambda rows: b"PK\x03\x04" + b"\x00" * 100, "not a text file"),
    "mixed encoding": (lambda rows: "é,".encode() + _csv(rows[:2])[:-1] + b"\xe9\n", "mixes text encodings"),
    "unparseable date": (_bad_date, "31 Jum 2025"),
    "opens after closes": (_opens_after_closes, "on or after the opening date"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_is_refused_with_a_clear_message_and_nothing_written(db, real_bytes, real_rows, case):
    hys.import_export(db, EDITOR, real_bytes, filename=REAL.name)
    before = _state(db)
    make, words = BAD_FILES[case]
    name = "bad.json" if "json" in case else "bad.csv"
    with pytest.raises(ImportRefused) as exc:
        hys.import_export(db, EDITOR, make(real_rows), filename=name)
    report = str(exc.value) + " ".join(str(e) for e in exc.value.errors)
    assert words in report
    assert _state(db) == before


def test_every_bad_row_is_listed_with_its_line(db, real_rows):
    with pytest.raises(ImportRefused) as exc:
        hys.import_export(db, EDITOR, _three_bad_rows(real_rows), filename="bad.csv")
    found = [(e.line, e.field) for e in exc.value.errors]
    assert found == [(2, "consultation_start_date"), (5, "initiative_id"), (7, "initiative_id")]
    assert "appears again (first on line 6)" in exc.value.errors[2].message
    assert "3 unusable rows" in str(exc.value)
    assert _state(db) == [(0, 0), (0,)]


def test_line_numbers_count_multiline_cells(db, real_rows):
    rows = [dict(r) for r in real_rows[:3]]
    rows[0]["initiative_name"] = "A title\nover two lines"
    rows[2]["consultation_end_date"] = "soon"
    with pytest.raises(ImportRefused) as exc:
        hys.import_export(db, EDITOR, _csv(rows), filename="bad.csv")
    assert [e.line for e in exc.value.errors] == [5]


def test_latin1_file_is_read_as_windows_1252(db, real_rows):
    rows = [dict(r) for r in real_rows[:2]]
    rows[0]["initiative_name"] = "Protección de datos – revisión"
    data = _csv(rows).decode("utf-8").encode("cp1252")
    report = hys.import_export(db, EDITOR, data, filename="excel.csv")
    assert report.inserted == 2 and any("Windows-1252" in n for n in report.notes)
    assert _by_ref(db, rows[0]["initiative_id"])["title"] == "Protección de datos – revisión"


def test_semicolon_separated_file_is_understood(db, real_rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(real_rows[0]), delimiter=";")
    writer.writeheader()
    writer.writerows(real_rows[:3])
    assert hys.import_export(db, EDITOR, out.getvalue().encode(), filename="excel.csv").inserted == 3


def test_tab_separated_file_with_a_byte_order_mark_is_understood(db, real_rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(real_rows[0]), delimiter="\t")
    writer.writeheader()
    writer.writerows(real_rows[:3])
    data = ("\ufeff" + out.getvalue()).encode()
    assert hys.import_export(db, EDITOR, data, filename="pasted.csv").inserted == 3


# ---------------------------------------------------------------- parsing rules


def test_topics_split_against_the_vocabulary_not_on_every_comma():
    vocab = {t.lower(): t for t in hys.COMMISSION_TOPICS}
    assert hys.split_topics("Economy, finance and the euro, Trade", vocab) == (
        ["Economy, finance and the euro", "Trade"],
        [],
    )
    assert hys.split_topics("trade, Space policy", vocab) == (["Trade", "Space policy"], ["Space policy"])
    assert hys.split_topics("", vocab) == ([], [])


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("24 July 2025", dt.date(2025, 7, 24)),
        ("08 July 2025", dt.date(2025, 7, 8)),
        ("8 Sept 2025", dt.date(2025, 9, 8)),
        ("2025-07-24", dt.date(2025, 7, 24)),
    ],
)
def test_dates_as_the_portal_writes_them(text, day):
    assert hys.parse_date(text) == day


@pytest.mark.parametrize("text", ["31 June 2025", "July 24 2025", "24/07/2025", "24 Juli 2025"])
def test_impossible_or_foreign_dates_are_refused(text):
    with pytest.raises(ValueError):
        hys.parse_date(text)
