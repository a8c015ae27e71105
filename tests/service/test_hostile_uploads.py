"""Hostile uploads (a zip-bomb workbook, a million-row workbook, JSON nested 10,000 deep) are
refused with the import's normal one-line reason, before a parser inflates or recurses, in
bounded memory, and nothing is written."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest

from tracker.domain.errors import ImportRefused
from tracker.services.exchange import have_your_say, imports
from tracker.services.exchange.hys_file import UnreadableExport

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Organisations" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def _workbook(rows: int, *, filler: bytes = b"") -> bytes:
    """A real .xlsx of ``rows`` organisations, streamed into the zip so a million rows build fast."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
                b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + f'<dimension ref="A1:A{rows + 1}"/><sheetData>'.encode()
                + b'<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>'
            )
            batch = []
            for n in range(2, rows + 2):
                batch.append(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>Org {n}</t></is></c></row>')
                if len(batch) == 10_000:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write("".join(batch).encode() + filler + b"</sheetData></worksheet>")
    return out.getvalue()


def _bomb() -> bytes:
    """A small workbook whose sheet inflates about a thousand times (whitespace padding)."""
    return _workbook(3, filler=b" " * (200 * 1024 * 1024))


def _organisations(db) -> int:
    return int(db.read("SELECT count(*) FROM organisations")[0][0])


def _refused_in_bounded_memory(call) -> ImportRefused:
    tracemalloc.start()
    try:
        with pytest.raises(ImportRefused) as refused:
            call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 30 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    return refused.value


def test_a_real_workbook_of_organisations_imports(demo_db, officer) -> None:
    before = _organisations(demo_db)
    report = imports.import_file(demo_db, officer, "organisations", _workbook(3), "orgs.xlsx")
    assert report.inserted == 3
    assert _organisations(demo_db) == before + 3


def test_a_zip_bomb_workbook_is_refused_before_it_is_inflated(demo_db, officer) -> None:
    bomb = _bomb()
    assert len(bomb) < 1024 * 1024  # a few hundred KB that would inflate to 200 MB
    before = _organisations(demo_db)
    refused = _refused_in_bounded_memory(lambda: imports.import_file(demo_db, officer, "organisations", bomb, "b.xlsx"))
    assert [e.field for e in refused.errors] == ["File"]
    assert "inflates" in refused.errors[0].message
    assert _organisations(demo_db) == before


def test_a_million_row_workbook_is_refused_at_once_naming_the_limit(demo_db, officer) -> None:
    book = _workbook(1_048_574)
    refused = _refused_in_bounded_memory(lambda: imports.import_file(demo_db, officer, "organisations", book, "m.xlsx"))
    assert "has more than 200,000 data lines; the limit per import is 200,000" in refused.errors[0].message


def test_a_csv_over_the_row_limit_is_refused(demo_db, officer) -> None:
    data = b"Name\n" + b"".join(b"Org %d\n" % n for n in range(200_001))
    with pytest.raises(ImportRefused) as refused:
        imports.import_file(demo_db, officer, "organisations", data, "many.csv")
    assert "200,000" in refused.value.errors[0].message


@pytest.mark.parametrize("opener", ["[", '[{"a":'])
def test_have_your_say_json_nested_10000_deep_gets_the_normal_one_line_reason(demo_db, officer, opener) -> None:
    data = (opener * 10_000).encode()
    before = demo_db.read("SELECT count(*) FROM consultations")[0][0]
    with pytest.raises(UnreadableExport) as refused:
        have_your_say.import_export(demo_db, officer, data, filename="deep.json")
    assert str(refused.value) == (
        "Import refused: The file nests lists or objects more than 32 deep; an export is a list of flat records. "
        "Nothing was written."
    )
    assert demo_db.read("SELECT count(*) FROM consultations")[0][0] == before
