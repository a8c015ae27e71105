"""Checking the rows of a Have Your Say export: the portal's dates, topics and counts read,
each row made a consultation's input and validated by the model, duplicates refused."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlparse

from pydantic import TypeAdapter, ValidationError

from tracker.domain.enums import ConsultationType, ReferenceKind, ResponseStatus
from tracker.domain.errors import FieldError
from tracker.domain.models import ConsultationInput, errors_of
from tracker.store import Database
from tracker.store import reference as reference_store

from .hys_file import REQUIRED_COLUMNS, Record

AUTHORITY = "European Commission"
BATCH = 250

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
_ROWS = TypeAdapter(list[ConsultationInput])


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
