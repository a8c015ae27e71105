"""Spreadsheet imports: the export format read back, all or nothing.

A line with an ID updates that row (only if it changed, and only if nobody saved it since the
export: its Version must still be current); a line without an ID creates a row. References to
other rows are "id: name" or just a name, matched case- and space-insensitively. Every line is
checked before anything is written; one unusable line refuses the whole file with a report of
every unusable line (line number, column, reason). Writes happen set-wise in one transaction,
with an audit entry per changed row attributed to the importing user.

Validation goes through the domain models' own field definitions, applied column by column to
the distinct values of each column (a 100,000-line file has few distinct dates or types), then
the models' cross-field rules per row.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import types
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError, create_model

from tracker.domain import clock
from tracker.domain.enums import Role, Stage
from tracker.domain.errors import FieldError, ImportRefused, ImportReport, InvalidInput
from tracker.domain.models import User, errors_of
from tracker.store import Database, Tx
from tracker.store import exchange as store
from tracker.store.bulk import next_ids

from . import guard, spreadsheet
from .exports import Col, TableSpec, spec_of
from .spreadsheet import Sheet

Progress = Callable[[float, str], None]

_TARGET_WORD = {
    "issues": "issue",
    "organisations": "organisation",
    "contacts": "contact",
    "joint_positions": "joint position",
    "consultations": "consultation",
}
MAX_AUTHOR = 100


def _norm(text: str) -> str:
    """Names compare case- and space-insensitively."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


class _Bad(ValueError):
    """A cell that cannot be read; the message is for people."""


# A cell that could not be read (already reported): later checks skip it.
_FAILED: Any = type("_Failed", (), {"__repr__": lambda self: "<unreadable>"})()
# No links.
_EMPTY: tuple[int, ...] = ()
# A required value left empty: the default for a new row, else an error.
_MISSING: Any = type("_Missing", (), {"__repr__": lambda self: "<missing>"})()
# A field the file does not set for a row: the stored value (updates) or the default (new rows).
_UNSET: Any = type("_Unset", (), {"__repr__": lambda self: "<unset>"})()


# ------------------------------------------------------------------ cell readers


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        text = spreadsheet.unneutralise(value)
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
        raise _Bad(f"{str(value).strip()[:40]} is too large")
    return number


