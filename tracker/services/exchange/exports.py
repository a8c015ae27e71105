"""Exports of every list as CSV or Excel, laid out as :mod:`.layout` says.

Enums are written as their labels, several values in one cell are joined with "; ", and a
reference to another row is written "id: name". Callers find the layout names here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from tracker.domain import clock
from tracker.domain.enums import Labelled, Role, Stage
from tracker.domain.errors import InvalidInput
from tracker.domain.models import User
from tracker.services import guard
from tracker.store import Database
from tracker.store import exchange as store

from . import spreadsheet, writing
from .layout import IMPORTABLE, LIST_SEPARATOR, TABLE_NAMES, TABLES, Col, TableSpec, spec_of
from .writing import OutColumn

__all__ = [
    "IMPORTABLE",
    "TABLES",
    "TABLE_NAMES",
    "ExportFile",
    "TableSpec",
    "export_file",
    "export_frame",
    "export_rows",
    "file_name",
    "spec_of",
]


# ------------------------------------------------------------------ cells


def label_of(enum: type[Enum] | None, value: Any) -> Any:
    """A stored code as its label; an unknown stored code is shown as it is."""
    if value is None or enum is None:
        return value
    try:
        member = enum(value)
    except ValueError:
        return value
    return member.label if isinstance(member, (Labelled, Stage)) else str(member.value)


def cell(col: Col, value: Any) -> Any:
    """A stored value as the value of its cell."""
    if value is None:
        return None
    if col.kind == "enum":
        return label_of(col.enum, value)
    if col.kind == "stage":
        return label_of(Stage, value)
    if col.kind == "list":
        return LIST_SEPARATOR.join(str(v) for v in value) if value else None
    if col.kind == "decimal" and not isinstance(value, Decimal):
        return Decimal(str(value))
    if col.kind == "timestamp" and isinstance(value, dt.datetime):
        # Stored in UTC; shown, like everywhere in the app, in the organisation's time zone.
        return clock.local(value).replace(tzinfo=None, microsecond=0)
    return value


def rows_of(table: str, names: Sequence[str], raw: Sequence[Sequence[Any]]) -> list[list[Any]]:
    spec = TABLES[table]
    index = {n: i for i, n in enumerate(names)}
    cols = [(index[c.field], c) for c in spec.columns]
    return [[cell(c, r[i]) for i, c in cols] for r in raw]


# ------------------------------------------------------------------ use cases


@dataclass(frozen=True)
class ExportFile:
    data: bytes
    file_name: str
    mime: str
    rows: int


def file_name(table: str, fmt: str, day: dt.date | None = None) -> str:
    return f"{table.replace('_', '-')}-{(day or clock.today()).isoformat()}.{fmt}"


def export_rows(
    db: Database, actor: User | None, table: str, ids: Sequence[int] | None = None
) -> tuple[list[Col], list[list[Any]]]:
    """The columns and cell values of ``table`` (every live row, or the rows with ``ids`` in that order)."""
    if actor is not None:
        guard.require_role(actor, Role.VIEWER)
    spec = spec_of(table)
    with db.cursor() as cur:
        names, raw = store.export_rows(cur, table, ids)
    rows = rows_of(table, names, raw)
    if ids is not None:
        # Keep the order the page showed.
        position = {int(i): n for n, i in enumerate(ids)}
        rows.sort(key=lambda r: position.get(r[0], len(position)))
    return list(spec.columns), rows


def export_file(db: Database, actor: User | None, table: str, fmt: str, ids: Sequence[int] | None = None) -> ExportFile:
    """``table`` as a CSV or Excel file."""
    if fmt not in spreadsheet.FORMATS:
        raise InvalidInput.one("Format", "must be csv or xlsx")
    cols, rows = export_rows(db, actor, table, ids)
    data = writing.write(fmt, TABLES[table].label, [c.out for c in cols], rows)
    return ExportFile(data, file_name(table, fmt), spreadsheet.FORMATS[fmt], len(rows))


def export_frame(frame: Any, fmt: str, name: str) -> ExportFile:
    """A table as a page shows it (any columns), neutralised like every export."""
    columns = [OutColumn(str(c), _kind_of(frame[c])) for c in frame.columns]
    rows = [[_plain(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    data = writing.write(fmt, name[:31] or "Export", columns, rows)
    return ExportFile(data, file_name(name.lower().replace(" ", "_"), fmt), spreadsheet.FORMATS[fmt], len(rows))


def _kind_of(series: Any) -> str:
    kind = getattr(series.dtype, "kind", "O")
    if kind == "b":
        return "bool"
    if kind in "iu":
        return "int"
    if kind == "f":
        return "decimal"
    if kind == "M":
        return "timestamp"
    return "text"


def _plain(value: Any) -> Any:
    """pandas/numpy scalars as plain Python values (missing values as empty cells)."""
    if value is None:
        return None
    try:
        import pandas as pd

        if not isinstance(value, (list, tuple, dict)) and pd.isna(value):
            return None
        if isinstance(value, pd.Timestamp):
            return value.to_pydatetime()
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            return value.item()
        except (ValueError, AttributeError):
            return value
    if isinstance(value, (list, tuple, set)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, Enum):
        return label_of(type(value), value.value)
    return value
