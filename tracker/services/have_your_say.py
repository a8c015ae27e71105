"""Import of the Commission's "Have Your Say" export (CSV, or JSON: a list of objects with the same keys).

All or nothing: the file is read and every row checked before anything is written; one
unusable row refuses the whole file, and the refusal lists every such row with its line,
column and reason. Re-importing is idempotent on the initiative id: the Commission's own
fields (title, topics, link, dates, feedback count) are updated, our fields — the response,
its date and reference, linked issues and joint position, the authority and type — are never
touched.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from pydantic import TypeAdapter, ValidationError

from tracker.domain import clock
from tracker.domain.enums import ConsultationType, ReferenceKind, ResponseStatus, Role
from tracker.domain.errors import FieldError, ImportRefused, ImportReport, TrackerError
from tracker.domain.models import ConsultationInput, User, errors_of
from tracker.store import Database
from tracker.store import consultations as store
from tracker.store import reference as reference_store

from . import guard

AUTHORITY = "European Commission"
# The real 2016–2026 export is 0.4 MB; a file this large is not an export.
MAX_BYTES = 20 * 1024 * 1024
BATCH = 250

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

# The portal's topic vocabulary. One topic contains a comma ("Economy, finance and the euro"),
# so a row's "A, B, C" is split against this list, never simply on the comma.
COMMISSION_TOPICS = (
    "Agriculture and rural development",
    "Banking and financial services",
    "Borders and security",
    "Budget",
    "Business and industry",
    "Climate action",
    "Competition",
    "Consumers",
    "Culture and media",
    "Customs",
    "Digital economy and society",
    "Economy, finance and the euro",
    "Education and training",
    "Employment and social affairs",
    "Energy",
    "Environment",
    "EU enlargement",
    "European neighbourhood policy",
    "Food safety",
    "Foreign affairs and security policy",
    "Fraud prevention",
    "Home affairs",
    "Humanitarian aid and civil protection",
    "Institutional affairs",
    "International cooperation and development",
    "International partnerships",
    "Justice and fundamental rights",
    "Maritime affairs and fisheries",
    "Migration and asylum",
    "Public health",
    "Regional policy",
    "Research and innovation",
    "Single market",
    "Sport",
    "Statistics",
    "Taxation",
    "Trade",
    "Transport",
    "Youth",
)

# Model field → the export's column, so errors name what the user sees in the file.
_COLUMN_OF = {
    "Title": "initiative_name",
    "Reference": "initiative_id",
    "Link": "consultation_url",
    "Opens": "consultation_start_date",
    "Closes": "consultation_end_date",
    "Policy areas": "topic",
}

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")

_ROWS = TypeAdapter(list[ConsultationInput])


class UnreadableExport(ImportRefused):
    """The file as a whole is not a usable export (empty, too large, not CSV/JSON, wrong columns)."""

    def __init__(self, reason: str) -> None:
        self.errors = []
        self.reason = reason
        TrackerError.__init__(self, f"Import refused: {reason} Nothing was written.")


@dataclass
class HaveYourSayReport(ImportReport):
    """Counts of an import (or of its preview), with notes worth telling the user."""

    total: int = 0
    file_format: str = "CSV"
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        verb = "would be" if self.dry_run else ""
        if self.dry_run:
            return (
                f"{self.total:,} consultations read: {self.inserted:,} {verb} inserted, "
                f"{self.updated:,} {verb} updated, {self.unchanged:,} unchanged"
            )
        return f"{self.total:,} consultations read: {super().summary()}"


@dataclass
class Record:
    line: int
    values: dict[str, Any]


# ---------------------------------------------------------------- small parsers (pure)


def parse_date(text: str) -> dt.date:
    """'24 July 2025', '08 July 2025', '8 Jul 2025' or '2025-07-24'."""
    s = " ".join(text.split())
    m = _DAY_MONTH_YEAR.match(s)
    if m:
        month = _MONTHS.get(m.group(2).lower())
        if month is None:
            raise ValueError(f"'{text}' has no month we recognise (expected a date like 24 July 2025)")
        day, year = int(m.group(1)), int(m.group(3))
    else:
        m = _ISO.match(s)
        if not m:
            raise ValueError(f"'{text}' is not a date like 24 July 2025")
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"'{text}' is not a real calendar date") from None


def split_topics(text: str, vocabulary: dict[str, str]) -> tuple[list[str], list[str]]:
    """Split "A, B, C" against the vocabulary (lower-case → spelling); also return unknown topics.

    At each position the longest run of comma-separated parts that is one known topic wins,
    so "Economy, finance and the euro, Trade" gives two topics, not three.
    """
    parts = [p.strip() for p in text.split(",")]
    parts = [p for p in parts if p]
    out: list[str] = []
    unknown: list[str] = []
    i = 0
    while i < len(parts):
        for j in range(len(parts), i, -1):
            candidate = ", ".join(parts[i:j])
            known = vocabulary.get(candidate.lower())
            if known is not None:
                if known not in out:
                    out.append(known)
                i = j
                break
        else:
            if parts[i] not in out:
                out.append(parts[i])
            unknown.append(parts[i])
            i += 1
    return out, unknown


def title_from_url(url: str) -> str | None:
    """'…/initiatives/13454-Erasmus%2B-2021-27-interim-evaluation' → 'Erasmus+ 2021 27 interim evaluation'."""
    path = urlparse(url).path.rstrip("/")
    for segment in path.split("/"):
        m = re.match(r"^\d+-(.+)$", segment)
        if m:
            words = unquote(m.group(1)).replace("-", " ")
            words = " ".join(words.split())
            return words or None
    return None


def _count(text: str) -> int | None:
    s = text.replace(",", "").replace(" ", "").replace("\u00a0", "")
    if not s:
        return None
    if s.endswith(".0"):
        s = s[:-2]
    if not s.isdigit():
        raise ValueError(f"'{text}' is not a whole number")
    return int(s)


def _text(value: Any) -> str:
    """A JSON or CSV cell as text (None → '')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