def _whole(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _Bad("must be a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _Bad("must be a whole number")
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d+", text):
        if len(text.lstrip("+-")) > 19:
            raise _Bad(f"{text[:40]} is too large")
        return int(text)
    if re.fullmatch(r"[+-]?\d+\.0*", text):
        return int(text.split(".")[0])
    raise _Bad(f"'{text[:40]}' is not a whole number")


def _decimal(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _Bad("must be a number")
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d+,\d+", text):
        raise _Bad(f"'{text}': use a point as the decimal mark ({text.replace(',', '.')})")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise _Bad(f"'{text[:40]}' is not a number") from None


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
    raise _Bad(f"'{str(value)[:40]}' must be Yes or No")


_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_WORDS = ("%d %b %Y", "%d %B %Y")


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise _Bad(f"{value:%Y-%m-%d %H:%M} has a time of day; a date is expected")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise _Bad(f"{value} is a number, not a date; format the cell as a date or write YYYY-MM-DD")
    text = str(value).strip()
    if not text:
        return None
    m = _ISO.match(text)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise _Bad(f"'{text}' is not a real date") from None
    for fmt in _WORDS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    if re.fullmatch(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}", text):
        raise _Bad(f"'{text}' is ambiguous (day/month or month/day?); write it as YYYY-MM-DD")
    raise _Bad(f"'{text[:40]}' is not a date; write it as YYYY-MM-DD")


def _enum(enum: type[Enum]) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        text = _text(value)
        if text is None:
            return None
        try:
            return enum.from_label(text)  # type: ignore[attr-defined]
        except ValueError:
            choices = ", ".join(getattr(m, "label", str(m.value)) for m in enum)  # type: ignore[attr-defined]
            raise _Bad(f"'{text[:60]}' must be one of: {choices}") from None

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


# ------------------------------------------------------------------ name matching


def _id_ref(text: str) -> tuple[int, str] | None:
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
        self.word = _TARGET_WORD[target]
        self.by_id: dict[int, str] = {}
        self.by_name: dict[str, list[int]] = defaultdict(list)
        for i, name in pairs:
            self.by_id[i] = name or ""
            self.by_name[_norm(name or "")].append(i)

    def _by_name(self, text: str, had_id: bool) -> int:
        matches = self.by_name.get(_norm(text), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            ids = ", ".join(str(m) for m in sorted(matches)[:5])
            raise _Bad(f"'{text[:60]}' matches {len(matches)} {self.word}s (IDs {ids}); write it as 'ID: name'")
        if had_id:
            raise _Bad(f"no {self.word} has the ID in '{text[:60]}'")
        raise _Bad(f"unknown {self.word} '{text[:60]}'")

    def one(self, text: str) -> int:
        ref = _id_ref(text)
        if ref and ref[0] in self.by_id:
            return ref[0]
        return self._by_name(text, ref is not None)

    def many(self, text: str) -> tuple[list[int], list[str]]:
        """The ids a "a; b; c" cell names, and a message per part that names none."""
        if ";" not in text:
            ref = _id_ref(text)
            if ref and ref[0] in self.by_id:
                return [ref[0]], []  # the usual cell: one "id: name"
        ids: list[int] = []
        problems: list[str] = []
        current: int | None = None
        title = ""
        for part in (p.strip() for p in text.split(";")):
            if not part:
                continue
            ref = _id_ref(part)
            if ref and ref[0] in self.by_id:
                current, title = ref
                if current not in ids:
                    ids.append(current)
                continue
            if current is not None and title:
                # A name that itself contains "; " continues the previous "id: name".
                candidate = f"{title}; {part}"
                if _norm(self.by_id[current]).startswith(_norm(candidate)):
                    title = candidate
                    continue
            current = None
            try:
                found = self._by_name(part, ref is not None)
            except _Bad as exc:
                problems.append(str(exc))
                continue
            if found not in ids:
                ids.append(found)
        return sorted(ids), problems


# ------------------------------------------------------------------ model fields


@cache
def _field_model(model: type[BaseModel], name: str) -> type[BaseModel]:
    """A one-field model with exactly the domain model's rules for ``name``."""
    info = model.model_fields[name]
    return create_model(f"{model.__name__}_{name}", __config__=model.model_config, **{name: (info.annotation, info)})  # type: ignore[call-overload]


@cache
def _nullable(model: type[BaseModel], name: str) -> bool:
    try:
        _field_model(model, name).model_validate({name: None})
        return True
    except ValidationError:
        return False


@cache
def _defaults(model: type[BaseModel]) -> dict[str, tuple[bool, Any]]:
    out: dict[str, tuple[bool, Any]] = {}
    for name, info in model.model_fields.items():
        out[name] = (False, None) if info.is_required() else (True, info.get_default(call_default_factory=True))
    return out


def _default(model: type[BaseModel], name: str) -> tuple[bool, Any]:
    """Whether the field has a default, and a fresh copy of it."""
    has, value = _defaults(model)[name]
    return has, (list(value) if isinstance(value, list) else value)


def _after_validators(model: type[BaseModel]) -> list[Callable[[Any], Any]]:
    decorators = model.__pydantic_decorators__.model_validators.values()
    return [d.func for d in decorators if d.info.mode == "after"]  # type: ignore[misc]


# ------------------------------------------------------------------ the plan


@dataclass
class _Plan:
    spec: TableSpec
    n: int
    lines: list[int]
    present: list[Col]
    values: dict[str, list[Any]]
    errors: list[FieldError] = field(default_factory=list)
    bad: set[int] = field(default_factory=set)
    creates: list[int] = field(default_factory=list)
    updates: list[int] = field(default_factory=list)
    unchanged: int = 0
    current: dict[int, dict[str, Any]] = field(default_factory=dict)  # id → stored values
    changed: dict[int, list[str]] = field(default_factory=dict)  # row → changed fields
    final: dict[str, list[Any]] = field(default_factory=dict)  # field → validated value per row (or _UNSET)
    events: list[dict[str, Any]] = field(default_factory=list)  # new stage events

    def fail(self, row: int, column: str, message: str) -> None:
        self.errors.append(FieldError(column, message, self.lines[row]))
        self.bad.add(row)

    def has(self, name: str) -> bool:
        return name in self.values


def _map_headers(spec: TableSpec, headers: Sequence[str]) -> tuple[list[tuple[int, Col]], list[FieldError]]:
    known: dict[str, Col] = {}
    for c in spec.columns:
        known[_norm(c.header)] = c
        known.setdefault(_norm(c.field.replace("_", " ")), c)
        known.setdefault(_norm(c.field), c)
    mapped: list[tuple[int, Col]] = []
    errors: list[FieldError] = []
    seen: dict[str, str] = {}
    for i, header in enumerate(headers):
        if not header.strip():
            errors.append(FieldError(f"column {i + 1}", "has no header; name it or delete the column", 1))
            continue
        found = known.get(_norm(header))
        if found is None:
            errors.append(
                FieldError(
                    header,
                    f"is not a column of {spec.label.lower()}; the columns are: "
                    + ", ".join(x.header for x in spec.columns if not x.readonly),
                    1,
                )
            )
            continue
        if found.field in seen:
            errors.append(FieldError(header, f"appears twice (as '{seen[found.field]}' too)", 1))
            continue
        seen[found.field] = header
        mapped.append((i, found))
    return mapped, errors


def _distinct(values: Sequence[Any], convert: Callable[[Any], Any], typed: bool) -> tuple[list[Any], dict[int, str]]:
    """``convert`` applied once per distinct value: the converted column (``_FAILED`` where it
    failed) and the failure message per row. ``typed``: values of several types may be equal
    (1, 1.0 and True from Excel) and must stay apart."""
    keys: Sequence[Any] = [(type(v), v) for v in values] if typed else values
    results: dict[Any, tuple[bool, Any]] = {}
    for key in set(keys):
        try:
            results[key] = (True, convert(key[1] if typed else key))
        except _Bad as exc:
            results[key] = (False, str(exc))
    if all(ok for ok, _ in results.values()):
        return [results[k][1] for k in keys], {}
    out: list[Any] = []
    failures: dict[int, str] = {}
    for r, k in enumerate(keys):
        ok, value = results[k]
        if ok:
            out.append(value)
        else:
            out.append(_FAILED)
            failures[r] = value
    return out, failures


def _read_columns(spec: TableSpec, sheet: Sheet, progress: Progress) -> _Plan:
    mapped, header_errors = _map_headers(spec, sheet.headers)
    if header_errors:
        raise ImportRefused(header_errors + sheet.problems)
    n = len(sheet)
    present = [c for _, c in mapped]
    plan = _Plan(spec, n, sheet.lines, present, {})
    plan.errors.extend(sheet.problems)
    row_of = {line: r for r, line in enumerate(sheet.lines)}
    for problem in sheet.problems:
        if problem.line in row_of:
            plan.bad.add(row_of[problem.line])
    for k, (index, col) in enumerate(mapped):
        if col.readonly:
            continue
        out, failures = _distinct(sheet.column(index), reader_of(col), sheet.typed)
        for r, message in failures.items():
            plan.fail(r, col.header, message)
        plan.values[col.field] = out
        progress(0.3 + 0.2 * (k + 1) / max(len(mapped), 1), "Reading the columns")
    return plan


# -- references ------------------------------------------------------------


def _resolve(tx: Tx, plan: _Plan) -> None:
    """Reference cells ("12: name", "12", "name"; several joined by ";") to ids, once per distinct cell."""
    resolvers: dict[str, Resolver] = {}
    for col in plan.present:
        if col.readonly or col.kind not in ("ref", "links"):
            continue
        assert col.target is not None
        if col.target not in resolvers:
            resolvers[col.target] = Resolver(col.target, store.names(tx, col.target))
        res = resolvers[col.target]
        many = col.kind == "links"

        def resolve(text: Any, res: Resolver = res, many: bool = many) -> Any:
            if text is _FAILED:
                return _FAILED
            if text is None:
                return _EMPTY if many else None
            if many:
                ids, problems = res.many(text)
                if problems:
                    raise _Bad("; ".join(problems))
                return tuple(ids)
            return res.one(text)

        out, failures = _distinct(plan.values[col.field], resolve, False)
        for r, message in failures.items():
            plan.fail(r, col.header, message)
        plan.values[col.field] = out


# -- current rows and changes -----------------------------------------------


def _stored(col: Col, raw: Any) -> Any:
    """A stored value in the form a cell reads into (to compare the two)."""
    if raw is None:
        return () if col.kind in ("links", "list") else None
    if col.kind == "enum":
        try:
            return col.enum(raw)  # type: ignore[misc]
        except ValueError:
            return raw
    if col.kind == "stage":
        try:
            return Stage(raw)
        except ValueError:
            return raw
    if col.kind == "list":
        return tuple(raw)
    if col.kind == "links":
        return tuple(sorted(raw))
    if col.kind == "decimal":
        return Decimal(str(raw))
    return raw


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        try:
            return Decimal(str(a)) == Decimal(str(b))
        except InvalidOperation:
            return False
    return bool(a == b)


def _classify(tx: Tx, plan: _Plan) -> None:
    spec = plan.spec
    ids = plan.values.get("id") or [None] * plan.n
    versions = plan.values.get("version")
    first_line: dict[int, int] = {}
    wanted: list[int] = []
    for r, i in enumerate(ids):
        if i is None or i is _FAILED:
            continue
        if i in first_line:
            plan.fail(r, "ID", f"ID {i} is also on line {plan.lines[first_line[i]]}; each row once")
            continue
        first_line[i] = r
        wanted.append(i)
    names, rows = store.export_rows(tx, spec.name, wanted, mode="ids") if wanted else ([], [])
    current = {int(row[0]): dict(zip(names, row, strict=True)) for row in rows}
    plan.current = current
    deleted = store.deleted_ids(tx, spec.name, [i for i in wanted if i not in current])
    editable = [c for c in plan.present if not c.readonly and c.kind not in ("id", "version")]
    existing = [
        r
        for r, i in enumerate(ids)
        if i is not None and i is not _FAILED and first_line.get(i) == r and i in current and r not in plan.bad
    ]
    # Column by column: what each existing line changes (codes compare equal to their enums).
    changes: dict[int, list[str]] = defaultdict(list)
    for c in editable:
        column = plan.values[c.field]
        stored = [current[ids[r]].get(c.field) for r in existing]
        if c.kind in ("list", "links", "decimal"):
            stored = [_stored(c, v) for v in stored]
        for r, new, old in zip(existing, [column[r] for r in existing], stored, strict=True):
            if new != old and not _same(new, _stored(c, old)):
                changes[r].append(c.field)
    stale: list[int] = []
    for r, i in enumerate(ids):
        if i is _FAILED:
            continue
        if i is None:
            plan.creates.append(r)
            continue
        if first_line.get(i) != r:
            continue
        row = current.get(i)
        if row is None:
            why = "was deleted" if i in deleted else "does not exist (it may have been deleted)"
            plan.fail(r, "ID", f"{spec.entity.replace('_', ' ')} {i} {why}; clear the ID to add the line as new")
            continue
        if r in plan.bad:
            continue
        changed = changes.get(r, [])
        if spec.name == "issues" and "stage" in changed:
            if plan.values["stage"][r] is None:
                changed.remove("stage")
            else:
                plan.fail(
                    r,
                    "Current stage",
                    f"is {_stage_label(row.get('stage'))} in the tracker; change stages with a stage event "
                    "(the issue page, or an import of stage events), not here",
                )
                continue
        if not changed:
            plan.unchanged += 1
            continue
        if spec.name == "stage_events":
            plan.fail(
                r,
                "ID",
                "stage events are history and cannot be changed; add a new line without an ID to move the issue",
            )
            continue
        if versions is None:
            plan.fail(r, "Version", "the file has no Version column; export again to update existing rows")
            continue
        v = versions[r]
        if v is None:
            plan.fail(r, "Version", "is needed to update an existing row; export again")
            continue
        if v != row["version"]:
            stale.append(r)
            continue
        plan.changed[r] = changed
        plan.updates.append(r)
    if stale:
        last = store.latest_changes(tx, spec.entity, [ids[r] for r in stale])
        for r in stale:
            who, when = last.get(ids[r], (None, None))
            by = f" by {who}" if who else ""
            at = f" at {clock.format_timestamp(when)}" if when else ""
            plan.fail(
                r,
                "Version",
                f"this {spec.entity.replace('_', ' ')} was changed{by}{at} after the file was exported "
                f"(version {versions[r] if versions else '?'} in the file, {current[ids[r]]['version']} now); "
                "export again and reapply your changes",
            )


def _stage_label(value: Any) -> str:
    try:
        return Stage(value).label
    except (ValueError, TypeError):
        return "not set"


# -- model validation --------------------------------------------------------


def _validate_fields(plan: _Plan) -> None:
    """Each field of each new or changed row through the model's own field rules, per distinct value."""
    spec = plan.spec
    model = spec.model
    assert model is not None
    fields = model.model_fields
    headers = {c.field: c.header for c in spec.columns}
    new_rows = set(plan.creates)
    for name in fields:
        plan.final[name] = [_UNSET] * plan.n
    if plan.creates:
        missing = [
            name
            for name in [*fields, *spec.key_fields]
            if not plan.has(name) and (name in spec.key_fields or not _default(model, name)[0])
        ]
        for name in missing:
            plan.errors.append(
                FieldError(headers.get(name, name), "new rows need this column, but the file has none", 1)
            )
            plan.bad.update(plan.creates)
    for col in plan.present:
        name = col.field
        if col.readonly or name not in fields:
            continue
        rows = plan.creates + [r for r in plan.updates if name in plan.changed[r]]
        if not rows:
            continue
        column = plan.values[name]
        out = plan.final[name]
        if col.kind in ("ref", "links"):
            for r in rows:
                if column[r] is not _FAILED:
                    out[r] = column[r]
            continue
        one = _field_model(model, name)
        nullable = _nullable(model, name)

        def check(value: Any, one: type[BaseModel] = one, name: str = name, nullable: bool = nullable) -> Any:
            if value is _FAILED:
                return _FAILED
            if value is None and not nullable:
                return _MISSING
            try:
                return getattr(one.model_validate({name: list(value) if isinstance(value, tuple) else value}), name)
            except ValidationError as exc:
                raise _Bad("; ".join(e.message for e in errors_of(one, exc))) from None

        checked, failures = _distinct([column[r] for r in rows], check, False)
        if len(rows) == plan.n and not failures and _MISSING not in checked and _FAILED not in checked:
            plan.final[name] = checked  # the common case: every line new and fine
            continue
        has_default = _default(model, name)[0]
        for k, r in enumerate(rows):
            value = checked[k]
            if k in failures:
                plan.fail(r, col.header, failures[k])
            elif value is _MISSING:
                if not (r in new_rows and has_default):
                    plan.fail(r, col.header, "is required")
            elif value is not _FAILED:
                out[r] = value
    for key in spec.key_fields:
        if plan.has(key):
            for r in plan.creates:
                if plan.values[key][r] is None:
                    plan.fail(r, headers[key], "is required")


def _value(plan: _Plan, r: int, name: str) -> Any:
    """A field of row ``r`` as it will be stored: the file's value, else the stored one (an
    update) or the model's default (a new row)."""
    value = plan.final[name][r]
    if value is not _UNSET:
        return value
    if r in plan.changed:
        row = plan.current[plan.values["id"][r]]
        stored = _stored(plan.spec.col(name), row.get(name)) if name in row else None
        return list(stored) if isinstance(stored, tuple) else stored
    return _default(plan.spec.model, name)[1]  # type: ignore[arg-type]


def _column(plan: _Plan, rows: Sequence[int], name: str) -> list[Any]:
    """:func:`_value` for many rows (``rows`` ascending, as planned)."""
    final = plan.final[name]
    values = final if len(rows) == plan.n else [final[r] for r in rows]
    if _UNSET not in values:
        return values
    return [v if v is not _UNSET else _value(plan, r, name) for v, r in zip(values, rows, strict=True)]


def _fields_read(check: Callable[[Any], Any], model: type[BaseModel]) -> list[str]:
    """The model fields a validator reads (the attribute names its code uses)."""
    code = getattr(check, "__code__", None)
    names = set(code.co_names) if code else set(model.model_fields)
    return [f for f in model.model_fields if f in names]


def _cross_check(plan: _Plan) -> None:
    """The model's rules that relate several fields (closing after opening, …), once per distinct
    combination of the fields each rule reads."""
    model = plan.spec.model
    assert model is not None
    headers = {c.field: c.header for c in plan.spec.columns}
    rows = [r for r in [*plan.creates, *plan.updates] if r not in plan.bad]
    for check in _after_validators(model):
        names = _fields_read(check, model)
        columns = [_column(plan, rows, f) for f in names]
        outcome: dict[tuple[Any, ...], str | None] = {}
        for k, r in enumerate(rows):
            key = tuple(_hashable(c[k]) for c in columns)
            if key not in outcome:
                try:
                    check(types.SimpleNamespace(**{f: c[k] for f, c in zip(names, columns, strict=True)}))
                    outcome[key] = None
                except ValueError as exc:
                    outcome[key] = str(exc)
            message = outcome[key]
            if message is not None:
                name, _, reason = message.partition(":")
                plan.fail(r, headers.get(name.strip()) or name.strip(), reason.strip() or message)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


# -- rules of particular tables ------------------------------------------------


def _table_rules(tx: Tx, plan: _Plan) -> None:
    name = plan.spec.name
    ids = plan.values.get("id") or [None] * plan.n
    if name == "organisations":
        existing: dict[str, int] = {}
        for i, org in store.names(tx, "organisations"):
            existing.setdefault(_norm(org), i)
        in_file: dict[str, int] = {}
        for r in [*plan.creates, *plan.updates]:
            if r in plan.bad or plan.final["name"][r] is _UNSET:
                continue
            name_key = _norm(plan.final["name"][r])
            other = existing.get(name_key)
            if other is not None and other != ids[r]:
                plan.fail(
                    r,
                    "Name",
                    f"an organisation with this name exists already (ID {other}); "
                    "put its ID in the ID column to update it",
                )
            elif name_key in in_file:
                plan.fail(r, "Name", f"is also on line {plan.lines[in_file[name_key]]}")
            else:
                in_file[name_key] = r
    elif name == "signatories":
        pairs = store.signatory_pairs(tx)
        seen: dict[tuple[int, int], int] = {}
        for r in [*plan.creates, *plan.updates]:
            if r in plan.bad:
                continue
            jp = plan.values["joint_position_id"][r] if plan.has("joint_position_id") else None
            if jp is None and r in plan.changed:
                jp = plan.current[ids[r]]["joint_position_id"]
            org = _value(plan, r, "organisation_id")
            if jp is None or org is None:
                continue
            key = (int(jp), int(org))
            other = pairs.get(key)
            if other is not None and other != ids[r]:
                plan.fail(r, "Organisation", f"has signed this joint position already (signatory ID {other})")
            elif key in seen:
                plan.fail(r, "Organisation", f"is also on line {plan.lines[seen[key]]} for this joint position")
            else:
                seen[key] = r


def _stage_events(tx: Tx, plan: _Plan, actor: User) -> None:
    """New events must climb or descend the ladder in date order, from where each issue stands."""
    today = clock.today()
    rows = [r for r in plan.creates if r not in plan.bad]
    issue_column = plan.values["issue_id"]
    issue_ids = sorted({issue_column[r] for r in rows if issue_column[r] is not None})
    state = store.stage_state(tx, issue_ids)
    headers = {c.field: c.header for c in plan.spec.columns}
    authors = plan.values.get("author", [None] * plan.n)
    froms = plan.values.get("from_stage", [None] * plan.n)
    for r in rows:
        if r in plan.bad:
            continue
        issue = issue_column[r]
        stage, since, archived = state.get(issue, (None, None, False))
        to, when = _value(plan, r, "to_stage"), _value(plan, r, "event_date")
        note, ref, url = (_value(plan, r, f) for f in ("note", "evidence_ref", "evidence_url"))
        author = (authors[r] or actor.username).strip()
        problems: list[tuple[str, str]] = []
        if archived:
            problems.append((headers["issue_id"], "is archived; restore it before moving its stage"))
        if when > today:
            problems.append((headers["event_date"], "cannot be in the future"))
        if since is not None and when < since:
            problems.append(
                (
                    headers["event_date"],
                    f"is before the issue's latest stage event ({since.isoformat()}); add events in date order",
                )
            )
        given_from = froms[r]
        if given_from is not None and (stage is None or Stage(stage) != given_from):
            problems.append(
                (headers["from_stage"], f"the issue is at {_stage_label(stage)} at that point, not {given_from.label}")
            )
        if stage is not None and int(to) == int(stage):
            problems.append((headers["to_stage"], f"the issue is already at {Stage(stage).label}"))
        elif stage is not None and int(to) > int(stage) and not (ref or url):
            problems.append((headers["evidence_ref"], "a move up needs evidence (a reference or a link)"))
        elif stage is not None and int(to) < int(stage) and not note:
            problems.append((headers["note"], "a move down needs a reason in the note"))
        if len(author) > MAX_AUTHOR:
            problems.append((headers["author"], f"is too long (at most {MAX_AUTHOR} characters)"))
        if problems:
            for column, message in problems:
                plan.fail(r, column, message)
            continue
        plan.events.append(
            {
                "issue_id": issue,
                "from_stage": None if stage is None else int(stage),
                "to_stage": int(to),
                "event_date": when,
                "author": author,
                "note": note,
                "evidence_ref": ref,
                "evidence_url": url,
            }
        )
        state[issue] = (int(to), when, archived)


# ------------------------------------------------------------------ writing


def _db_value(value: Any) -> Any:
    if isinstance(value, Stage):
        return int(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    return value


def _db_column(values: list[Any]) -> list[Any]:
    sample = next((v for v in values if v is not None), None)
    if isinstance(sample, (Enum, tuple)):
        return [_db_value(v) for v in values]
    return values


def _write(tx: Tx, plan: _Plan, actor: User, file_label: str) -> ImportReport:
    spec = plan.spec
    now = clock.now()
    audit: dict[str, list[Any]] = defaultdict(list)

    def audit_row(entity: str, entity_id: int | None, action: str, changes: dict[str, Any]) -> None:
        audit["at"].append(now)
        audit["actor"].append(actor.username)
        audit["entity"].append(entity)
        audit["entity_id"].append(entity_id)
        audit["action"].append(action)
        audit["changes"].append(json.dumps(changes, ensure_ascii=False, default=str))

    inserted = updated = 0
    if spec.name == "stage_events":
        events = plan.events
        if events:
            ids = next_ids(tx, "stage_events", len(events))
            store.insert_rows(tx, "stage_events", {"id": ids, **{k: [e[k] for e in events] for k in events[0]}})
            store.touch_issues(tx, sorted({e["issue_id"] for e in events}), at=now, by=actor.username)
        for e in events:
            audit_row(
                "issue",
                e["issue_id"],
                "stage",
                {"stage": [e["from_stage"], e["to_stage"]], "event_date": [None, e["event_date"].isoformat()]},
            )
        inserted = len(events)
    else:
        model = spec.model
        assert model is not None
        links = store.LINK_TABLES.get(spec.name, {})
        table_fields = [f for f in model.model_fields if f not in links]
        if plan.creates:
            rows = plan.creates
            ids = next_ids(tx, spec.name, len(rows))
            cols: dict[str, list[Any]] = {"id": ids}
            for f in table_fields:
                cols[f] = _db_column(_column(plan, rows, f))
            for f in spec.key_fields:
                cols[f] = [plan.values[f][r] for r in rows]
            if spec.name in ("issues", "activities"):
                cols["created_by"] = [actor.username] * len(ids)
            store.insert_rows(tx, spec.name, cols)
            for f in links:
                store.replace_links(tx, spec.name, f, ids, _column(plan, rows, f), new=True)
            if spec.name == "issues":
                stages = plan.values.get("stage", [None] * plan.n)
                store.insert_rows(
                    tx,
                    "stage_events",
                    {
                        "id": next_ids(tx, "stage_events", len(ids)),
                        "issue_id": ids,
                        "from_stage": [None] * len(ids),
                        "to_stage": [int(stages[r]) if stages[r] is not None else int(Stage.WATCHING) for r in rows],
                        "event_date": [clock.today()] * len(ids),
                        "author": [actor.username] * len(ids),
                        "note": ["Stage recorded when the issue was imported."] * len(ids),
                    },
                )
            store.audit_created(
                tx,
                spec.name,
                spec.entity,
                ids,
                [*table_fields, *spec.key_fields],
                list(links),
                at=now,
                by=actor.username,
            )
            inserted = len(ids)
        if plan.updates:
            rows = plan.updates
            ids = [plan.values["id"][r] for r in rows]
            cols = {"id": ids}
            for f in sorted(store.UPDATABLE[spec.name]):
                if f in spec.key_fields:
                    cols[f] = [
                        plan.values[f][r] if plan.has(f) and plan.values[f][r] is not None else plan.current[i][f]
                        for r, i in zip(rows, ids, strict=True)
                    ]
                else:
                    cols[f] = _db_column(_column(plan, rows, f))
            done = store.update_rows(
                tx, spec.name, cols, [plan.current[i]["version"] for i in ids], at=now, by=actor.username
            )
            if len(done) != len(ids):
                missed = next(i for i in ids if i not in set(done))
                raise guard.conflict(spec.entity, missed, None)
            for f in links:
                changed = [k for k, r in enumerate(rows) if f in plan.changed[r]]
                store.replace_links(
                    tx, spec.name, f, [ids[k] for k in changed], [_value(plan, rows[k], f) for k in changed]
                )
            for r, i in zip(rows, ids, strict=True):
                before = plan.current[i]
                changes = {}
                for f in plan.changed[r]:
                    old = _stored(spec.col(f), before.get(f))
                    new = _value(plan, r, f) if f in plan.final else plan.values[f][r]
                    changes[f] = [_json(old), _json(new)]
                audit_row(spec.entity, i, "update", changes)
            updated = len(ids)
    if not (inserted or updated):
        return ImportReport(unchanged=plan.unchanged)
    audit_row(
        "import",
        None,
        "import",
        {
            "table": [None, spec.name],
            "file": [None, file_label],
            "inserted": [None, inserted],
            "updated": [None, updated],
        },
    )
    store.write_audit(tx, audit)
    return ImportReport(inserted=inserted, updated=updated, unchanged=plan.unchanged)


def _json(value: Any) -> Any:
    if isinstance(value, tuple):
        value = list(value)
    return guard._norm(value)


# ------------------------------------------------------------------ the use case


def _no_progress(_fraction: float, _message: str) -> None:
    return None


def read_sheet(data: bytes, filename: str) -> Sheet:
    """The file's table as read (for a preview); :class:`ImportRefused` if it cannot be read."""
    return spreadsheet.read(data, filename)


def import_file(
    db: Database,
    actor: User,
    table: str,
    data: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    max_bytes: int | None = spreadsheet.MAX_BYTES,
) -> ImportReport:
    """Import a spreadsheet into ``table``: everything or nothing.

    Returns the counts (what would happen, with ``dry_run``). ``max_bytes`` is the upload limit
    (None on the command line, which reads files of any size). Raises :class:`ImportRefused`
    with every unusable line, :class:`PermissionDenied` below the editor role.
    """
    guard.require_role(actor, Role.EDITOR)
    spec = spec_of(table)
    if not spec.importable:
        raise InvalidInput.one("Table", f"{spec.label} can be exported but not imported")
    report = progress or _no_progress
    report(0.0, "Reading the file")
    sheet = spreadsheet.read(data, filename, max_bytes=max_bytes)
    if not len(sheet):
        raise ImportRefused([FieldError("File", "has a header but no data lines", 1)])
    report(0.3, "Reading the columns")
    plan = _read_columns(spec, sheet, report)

    def work(tx: Tx) -> ImportReport:
        report(0.5, "Matching names and checking versions")
        _resolve(tx, plan)
        _classify(tx, plan)
        report(0.6, "Checking every line")
        _validate_fields(plan)
        _cross_check(plan)
        if spec.name == "stage_events":
            _stage_events(tx, plan, actor)
        else:
            _table_rules(tx, plan)
        if plan.errors:
            order = {c.header: k for k, c in enumerate(spec.columns)}
            plan.errors.sort(key=lambda e: (e.line or 0, order.get(e.field, len(order))))
            raise ImportRefused(plan.errors)
        if dry_run:
            creates = len(plan.events) if spec.name == "stage_events" else len(plan.creates)
            return ImportReport(inserted=creates, updated=len(plan.updates), unchanged=plan.unchanged)
        report(0.8, "Writing")
        return _write(tx, plan, actor, filename)

    if dry_run:
        with db.cursor() as cur:
            result = work(Tx(cur))
    else:
        result = db.write(work)
    report(1.0, "Done")
    return result


def refusal_summary(errors: Sequence[FieldError]) -> str:
    """One sentence for a refused file: how many lines, how many problems."""
    lines = {e.line for e in errors if e.line is not None and e.line > 1}
    problems = f"{len(errors):,} problem{'s' if len(errors) != 1 else ''}"
    if not lines:
        return f"Import refused ({problems} with the file itself); nothing was written."
    n = len(lines)
    return f"Import refused: {n:,} unusable line{'s' if n != 1 else ''} ({problems}); nothing was written."


def errors_csv(errors: Sequence[FieldError]) -> bytes:
    """The refusal report as a CSV file (line, column, reason)."""
    columns = [spreadsheet.OutColumn("Line", "int"), spreadsheet.OutColumn("Column"), spreadsheet.OutColumn("Reason")]
    return spreadsheet.write_csv(columns, [[e.line, e.field, e.message] for e in errors])
