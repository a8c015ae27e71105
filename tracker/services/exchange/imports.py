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

from tracker.domain.enums import Role
from tracker.domain.errors import FieldError, ImportRefused, ImportReport, InvalidInput
from tracker.domain.models import User
from tracker.services import guard
from tracker.store import Database, Tx

from . import spreadsheet
from .changes import classify, resolve_references
from .checks import cross_check, stage_events, table_rules, validate_fields
from .layout import spec_of
from .plan import Progress, read_columns
from .report import errors_csv, refusal_summary
from .spreadsheet import Sheet
from .write import write_plan

__all__ = ["Progress", "errors_csv", "import_file", "read_sheet", "refusal_summary"]


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
    plan = read_columns(spec, sheet, report)

    def work(tx: Tx) -> ImportReport:
        report(0.5, "Matching names and checking versions")
        resolve_references(tx, plan)
        classify(tx, plan)
        report(0.6, "Checking every line")
        validate_fields(plan)
        cross_check(plan)
        if spec.name == "stage_events":
            stage_events(tx, plan, actor)
        else:
            table_rules(tx, plan)
        if plan.errors:
            order = {c.header: k for k, c in enumerate(spec.columns)}
            plan.errors.sort(key=lambda e: (e.line or 0, order.get(e.field, len(order))))
            raise ImportRefused(plan.errors)
        if dry_run:
            creates = len(plan.events) if spec.name == "stage_events" else len(plan.creates)
            return ImportReport(inserted=creates, updated=len(plan.updates), unchanged=plan.unchanged)
        report(0.8, "Writing")
        return write_plan(tx, plan, actor, filename)

    if dry_run:
        with db.cursor() as cur:
            result = work(Tx(cur))
    else:
        result = db.write(work)
    report(1.0, "Done")
    return result
