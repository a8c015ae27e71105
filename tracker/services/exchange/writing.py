"""Writing CSV and Excel (.xlsx) files, with formula neutralising.

Every text cell that a spreadsheet would read as a formula (it starts with ``= + - @``, a tab
or a carriage return) gets a leading ``'``; numbers stay numbers and dates are real dates in
Excel and ISO dates in CSV. Reading strips exactly that ``'`` again (:func:`unneutralise`), so
an export imports back unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A text that would be a formula, possibly already behind apostrophes: each export adds one
# apostrophe in front and each import removes one, so the round trip is exact.
_NEUTRALISED = re.compile(r"^'*[=+\-@\t\r]")
# Excel refuses these characters in a cell (XML 1.0); validated data never holds them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
EXCEL_CELL_LIMIT = 32_767


def neutralise(text: str) -> str:
    """A text cell safe from formula injection: a leading ``'`` where a formula could start."""
    if text and _NEUTRALISED.match(text):
        return "'" + text
    return text


def unneutralise(text: str) -> str:
    """Undo :func:`neutralise` exactly (only an apostrophe that guards a formula start)."""
    if text.startswith("'") and _NEUTRALISED.match(text[1:]):
        return text[1:]
    return text


@dataclass(frozen=True)
class OutColumn:
    """One column of an export: its header and how its values are written."""

    header: str
    kind: str = "text"  # text | int | decimal | date | timestamp | bool


def _csv_value(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "bool" or isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, (int, float)):
        return str(value)
    return neutralise(str(value))


def _decimal_text(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def write_csv(columns: Sequence[OutColumn], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel opens it as UTF-8), one header line."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutralise(c.header) for c in columns])
    kinds = [c.kind for c in columns]
    for row in rows:
        writer.writerow([_csv_value(v, k) for v, k in zip(row, kinds, strict=True)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _xlsx_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "bool" or isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (dt.date, int, float)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    text = _ILLEGAL_XML.sub("", str(value))
    if len(text) > EXCEL_CELL_LIMIT:
        text = text[: EXCEL_CELL_LIMIT - 1] + "…"
    return neutralise(text)


def write_xlsx(sheet_title: str, columns: Sequence[OutColumn], rows: Iterable[Sequence[Any]]) -> bytes:
    """An Excel workbook with one sheet: bold frozen header, filters, real date and number cells."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title[:31])
    ws.freeze_panes = "A2"
    for i, col in enumerate(columns, start=1):
        width = {"date": 12, "timestamp": 18, "int": 10, "decimal": 12, "bool": 10}.get(col.kind, 28)
        ws.column_dimensions[get_column_letter(i)].width = max(width, min(len(col.header) + 2, 40))
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"
    bold = Font(bold=True)
    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=neutralise(col.header))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    formats = [
        "yyyy-mm-dd" if c.kind == "date" else "yyyy-mm-dd hh:mm:ss" if c.kind == "timestamp" else None for c in columns
    ]
    kinds = [c.kind for c in columns]
    for row in rows:
        out: list[Any] = []
        for value, kind, fmt in zip(row, kinds, formats, strict=True):
            v = _xlsx_value(value, kind)
            if fmt and v is not None:
                cell = WriteOnlyCell(ws, value=v)
                cell.number_format = fmt
                out.append(cell)
            else:
                out.append(v)
        ws.append(out)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write(fmt: str, sheet_title: str, columns: Sequence[OutColumn], rows: Iterable[Sequence[Any]]) -> bytes:
    if fmt == "csv":
        return write_csv(columns, rows)
    if fmt == "xlsx":
        return write_xlsx(sheet_title, columns, rows)
    raise ValueError(f"unknown format {fmt}")