# ---------------------------------------------------------------- reading the file


def _decode(data: bytes, notes: list[str]) -> str:
    if not data.strip():
        raise UnreadableExport("The file is empty.")
    if b"\x00" in data[:4096] or data.startswith(b"PK\x03\x04"):
        raise UnreadableExport(
            "This is not a text file (an Excel workbook?). Use the Have Your Say export as CSV or JSON."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if _UTF8_MULTIBYTE.search(data):
            line = data.count(b"\n", 0, exc.start) + 1
            raise UnreadableExport(
                f"The file mixes text encodings: line {line} is not valid UTF-8 although the rest is. "
                "Save it again as UTF-8 (in Excel: 'CSV UTF-8')."
            ) from None
    # No UTF-8 anywhere: a spreadsheet saved it as Windows-1252/Latin-1, which decodes losslessly.
    notes.append("The file was not UTF-8; it was read as Windows-1252 (Latin-1), as Excel saves it.")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _missing_columns(found: set[str]) -> list[str]:
    return [c for c in REQUIRED_COLUMNS if c not in found]


def _wrong_columns(missing: list[str], found: list[str]) -> UnreadableExport:
    shown = ", ".join(found[:8]) + (" …" if len(found) > 8 else "")
    return UnreadableExport(
        "This is not the Have Your Say export: it lacks the column"
        f"{'s' if len(missing) > 1 else ''} {', '.join(missing)} (found: {shown or 'none'})."
    )


def _read_csv(text: str) -> list[Record]:
    first = text.split("\n", 1)[0]
    # The export uses commas; a spreadsheet in a European locale re-saves with semicolons.
    delimiter = max((",", ";", "\t"), key=first.count)
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
    records = _read_json(text) if is_json else _read_csv(text)
    if not records:
        raise UnreadableExport("The file has no consultations in it (only a heading line or an empty list).")
    return records, "JSON" if is_json else "CSV", notes


def too_large_message(size: int) -> str:
    return (
        f"The file is {size / 1_048_576:,.1f} MB; the limit is {MAX_BYTES // 1_048_576} MB "
        "(the whole 2016–2026 export is under 1 MB). Is it the right file?"
    )


# ---------------------------------------------------------------- checking rows


def vocabulary(db: Database) -> dict[str, str]:
    """Known topics (the Commission's and our policy areas), lower-case → spelling."""
    vocab = {t.lower(): t for t in COMMISSION_TOPICS}
    for v in reference_store.values(db, ReferenceKind.POLICY_AREA.value):
        vocab.setdefault(v.lower(), v)
    return vocab


def _prepare(
    rec: Record, vocab: dict[str, str], unknown_topics: set[str]
) -> tuple[dict[str, Any] | None, int | None, list[FieldError]]:
    """A record as consultation input data (and its feedback count), or its errors."""
    v = rec.values
    errs: list[FieldError] = []
    if "__error__" in v:
        return None, None, [FieldError("row", v["__error__"], rec.line)]

    def cell(name: str) -> str:
        return (v.get(name) or "").strip()

    missing_keys = [c for c in REQUIRED_COLUMNS if c not in v]
    if missing_keys:
        return None, None, [FieldError(", ".join(missing_keys), "is missing from this object", rec.line)]
    ident = cell("initiative_id")
    if not ident:
        errs.append(FieldError("initiative_id", "is empty", rec.line))
    elif not ident.removesuffix(".0").isdigit():
        errs.append(FieldError("initiative_id", f"'{ident}' is not an initiative number", rec.line))
    else:
        ident = str(int(ident.removesuffix(".0")))
    dates: dict[str, dt.date | None] = {}
    for column, required in (("consultation_start_date", False), ("consultation_end_date", True)):
        raw = cell(column)
        if not raw:
            dates[column] = None
            if required:
                errs.append(FieldError(column, "is empty (every consultation needs its closing date)", rec.line))
            continue
        try:
            dates[column] = parse_date(raw)
        except ValueError as exc:
            errs.append(FieldError(column, str(exc), rec.line))
    feedback: int | None = None
    try:
        feedback = _count(cell("total_feedback"))
    except ValueError as exc:
        errs.append(FieldError("total_feedback", str(exc), rec.line))
    url = cell("consultation_url") or cell("initiative_url")
    title = cell("initiative_name") or (title_from_url(cell("initiative_url") or url) or "")
    if not title:
        errs.append(FieldError("initiative_name", "is empty and the initiative's link names no title", rec.line))
    topics, unknown = split_topics(cell("topic"), vocab)
    unknown_topics.update(unknown)
    if errs:
        status = cell("scrape_status").lower()
        if status and status != "success":
            why = cell("error_message")
            errs.append(
                FieldError("scrape_status", f"the export marks this row as not scraped ({why or status})", rec.line)
            )
        return None, feedback, errs
    data = {
        "title": title,
        "authority": AUTHORITY,
        "policy_areas": topics,
        "type": ConsultationType.PUBLIC_CONSULTATION,
        "reference": ident,
        "url": url or None,
        "opens": dates.get("consultation_start_date"),
        "closes": dates.get("consultation_end_date"),
    }
    return data, feedback, []


def check_records(
    records: list[Record],
    vocab: dict[str, str],
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[list[dict[str, Any]], list[FieldError], list[str]]:
    """Validate every record (in batches, set-wise through pydantic); rows ready to write, errors, unknown topics."""
    total = len(records)
    ready: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    unknown: set[str] = set()
    first_line: dict[str, int] = {}
    for start in range(0, total, BATCH):
        batch = records[start : start + BATCH]
        prepared: list[tuple[Record, dict[str, Any], int | None]] = []
        for rec in batch:
            data, feedback, errs = _prepare(rec, vocab, unknown)
            if errs:
                errors.extend(errs)
            elif data is not None:
                prepared.append((rec, data, feedback))
        models: list[ConsultationInput | None]
        try:
            models = list(_ROWS.validate_python([d for _, d, _ in prepared]))
        except ValidationError:
            # Rare: find the failing rows one by one for messages in the models' own words.
            models = []
            for rec, data, _ in prepared:
                try:
                    models.append(ConsultationInput.model_validate(data))
                except ValidationError as exc:
                    models.append(None)
                    errors.extend(
                        FieldError(_COLUMN_OF.get(e.field, e.field), e.message, rec.line)
                        for e in errors_of(ConsultationInput, exc)
                    )
        for (rec, _, feedback), model in zip(prepared, models, strict=True):
            if model is None:
                continue
            ref = model.reference or ""
            if ref in first_line:
                errors.append(
                    FieldError("initiative_id", f"{ref} appears again (first on line {first_line[ref]})", rec.line)
                )
                continue
            first_line[ref] = rec.line
            ready.append(
                {
                    "line": rec.line,
                    "reference": ref,
                    "title": model.title,
                    "authority": model.authority,
                    "policy_areas": list(model.policy_areas),
                    "type": model.type.value,
                    "url": model.url,
                    "opens": model.opens,
                    "closes": model.closes,
                    "total_feedback": feedback,
                    "response_status": ResponseStatus.NOT_STARTED.value,
                }
            )
        if on_progress:
            on_progress(min(start + BATCH, total), total)
    errors.sort(key=lambda e: e.line or 0)
    return ready, errors, sorted(unknown, key=str.lower)


# ---------------------------------------------------------------- planning and writing


def _plan(
    ready: list[dict[str, Any]], existing: dict[str, dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], dict[str, list[Any]]]], int, int]:
    """Split checked rows into inserts, updates (with their changes), unchanged and deleted-here."""
    inserts: list[dict[str, Any]] = []
    updates: list[tuple[dict[str, Any], dict[str, list[Any]]]] = []
    unchanged = deleted = 0
    for row in ready:
        old = existing.get(row["reference"])
        if old is None:
            inserts.append(row)
            continue
        if old["deleted_at"] is not None:
            deleted += 1  # someone deleted it here; an import never brings it back
            continue
        before = {f: old[f] for f in store.IMPORTED_FIELDS}
        after = {f: row[f] for f in store.IMPORTED_FIELDS}
        if before["policy_areas"] is not None:
            before["policy_areas"] = list(before["policy_areas"])
        changes = guard.diff(before, after)
        if changes:
            updates.append(({**row, "id": old["id"]}, changes))
        else:
            unchanged += 1
    return inserts, updates, unchanged, deleted


