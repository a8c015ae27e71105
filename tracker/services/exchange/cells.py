"""Reading the cells of an import: text, whole numbers, decimals, Yes/No, dates as people
type them, labels of closed lists, lists, and references to other rows ("id: name", "id" or a
bare name, matched case- and space-insensitively).

Each reader takes one cell as found and returns the value, or raises :class:`Unreadable` with
a message for people.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from tracker.domain.enums import Stage

from . import writing
from .layout import Col

TARGET_WORD = {
    "issues": "issue",
    "organisations": "organisation",
    "contacts": "contact",
    "joint_positions": "joint position",
    "consultations": "consultation",
}


def norm(text: str) -> str:
    """Names compare case- and space-insensitively."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


class Unreadable(ValueError):
    """A cell that cannot be read; the message is for people."""


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        text = writing.unneutralise(value)
        return text if text.strip() else None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


_INT_LIMIT = 2**63  # the database's BIGINT


def _int(value: Any) -> int | None:
    number = _whole(value)
    if number is not None and not -_INT_LIMIT < number < _INT_LIMIT:
        raise Unreadable(f"{str(value).strip()[:40]} is too large")
    return number


def _whole(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise Unreadable("must be a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise Unreadable("must be a whole number")
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d+", text):
        if len(text.lstrip("+-")) > 19:
            raise Unreadable(f"{text[:40]} is too large")
        return int(text)
    if re.fullmatch(r"[+-]?\d+\.0*", text):
        return int(text.split(".")[0])
    raise Unreadable(f"'{text[:40]}' is not a whole number")


def _decimal(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise Unreadable("must be a number")
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d+,\d+", text):
        raise Unreadable(f"'{text}': use a point as the decimal mark ({text.replace(',', '.')})")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise Unreadable(f"'{text[:40]}' is not a number") from None


_TRUE = {"yes", "y", "true", "1", "x", "✓"}
_FALSE = {"no", "n", "false", "0", ""}


def _bool(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise Unreadable(f"'{str(value)[:40]}' must be Yes or No")


_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_WORDS = ("%d %b %Y", "%d %B %Y")


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise Unreadable(f"{value:%Y-%m-%d %H:%M} has a time of day; a date is expected")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise Unreadable(f"{value} is a number, not a date; format the cell as a date or write YYYY-MM-DD")
    text = str(value).strip()
    if not text:
        return None
    m = _ISO.match(text)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise Unreadable(f"'{text}' is not a real date") from None
    for fmt in _WORDS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    if re.fullmatch(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}", text):
        raise Unreadable(f"'{text}' is ambiguous (day/month or month/day?); write it as YYYY-MM-DD")
    raise Unreadable(f"'{text[:40]}' is not a date; write it as YYYY-MM-DD")


def _enum(enum: type[Enum]) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        text = _text(value)
        if text is None:
            return None
        try:
            return enum.from_label(text)  # type: ignore[attr-defined]
        except ValueError:
            choices = ", ".join(getattr(m, "label", str(m.value)) for m in enum)
            raise Unreadable(f"'{text[:60]}' must be one of: {choices}") from None

    return read


def _list(value: Any) -> tuple[str, ...]:
    text = _text(value)
    if text is None:
        return ()
    return tuple(p.strip() for p in text.split(";") if p.strip())


def _refs(value: Any) -> str | None:
    """A reference cell as text; matched against names later, inside the transaction."""
    return _text(value)


def reader_of(col: Col) -> Callable[[Any], Any]:
    kind = col.kind
    if kind in ("id", "version", "int"):
        return _int
    if kind == "decimal":
        return _decimal
    if kind == "bool":
        return _bool
    if kind == "date":
        return _date
    if kind == "enum":
        assert col.enum is not None
        return _enum(col.enum)
    if kind == "stage":
        return _enum(Stage)
    if kind == "list":
        return _list
    if kind in ("ref", "links"):
        return _refs
    return _text


def id_ref(text: str) -> tuple[int, str] | None:
    """(id, name) of "12: name", "12" or "#12"; None for a bare name."""
    head, colon, rest = text.partition(":")
    head = head.strip().removeprefix("#")
    if not (head.isascii() and head.isdigit()):
        return None
    if not colon and head != text.strip().removeprefix("#"):
        return None
    return int(head), rest.strip()


class Resolver:
    """Matches "id: name", "id" or a bare name to a row of one table."""

    def __init__(self, target: str, pairs: Iterable[tuple[int, str]]) -> None:
        self.word = TARGET_WORD[target]
        self.by_id: dict[int, str] = {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for i, name in pairs:
            self.by_id[i] = name or ""
            self.by_name[norm(name or "")].append(i)

    def _by_name(self, text: str, had_id: bool) -> int:
        matches = self.by_name.get(norm(text), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            ids = ", ".join(str(m) for m in sorted(matches)[:5])
            raise Unreadable(f"'{text[:60]}' matches {len(matches)} {self.word}s (IDs {ids}); write it as 'ID: name'")
        if had_id:
            raise Unreadable(f"no {self.word} has the ID in '{text[:60]}'")
        raise Unreadable(f"unknown {self.word} '{text[:60]}'")

    def one(self, text: str) -> int:
        ref = id_ref(text)
        if ref and ref[0] in self.by_id:
            return ref[0]
        return self._by_name(text, ref is not None)

    def many(self, text: str) -> tuple[list[int], list[str]]:
        """The ids a "a; b; c" cell names, and a message per part that names none."""
        if ";" not in text:
            ref = id_ref(text)
            if ref and ref[0] in self.by_id:
                return [ref[0]], []  # the usual cell: one "id: name"
        ids: list[int] = []
        problems: list[str] = []
        current: int | None = None
        title = ""
        for part in (p.strip() for p in text.split(";")):
            if not part:
                continue
            ref = id_ref(part)
            if ref and ref[0] in self.by_id:
                current, title = ref
                if current not in ids:
                    ids.append(current)
                continue
            if current is not None and title:
                # A name that itself contains "; " continues the previous "id: name".
                candidate = f"{title}; {part}"
                if norm(self.by_id[current]).startswith(norm(candidate)):
                    title = candidate
                    continue
            current = None
            try:
                found = self._by_name(part, ref is not None)
            except Unreadable as exc:
                problems.append(str(exc))
                continue
            if found not in ids:
                ids.append(found)
        return sorted(ids), problems
