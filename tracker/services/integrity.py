"""The database's invariants, checked in one consistent snapshot.

What is checked (each a named check in the report):

- **schema**: every migration of this code is recorded, the ``issue_stage`` view exists, and
  ``issues`` has no stored stage column (the stage is only ever derived from events).
- **readable**: every value of every table can be read (a damaged block fails here).
- **ids**: no table holds an id twice, and each id sequence is ahead of its table's highest id
  (otherwise the next insert would collide).
- **versions**: every editable row has ``version >= 1``.
- **stage history**: every issue has at least one stage event; each event starts where the
  previous one (by date, then id) ended and the first starts from nothing; stages are rungs
  0–5; ``issue_stage`` shows the latest event's stage for every issue.
- **links**: no link row or reference column names a missing row (soft-deleted rows still
  exist and are fine; a purged one is not).
- **closed lists**: stored codes (level, priority, status…) are known values.
- **signatories**: an organisation signs a joint position at most once.
- **audit**: each audited row exists unless the log records its removal; every entry names
  an actor; versions and audit entries agree.

The version/audit rule, precisely: a row with ``version > 1`` has been changed after it was
created, so the log must hold an entry for it other than its creation. Rows written by a bulk
load (the demo generator, an import) carry no entry of their own — the load is recorded as one
entry without an entity id — so a row *without any entry* is accepted while the log holds such
a bulk entry, and refused when it does not. A row that has entries, all of them creations,
yet a version above 1 is always a problem: some service changed it without auditing.
Signatories are logged on their joint position (actions naming a signatory), so a changed
signatory needs such an entry on its position.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tracker.domain import clock
from tracker.domain.enums import Stage
from tracker.store import Database, tables
from tracker.store import integrity as store
from tracker.store.migrations import MIGRATIONS

CREATION_ACTIONS = ["create", "created", "insert", "inserted", "add", "added", "import", "imported"]
REMOVAL_ACTIONS = ["delete", "deleted", "remove", "removed", "purge", "purged"]

# Rows whose changes are logged on another row: table → (parent table, column naming the
# parent, LIKE pattern of the actions that concern the row, actions that create it).
LOGGED_ON_PARENT: dict[str, tuple[str, str, str, list[str]]] = {
    "signatories": ("joint_positions", "joint_position_id", "%signator%", ["add signatory"]),
}

# Closed lists: (table, column, allowed codes, NULL allowed), from the table registry.
CLOSED_LISTS: list[tuple[str, str, list[Any], bool]] = [
    (t.name, c.column, list(c.values), c.nullable) for t in tables.TABLES.values() for c in t.closed
]

# Shown in the OK line, in this order.
COUNTED = [
    ("issues", "issue", "issues"),
    ("stage_events", "stage event", "stage events"),
    ("consultations", "consultation", "consultations"),
    ("joint_positions", "joint position", "joint positions"),
    ("signatories", "signatory", "signatories"),
    ("organisations", "organisation", "organisations"),
    ("contacts", "contact", "contacts"),
    ("activities", "activity", "activities"),
    ("audit", "audit entry", "audit entries"),
]


@dataclass
class Problem:
    check: str
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.message}"


@dataclass
class IntegrityReport:
    checks: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        rows = ", ".join(
            f"{self.counts[t]:,} {one if self.counts[t] == 1 else many}" for t, one, many in COUNTED if t in self.counts
        )
        if self.ok:
            return f"OK — {len(self.checks)} checks passed on {rows}"
        n = len(self.problems)
        return f"{n} problem{'s' if n != 1 else ''} found by {len(self.checks)} checks on {rows}"


def _stage(value: Any) -> str:
    if value is None:
        return "nothing"
    try:
        return Stage(int(value)).label
    except ValueError:
        return f"stage {value}"


def _date(value: Any) -> str:
    return clock.format_date(value) if isinstance(value, dt.date) else str(value)


def _more(count: int, shown: int) -> str:
    return f" (and {count - shown:,} more)" if count > shown else ""


class _Checker:
    def __init__(self, snap: store.Snapshot, report: IntegrityReport) -> None:
        self.snap = snap
        self.report = report
        self.tables = store.tables(snap)
        self.cols = {t: store.columns(snap, t) for t in self.tables}

    def problem(self, check: str, message: str) -> None:
        self.report.problems.append(Problem(check, message))

    def run(self, name: str, fn: Callable[[], None]) -> None:
        self.report.checks.append(name)
        fn()

    # ------------------------------------------------------------ schema and storage

    def schema(self) -> None:
        known = [n for n, _, _ in MIGRATIONS]
        if "schema_migrations" not in self.tables:
            self.problem("schema", "no migrations are recorded (schema_migrations is missing)")
            return
        applied = store.applied_migrations(self.snap)
        missing = sorted(set(known) - set(applied))
        if missing:
            self.problem(
                "schema",
                f"migrations not applied: {', '.join(map(str, missing))} "
                "(the app or `python -m etl init` applies them when it opens the database)",
            )
        unknown = sorted(set(applied) - set(known))
        if unknown:
            self.problem("schema", f"migrations newer than this code: {', '.join(map(str, unknown))}")
        if not store.view_exists(self.snap, "issue_stage"):
            self.problem("schema", "the issue_stage view is missing")
        if "stage" in self.cols.get("issues", []):
            self.problem("schema", "issues has a stored stage column; the stage must come from stage events only")

    def readable(self) -> None:
        for table in self.tables:
            try:
                self.report.counts[table] = store.read_all(self.snap, table)
            except Exception as exc:  # a damaged table is a finding, not a crash
                self.problem("readable", f"{table} cannot be read completely: {str(exc).splitlines()[0][:200]}")

    def ids(self) -> None:
        seqs = store.sequences(self.snap)
        for table in self.tables:
            if "id" not in self.cols[table]:
                continue
            dups = store.duplicate_ids(self.snap, table)
            if dups:
                shown = ", ".join(f"{i} ({n}×)" for i, n in dups)
                self.problem("ids", f"{table} holds the same id more than once: {shown}")
            seq = seqs.get(f"seq_{table}")
            if seq is None:
                continue
            last, start = seq
            top = store.max_id(self.snap, table)
            if top is None:
                continue
            handed_out = last if last is not None else start - 1
            if handed_out < top:
                self.problem(
                    "ids",
                    f"{table}: the id sequence is at {handed_out} but the table already holds id {top}; "
                    "the next new row would collide",
                )

    def versions(self) -> None:
        for table in self.tables:
            if "version" not in self.cols[table] or "id" not in self.cols[table]:
                continue
            n, rows = store.bad_versions(self.snap, table)
            if n:
                shown = ", ".join(f"id {i} has version {v}" for i, v in rows)
                self.problem("versions", f"{table}: {shown}{_more(n, len(rows))}")

    # ------------------------------------------------------------ the ladder

    def stage_history(self) -> None:
        if "stage_events" not in self.tables or "issues" not in self.tables:
            self.problem("stage history", "the issues or stage_events table is missing")
            return
        n, ids = store.issues_without_events(self.snap)
        if n:
            self.problem(
                "stage history",
                f"{n:,} issue{'s have' if n != 1 else ' has'} no stage event: "
                f"{', '.join(map(str, ids))}{_more(n, len(ids))}",
            )
        n, rows = store.stages_out_of_range(self.snap, int(min(Stage)), int(max(Stage)))
        for issue_id, event_id, from_stage, to_stage in rows:
            self.problem(
                "stage history",
                f"issue {issue_id}, event {event_id}: stages {from_stage} → {to_stage} are not rungs of the ladder",
            )
        if n > len(rows):
            self.problem("stage history", f"{n - len(rows):,} more events with stages off the ladder")
        n, rows = store.broken_stage_chains(self.snap)
        for issue_id, event_id, day, from_stage, expected in rows:
            self.problem(
                "stage history",
                f"issue {issue_id}, event {event_id} ({_date(day)}) starts from {_stage(from_stage)} "
                f"but the previous event ended at {_stage(expected)}",
            )
        if n > len(rows):
            self.problem("stage history", f"{n - len(rows):,} more events that do not continue the history")
        if store.view_exists(self.snap, "issue_stage"):
            n, rows = store.stage_view_disagreements(self.snap)
            for issue_id, shown, latest in rows:
                self.problem(
                    "stage history",
                    f"issue {issue_id}: current stage shows {_stage(shown)} but its latest event is {_stage(latest)}",
                )
            if n > len(rows):
                self.problem("stage history", f"{n - len(rows):,} more issues whose current stage is wrong")

    # ------------------------------------------------------------ links and lists

    def links(self) -> None:
        for table, column, target in store.LINKS:
            if table not in self.tables or target not in self.tables:
                continue
            n, rows = store.dangling(self.snap, table, column, target)
            if n:
                shown = ", ".join(
                    f"{target} {missing}" + (f" (row {key})" if not isinstance(key, dict) else "")
                    for key, missing in rows
                )
                self.problem("links", f"{table}.{column} points to missing rows: {shown}{_more(n, len(rows))}")

    def closed_lists(self) -> None:
        for table, column, allowed, nullable in CLOSED_LISTS:
            if table not in self.tables:
                continue
            n, rows = store.values_outside(self.snap, table, column, allowed, nullable)
            if n:
                shown = ", ".join(f"id {i}: {v!r}" for i, v in rows)
                self.problem("closed lists", f"{table}.{column} holds unknown values: {shown}{_more(n, len(rows))}")

    def signatories(self) -> None:
        if "signatories" not in self.tables:
            return
        n, rows = store.duplicate_signatories(self.snap)
        if n:
            shown = ", ".join(f"organisation {o} on joint position {j} ({c}×)" for j, o, c in rows)
            self.problem("signatories", f"listed more than once: {shown}{_more(n, len(rows))}")

    # ------------------------------------------------------------ audit

    def audit(self) -> None:
        if "audit" not in self.tables:
            self.problem("audit", "the audit table is missing")
            return
        missing_actor = store.audit_without_actor(self.snap)
        if missing_actor:
            self.problem("audit", f"{missing_actor:,} entries do not name who made the change")
        by_table: dict[str, list[str]] = {}
        for entity, _count in store.audit_entities(self.snap):
            table = store.ENTITY_TABLES.get(entity)
            if table and table in self.tables:
                by_table.setdefault(table, []).append(entity)
        for table, entities in sorted(by_table.items()):
            n, rows = store.audited_missing_rows(self.snap, entities, table, REMOVAL_ACTIONS)
            if n:
                shown = ", ".join(f"{e} {i} (first entry {a})" for e, i, a in rows)
                self.problem("audit", f"entries name rows that do not exist: {shown}{_more(n, len(rows))}")
        bulk = store.bulk_entries(self.snap) > 0
        for table in self.tables:
            if "version" not in self.cols[table] or table not in store.ENTITY_TABLES.values():
                continue
            if table in LOGGED_ON_PARENT:
                parent, column, actions, created = LOGGED_ON_PARENT[table]
                entities = sorted({e for e, t in store.ENTITY_TABLES.items() if t == parent})
                n, rows = store.versions_without_audit(
                    self.snap, entities, table, created, bulk, logged_on=column, action_like=actions
                )
            else:
                entities = sorted({e for e, t in store.ENTITY_TABLES.items() if t == table})
                n, rows = store.versions_without_audit(self.snap, entities, table, CREATION_ACTIONS, bulk)
            if n:
                shown = ", ".join(f"id {i} at version {v} with {e} entr{'y' if e == 1 else 'ies'}" for i, v, e in rows)
                self.problem(
                    "audit",
                    f"{table} changed without an audit entry: {shown}{_more(n, len(rows))}",
                )


def check(db: Database) -> IntegrityReport:
    """Run every invariant check against one snapshot of ``db``; never writes."""
    report = IntegrityReport()
    with store.snapshot(db) as snap:
        c = _Checker(snap, report)
        c.run("schema", c.schema)
        c.run("readable", c.readable)
        c.run("ids", c.ids)
        c.run("versions", c.versions)
        c.run("stage history", c.stage_history)
        c.run("links", c.links)
        c.run("closed lists", c.closed_lists)
        c.run("signatories", c.signatories)
        c.run("audit", c.audit)
    return report
