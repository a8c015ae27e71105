"""Reading spreadsheet files: CSV and Excel (.xlsx), their formats and text decoding.

Reading returns the cells as found (text for CSV; text, numbers, dates for Excel) with the
spreadsheet row number of each line, and a list of problems a person must fix: blank lines
inside the data, merged cells, formula cells, a file that is not what its name says. The
decoding and delimiter sniffing here serve every CSV the app reads (the Have Your Say
export too).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from tracker.domain.errors import FieldError, ImportRefused

from ..upload_guard import LIMITS, Limits, UploadRefused, check_rows, check_size, check_xlsx, limit_rows

MAX_BYTES = 50 * 1024 * 1024
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": CSV_MIME, "xlsx": XLSX_MIME}
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def format_of(filename: str) -> str:
    """'csv' or 'xlsx' from a file name, or a clear refusal."""
    lower = filename.lower()
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith(".xlsx"):
        return "xlsx"
    if lower.endswith((".xls", ".xlsm", ".ods")):
        raise ImportRefused([FieldError("File", "save it as an Excel workbook (.xlsx) or as CSV UTF-8 and try again")])
    raise ImportRefused([FieldError("File", "must be a .csv or .xlsx file")])


# ------------------------------------------------------------------ reading


class Sheet:
    """The cells of one table as read: a header and data lines numbered as a spreadsheet shows
    them. Held by rows or, from the fast CSV reader, by columns."""

    def __init__(self, headers: list[str], typed: bool = False) -> None:
        self.headers = headers
        self.typed = typed  # cells of several types (Excel), not only text (CSV)
        self.lines: list[int] = []
        self.problems: list[FieldError] = []
        self._rows: list[list[Any]] | None = []
        self._columns: list[list[Any]] | None = None

    @classmethod
    def from_columns(cls, headers: list[str], columns: list[list[Any]]) -> Sheet:
        sheet = cls(headers)
        sheet._rows = None
        sheet._columns = columns
        sheet.lines = list(range(2, 2 + (len(columns[0]) if columns else 0)))
        return sheet

    @property
    def rows(self) -> list[list[Any]]:
        if self._rows is None:
            assert self._columns is not None
            self._rows = [list(r) for r in zip(*self._columns, strict=True)]
        return self._rows

    def column(self, index: int) -> list[Any]:
        if self._columns is not None:
            return self._columns[index]
        return [row[index] for row in self.rows]

    def __len__(self) -> int:
        return len(self.lines)


def _refuse(message: str, line: int | None = None, column: str = "File") -> ImportRefused:
    return ImportRefused([FieldError(column, message, line)])


def read(data: bytes, filename: str, *, max_bytes: int | None = MAX_BYTES, limits: Limits = LIMITS) -> Sheet:
    """The table in ``data`` (format from ``filename``'s extension), or :class:`ImportRefused`.

    The upload guard sees the bytes first (size unless ``max_bytes`` is None, the workbook's zip
    directory, the row limit), so a hostile file is refused before a parser inflates it."""
    fmt = format_of(filename)
    try:
        if max_bytes is not None:
            check_size(len(data), replace(limits, max_bytes=max_bytes))
        elif not data:
            raise UploadRefused("is empty")
        if fmt == "xlsx":
            check_xlsx(data, limits)
        return read_csv(data, limits) if fmt == "csv" else read_xlsx(data, limits)
    except UploadRefused as exc:
        raise _refuse(exc.reason) from None


class NotUtf8(ValueError):
    """Bytes that are not UTF-8: the line and byte where, and whether UTF-8 text is elsewhere."""

    def __init__(self, line: int, byte: int, mixed: bool) -> None:
        super().__init__(f"byte 0x{byte:02X} on line {line} is not UTF-8")
        self.line = line
        self.byte = byte
        self.mixed = mixed


def decode_utf8(data: bytes) -> str:
    """UTF-8 text without its byte-order mark; :class:`NotUtf8` where it is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise NotUtf8(line, data[exc.start], bool(_UTF8_MULTIBYTE.search(data))) from None


def decode_text(data: bytes) -> tuple[str, bool]:
    """UTF-8 text, or (a file with no UTF-8 in it at all) Windows-1252 as Excel saves CSV, which
    decodes losslessly; the text and whether it fell back. :class:`NotUtf8` for mixed encodings."""
    try:
        return decode_utf8(data), False
    except NotUtf8 as exc:
        if exc.mixed:
            raise
    try:
        return data.decode("cp1252"), True
    except UnicodeDecodeError:
        return data.decode("latin-1"), True


def first_line(text: str) -> str:
    newline = text.find("\n")
    return text[: newline if newline >= 0 else len(text)]


def sniff_delimiter(line: str) -> str:
    """Excel writes ';' in locales whose decimal mark is a comma; tabs come from copy-paste."""
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _decode(data: bytes) -> str:
    try:
        return decode_utf8(data)
    except NotUtf8 as exc:
        raise _refuse(
            f"is not UTF-8 text (byte 0x{exc.byte:02X} on line {exc.line}; it looks like a Latin-1 or "
            f"Windows file). In Excel use Save as → 'CSV UTF-8 (comma delimited)', or upload the .xlsx.",
            exc.line,
        ) from None


def _blank(cells: Sequence[Any]) -> bool:
    try:
        return not "".join(cells).strip()  # text cells (CSV): the fast way
    except TypeError:
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _finish(headers: list[Any], body: Iterable[tuple[int, list[Any]]], sheet: Sheet) -> Sheet:
    """Drop trailing blank lines; report blank lines between data lines; pad or flag ragged lines."""
    width = len(headers)
    pending_blank: list[int] = []
    for line, cells in body:
        if _blank(cells):
            pending_blank.append(line)
            continue
        for blank in pending_blank:
            sheet.problems.append(
                FieldError("(whole line)", "blank line inside the data; delete it (all lines count)", blank)
            )
        pending_blank = []
        if len(cells) > width:
            extra = cells[width:]
            if not _blank(extra):
                sheet.problems.append(
                    FieldError(
                        "(whole line)",
                        f"has {len(cells)} cells but the header has {width} columns; check the quoting",
                        line,
                    )
                )
            cells = cells[:width]
        elif len(cells) < width:
            cells = cells + [None] * (width - len(cells))
        sheet.lines.append(line)
        sheet.rows.append(cells)
    return sheet


def _headers(raw: Sequence[Any]) -> list[str]:
    headers = [("" if h is None else str(h)).strip() for h in raw]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise _refuse("has no header line; the first line must name the columns", 1)
    return headers


def read_csv(data: bytes, limits: Limits = LIMITS) -> Sheet:
    text = _decode(data)
    delimiter = sniff_delimiter(first_line(text))
    fast = _read_csv_fast(data, text, delimiter)
    if fast is not None:
        check_rows(len(fast), limits)
        return fast
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        first = next(reader, None)
        if first is None:
            raise _refuse("is empty")
        sheet = Sheet(headers=_headers(first))
        # csv yields one record per spreadsheet line (a blank line is an empty record), so the
        # record number is the line number a spreadsheet shows; header = line 1.
        body = ((n, cells) for n, cells in enumerate(reader, start=2))
        return _finish(sheet.headers, limit_rows(body, limits), sheet)
    except csv.Error as exc:
        raise _refuse(f"is not a readable CSV file near line {reader.line_num}: {exc}", reader.line_num) from None


def _read_csv_fast(data: bytes, text: str, delimiter: str) -> Sheet | None:
    """The common, clean file read by Arrow's parser: every record on its own line, no blank or
    ragged lines. Anything else (None) goes to the careful reader, which numbers and reports."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    try:
        first = next(csv.reader(io.StringIO(text[: text.find("\n") + 1 or len(text)]), delimiter=delimiter), None)
    except csv.Error:
        return None  # the careful reader reports it with its line
    if not first:
        return None
    headers = _headers(first)
    if len(headers) != len(first) or len(set(headers)) != len(headers) or not all(headers):
        return None
    physical = text.count("\n") + (0 if text.endswith("\n") else 1)
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        table = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=headers, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(headers, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError, ValueError):
        return None
    if table.num_rows != physical - 1:
        return None  # multi-line cells or blank lines: the careful reader numbers them right
    return Sheet.from_columns(headers, [table.column(i).to_pylist() for i in range(len(headers))])


_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _merged_ranges(data: bytes, sheet_path: str) -> list[tuple[str, int, str]]:
    """(range, first line, first column letter) of each merged area of the sheet."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        try:
            xml = zf.read(sheet_path.lstrip("/"))
        except KeyError:
            return []
    out = []
    for m in _MERGE.finditer(xml):
        col1, row1, col2, row2 = (g.decode() if g else "" for g in m.groups())
        ref = f"{col1}{row1}:{col2}{row2}" if col2 else f"{col1}{row1}"
        out.append((ref, int(row1), col1))
    return out


def read_xlsx(data: bytes, limits: Limits = LIMITS) -> Sheet:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _refuse("is named .xlsx but is not an Excel workbook; save it again from Excel as .xlsx or as CSV UTF-8")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:
        raise _refuse("is not a readable Excel workbook; save it again from Excel as .xlsx") from None
    try:
        ws = wb.worksheets[0]
        # The sheet states its extent in its first lines: a million-row sheet is refused before
        # a single row is parsed (a sheet that under-states it is stopped by limit_rows below).
        if ws.max_row:
            check_rows(ws.max_row - 1, limits)
        merged = _merged_ranges(data, getattr(ws, "_worksheet_path", ""))
        rows = ws.iter_rows()
        first = next(rows, None)
        if first is None:
            raise _refuse("has an empty first sheet")
        sheet = Sheet(headers=_headers([c.value for c in first]), typed=True)
        for ref, row, col in merged:
            sheet.problems.append(
                FieldError(f"column {col}", f"merged cells ({ref}); unmerge them and fill every cell", row)
            )
        width = len(sheet.headers)

        def body() -> Iterable[tuple[int, list[Any]]]:
            for n, cells in enumerate(rows, start=2):
                values: list[Any] = []
                for i, cell in enumerate(cells):
                    if getattr(cell, "data_type", None) == "f":
                        name = sheet.headers[i] if i < width else f"column {get_column_letter(i + 1)}"
                        sheet.problems.append(
                            FieldError(name, "is a formula; replace it by its value (Paste special → Values)", n)
                        )
                        values.append(None)
                    else:
                        values.append(cell.value)
                yield n, values

        return _finish(sheet.headers, limit_rows(body(), limits), sheet)
    finally:
        wb.close()
