"""The plan of an import: the file's columns read and mapped to fields, then, as the checks
go, which lines create, update or change nothing, and each field's final value."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tracker.domain.enums import Stage
from tracker.domain.errors import FieldError, ImportRefused

from .cells import Unreadable, norm, reader_of
from .fields import default_of
from .layout import Col, TableSpec
from .spreadsheet import Sheet

Progress = Callable[[float, str], None]

# A cell that could not be read (already reported): later checks skip it.
FAILED: Any = type("_Failed", (), {"__repr__": lambda self: "<unreadable>"})()
# No links.
NO_LINKS: tuple[int, ...] = ()
# A required value left empty: the default for a new row, else an error.
MISSING: Any = type("_Missing", (), {"__repr__": lambda self: "<missing>"})()
# A field the file does not set for a row: the stored value (updates) or the default (new rows).
UNSET: Any = type("_Unset", (), {"__repr__": lambda self: "<unset>"})()


@dataclass
class Plan:
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
    final: dict[str, list[Any]] = field(default_factory=dict)  # field → validated value per row (or UNSET)
    events: list[dict[str, Any]] = field(default_factory=list)  # new stage events

    def fail(self, row: int, column: str, message: str) -> None:
        self.errors.append(FieldError(column, message, self.lines[row]))
        self.bad.add(row)

    def has(self, name: str) -> bool:
        return name in self.values


def map_headers(spec: TableSpec, headers: Sequence[str]) -> tuple[list[tuple[int, Col]], list[FieldError]]:
    known: dict[str, Col] = {}
    for c in spec.columns:
        known[norm(c.header)] = c
        known.setdefault(norm(c.field.replace("_", " ")), c)
        known.setdefault(norm(c.field), c)
    mapped: list[tuple[int, Col]] = []
    errors: list[FieldError] = []
    seen: dict[str, str] = {}
    for i, header in enumerate(headers):
        if not header.strip():
            errors.append(FieldError(f"column {i + 1}", "has no header; name it or delete the column", 1))
            continue
        found = known.get(norm(header))
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


def distinct(values: Sequence[Any], convert: Callable[[Any], Any], typed: bool) -> tuple[list[Any], dict[int, str]]:
    """``convert`` applied once per distinct value: the converted column (``FAILED`` where it
    failed) and the failure message per row. ``typed``: values of several types may be equal
    (1, 1.0 and True from Excel) and must stay apart."""
    keys: Sequence[Any] = [(type(v), v) for v in values] if typed else values
    results: dict[Any, tuple[bool, Any]] = {}
    for key in set(keys):
        try:
            results[key] = (True, convert(key[1] if typed else key))
        except Unreadable as exc:
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
            out.append(FAILED)
            failures[r] = value
    return out, failures


def read_columns(spec: TableSpec, sheet: Sheet, progress: Progress) -> Plan:
    mapped, header_errors = map_headers(spec, sheet.headers)
    if header_errors:
        raise ImportRefused(header_errors + sheet.problems)
    n = len(sheet)
    present = [c for _, c in mapped]
    plan = Plan(spec, n, sheet.lines, present, {})
    plan.errors.extend(sheet.problems)
    row_of = {line: r for r, line in enumerate(sheet.lines)}
    for problem in sheet.problems:
        if problem.line in row_of:
            plan.bad.add(row_of[problem.line])
    for k, (index, col) in enumerate(mapped):
        if col.readonly:
            continue
        out, failures = distinct(sheet.column(index), reader_of(col), sheet.typed)
        for r, message in failures.items():
            plan.fail(r, col.header, message)
        plan.values[col.field] = out
        progress(0.3 + 0.2 * (k + 1) / max(len(mapped), 1), "Reading the columns")
    return plan


def stored_form(col: Col, raw: Any) -> Any:
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


def stage_label(value: Any) -> str:
    try:
        return Stage(value).label
    except (ValueError, TypeError):
        return "not set"


def field_value(plan: Plan, r: int, name: str) -> Any:
    """A field of row ``r`` as it will be stored: the file's value, else the stored one (an
    update) or the model's default (a new row)."""
    value = plan.final[name][r]
    if value is not UNSET:
        return value
    if r in plan.changed:
        row = plan.current[plan.values["id"][r]]
        stored = stored_form(plan.spec.col(name), row.get(name)) if name in row else None
        return list(stored) if isinstance(stored, tuple) else stored
    return default_of(plan.spec.model, name)[1]  # type: ignore[arg-type]


def field_column(plan: Plan, rows: Sequence[int], name: str) -> list[Any]:
    """:func:`field_value` for many rows (``rows`` ascending, as planned)."""
    final = plan.final[name]
    values = final if len(rows) == plan.n else [final[r] for r in rows]
    if UNSET not in values:
        return values
    return [v if v is not UNSET else field_value(plan, r, name) for v, r in zip(values, rows, strict=True)]
