"""Reading the Commission's "Have Your Say" export: CSV (decoded and sniffed like every
spreadsheet the app reads) or JSON (a list of objects with the same keys), into records with
the line each starts on. A file that is not a usable export as a whole is refused here."""

from __future__ import annotations

import bisect
import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from tracker.domain.errors import ImportRefused, TrackerError

from ..upload_guard import UploadRefused, check_json_depth, check_rows
from .spreadsheet import NotUtf8, decode_text, first_line, sniff_delimiter

# The real 2016–2026 export is 0.4 MB; a file this large is not an export.
MAX_BYTES = 20 * 1024 * 1024
REQUIRED_COLUMNS = (
    "initiative_id",
    "initiative_name",
    "initiative_url",
    "consultation_url",
    "topic",
    "consultation_start_date",
    "consultation_end_date",
)
OPTIONAL_COLUMNS = ("total_feedback", "scrape_status", "error_message")


class UnreadableExport(ImportRefused):
    """The file as a whole is not a usable export (empty, too large, not CSV/JSON, wrong columns)."""

    def __init__(self, reason: str) -> None:
        self.errors = []
        self.reason = reason
        TrackerError.__init__(self, f"Import refused: {reason} Nothing was written.")


@dataclass
class Record:
    line: int
    values: dict[str, Any]


def _text(value: Any) -> str:
    """A JSON or CSV cell as text (None → '')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def _decode(data: bytes, notes: list[str]) -> str:
    if not data.strip():
        raise UnreadableExport("The file is empty.")
    if b"\x00" in data[:4096] or data.startswith(b"PK\x03\x04"):
        raise UnreadableExport(
            "This is not a text file (an Excel workbook?). Use the Have Your Say export as CSV or JSON."
        )
    try:
        text, fell_back = decode_text(data)
    except NotUtf8 as exc:
        raise UnreadableExport(
            f"The file mixes text encodings: line {exc.line} is not valid UTF-8 although the rest is. "
            "Save it again as UTF-8 (in Excel: 'CSV UTF-8')."
        ) from None
    if fell_back:
        notes.append("The file was not UTF-8; it was read as Windows-1252 (Latin-1), as Excel saves it.")
    return text


def _missing_columns(found: set[str]) -> list[str]:
    return [c for c in REQUIRED_COLUMNS if c not in found]


def _wrong_columns(missing: list[str], found: list[str]) -> UnreadableExport:
    shown = ", ".join(found[:8]) + (" …" if len(found) > 8 else "")
    return UnreadableExport(
        "This is not the Have Your Say export: it lacks the column"
        f"{'s' if len(missing) > 1 else ''} {', '.join(missing)} (found: {shown or 'none'})."
    )


def _read_csv(text: str) -> list[Record]:
    # The export uses commas; a spreadsheet in a European locale re-saves with semicolons.
    delimiter = sniff_delimiter(first_line(text))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise UnreadableExport("The file is empty.") from None
    except csv.Error as exc:
        raise UnreadableExport(f"The first line is not readable CSV ({exc}).") from None
    names = [h.strip().lower() for h in header]
    missing = _missing_columns(set(names))
    if missing:
        raise _wrong_columns(missing, [h.strip() for h in header if h.strip()])
    dupes = sorted({n for n in names if n and names.count(n) > 1})
    if dupes:
        raise UnreadableExport(f"The heading line repeats the column {', '.join(dupes)}.")
    width = len(names)
    records: list[Record] = []
    line = 2
    try:
        for row in reader:
            start, line = line, reader.line_num + 1
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != width:
                records.append(
                    Record(start, {"__error__": f"has {len(row)} fields where the heading line has {width}"})
                )
                continue
            records.append(Record(start, dict(zip(names, row, strict=True))))
    except csv.Error as exc:
        raise UnreadableExport(f"Line {line} is not readable CSV ({exc}).") from None
    return records


def _read_json(text: str) -> list[Record]:
    decoder = json.JSONDecoder()
    newlines = [m.start() for m in re.finditer("\n", text)]

    def line_of(pos: int) -> int:
        return bisect.bisect_left(newlines, pos) + 1

    ws = re.compile(r"\s*")
    pos = ws.match(text, 0).end()  # type: ignore[union-attr]
    try:
        if not text.startswith("[", pos):
            value = json.loads(text)
            kind = {dict: "one object", str: "a text", int: "a number", float: "a number", bool: "true/false"}.get(
                type(value), "null"
            )
            raise UnreadableExport(f"The JSON must be a list of consultations, but this file holds {kind}.")
        records: list[Record] = []
        pos = ws.match(text, pos + 1).end()  # type: ignore[union-attr]
        if text.startswith("]", pos):
            pos += 1
        else:
            while True:
                obj, end = decoder.raw_decode(text, pos)
                line = line_of(pos)
                if isinstance(obj, dict):
                    records.append(Record(line, {str(k).strip().lower(): _text(v) for k, v in obj.items()}))
                else:
                    records.append(Record(line, {"__error__": "is not an object with the export's keys"}))
                pos = ws.match(text, end).end()  # type: ignore[union-attr]
                if text.startswith(",", pos):
                    pos = ws.match(text, pos + 1).end()  # type: ignore[union-attr]
                    continue
                if text.startswith("]", pos):
                    pos += 1
                    break
                raise json.JSONDecodeError("Expecting ',' or ']'", text, pos)
        if text[pos:].strip():
            raise json.JSONDecodeError("Extra data after the list", text, pos)
    except json.JSONDecodeError as exc:
        raise UnreadableExport(
            f"The file is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from None
    objects = [r for r in records if "__error__" not in r.values]
    if objects:
        seen: set[str] = set().union(*(r.values.keys() for r in objects))
        missing = _missing_columns(seen)
        if missing:
            raise _wrong_columns(missing, sorted(seen))
    return records


def read_export(data: bytes, filename: str = "") -> tuple[list[Record], str, list[str]]:
    """The file's records (line numbers as in the file), its format and notes; refuses unusable files."""
    if len(data) > MAX_BYTES:
        raise UnreadableExport(too_large_message(len(data)))
    notes: list[str] = []
    text = _decode(data, notes)
    ext = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    is_json = ext == "json" or (ext != "csv" and text.lstrip()[:1] in ("[", "{"))
    try:
        if is_json:
            check_json_depth(text)  # before the parser: json recurses once per level
        records = _read_json(text) if is_json else _read_csv(text)
        check_rows(len(records))
    except UploadRefused as exc:
        raise UnreadableExport(f"The file {exc.reason}.") from None
    if not records:
        raise UnreadableExport("The file has no consultations in it (only a heading line or an empty list).")
    return records, "JSON" if is_json else "CSV", notes


def too_large_message(size: int) -> str:
    return (
        f"The file is {size / 1_048_576:,.1f} MB; the limit is {MAX_BYTES // 1_048_576} MB "
        "(the whole 2016–2026 export is under 1 MB). Is it the right file?"
    )
