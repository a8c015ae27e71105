"""The report of a refused import: one sentence for the page, every problem as a CSV file."""

from __future__ import annotations

from collections.abc import Sequence

from tracker.domain.errors import FieldError

from .writing import OutColumn, write_csv


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
    columns = [OutColumn("Line", "int"), OutColumn("Column"), OutColumn("Reason")]
    return write_csv(columns, [[e.line, e.field, e.message] for e in errors])
