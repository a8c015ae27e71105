"""Hostile uploads are refused from their zip directory or one pass over their text, before any
parser inflates or recurses: quickly and in bounded memory."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tracker.services.upload_guard import (
    LIMITS,
    UploadRefused,
    check_backup_folder,
    check_json_depth,
    check_rows,
    check_xlsx,
    limit_rows,
)


def _workbook(rows: int = 3) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Name", "Country"])
    for n in range(rows):
        ws.append([f"Org {n}", "BE"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _bomb(inflated_mb: int = 64) -> bytes:
    """A workbook-shaped zip whose sheet inflates ~1000 times (a few tens of KB on disk)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as part:
            chunk = b"<c>0</c>" * 131072  # 1 MB
            for _ in range(inflated_mb):
                part.write(chunk)
    return out.getvalue()


def test_a_real_workbook_passes() -> None:
    check_xlsx(_workbook(1000))


def test_a_zip_bomb_is_refused_from_its_directory_in_bounded_memory() -> None:
    bomb = _bomb()
    assert len(bomb) < 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(UploadRefused, match="inflates"):
            check_xlsx(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024  # the directory only: nothing was inflated


def test_a_workbook_that_unpacks_past_the_limit_is_refused() -> None:
    small = LIMITS.__class__(max_unpacked_bytes=1024 * 1024)
    with pytest.raises(UploadRefused, match="would unpack to"):
        check_xlsx(_workbook(20_000), small)


def test_an_archive_of_thousands_of_parts_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for n in range(LIMITS.max_parts + 1):
            z.writestr(f"xl/p{n}.xml", "")
    with pytest.raises(UploadRefused, match="parts"):
        check_xlsx(out.getvalue())


def test_a_file_that_is_not_a_zip_is_refused_with_a_way_out() -> None:
    with pytest.raises(UploadRefused, match="save it again from Excel"):
        check_xlsx(b"Name,Country\nAcme,BE\n")


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_json_nested_ten_thousand_deep_is_refused_without_recursion(opener: str) -> None:
    text = opener * 10_000
    with pytest.raises(UploadRefused, match="more than 32 deep"):
        check_json_depth(text)


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    check_json_depth('[{"title": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ \\" {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{"}]')


def test_a_have_your_say_shaped_export_passes() -> None:
    check_json_depth('[{"Title": "A", "Topics": ["x", "y"]}, {"Title": "B"}]')


def test_rows_over_the_limit_are_refused_at_the_first_extra_line() -> None:
    read: list[int] = []

    def rows():
        for n in range(LIMITS.max_rows + 1000):
            read.append(n)
            yield n

    with pytest.raises(UploadRefused, match="200,000"):
        for _ in limit_rows(rows()):
            pass
    assert len(read) == LIMITS.max_rows + 1
    check_rows(LIMITS.max_rows)


def test_a_backup_folder_with_foreign_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text("")
    (tmp_path / "manifest.json").write_text("{}")
    check_backup_folder(tmp_path)
    (tmp_path / "run.sh").write_text("")
    with pytest.raises(UploadRefused, match="run.sh"):
        check_backup_folder(tmp_path)