def import_export(
    db: Database,
    actor: User,
    data: bytes,
    *,
    filename: str = "",
    dry_run: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> HaveYourSayReport:
    """Import (or, with ``dry_run``, only count) a Have Your Say export; all or nothing."""
    guard.require_role(actor, Role.EDITOR)
    records, fmt, notes = read_export(data, filename)
    ready, errors, unknown = check_records(records, vocabulary(db), on_progress)
    if errors:
        raise ImportRefused(errors)
    if unknown:
        shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
        notes.append(f"Topics outside the Commission's list were kept as written: {shown}.")
    report = HaveYourSayReport(total=len(ready), file_format=fmt, dry_run=dry_run, notes=notes)

    if dry_run:
        with db.cursor() as cur:
            existing = store.imported_rows_cursor(cur)
        inserts, updates, unchanged, deleted = _plan(ready, existing)
    else:
        now = clock.now()

        def work(tx):  # type: ignore[no-untyped-def]
            inserts, updates, unchanged, deleted = _plan(ready, store.imported_rows(tx))
            if not inserts and not updates:
                return inserts, updates, unchanged, deleted  # an unchanged export is a true no-op
            ids = store.import_insert(tx, inserts, actor.username, now)
            store.import_update(tx, [u for u, _ in updates], actor.username, now)
            audit_rows = [
                (cid, "import", _dumps(guard.diff({}, _audit_fields(row))))
                for cid, row in zip(ids, inserts, strict=True)
            ]
            audit_rows += [(row["id"], "import update", _dumps(changes)) for row, changes in updates]
            store.import_audit(tx, actor.username, audit_rows)
            tx.audit(
                actor.username,
                "import",
                None,
                "have your say import",
                {
                    "file": [None, filename or fmt],
                    "inserted": [None, len(inserts)],
                    "updated": [None, len(updates)],
                    "unchanged": [None, unchanged + deleted],
                },
            )
            return inserts, updates, unchanged, deleted

        inserts, updates, unchanged, deleted = db.write(work)
    report.inserted, report.updated, report.unchanged = len(inserts), len(updates), unchanged + deleted
    if deleted:
        notes.append(f"{deleted:,} consultations deleted here were left deleted.")
    if on_progress:
        on_progress(len(records), len(records))
    return report


def import_file(
    db: Database,
    actor: User,
    path: str | os.PathLike[str],
    *,
    dry_run: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> HaveYourSayReport:
    """:func:`import_export` for a file on disk; a missing or oversized file is refused before reading."""
    p = Path(path).expanduser()
    if not p.is_file():
        raise UnreadableExport(f"There is no file at {p}.")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise UnreadableExport(too_large_message(size))
    return import_export(db, actor, p.read_bytes(), filename=p.name, dry_run=dry_run, on_progress=on_progress)


def _audit_fields(row: dict[str, Any]) -> dict[str, Any]:
    return {
        f: row[f]
        for f in ("title", "authority", "policy_areas", "type", "reference", "url", "opens", "closes", "total_feedback")
    }


def _dumps(changes: dict[str, list[Any]]) -> str:
    return json.dumps(changes, ensure_ascii=False, default=str)
