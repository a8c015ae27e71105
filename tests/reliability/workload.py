"""A mixed workload of officers' writes through the services, and the checks of its outcome.

Every write carries a unique token (in a summary, evidence reference or note) so each
acknowledged write can be found afterwards, exactly once, in its row and in the audit log.
Used by the concurrency test (threads) and the crash test (a child process killed at random).
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from tracker.domain import clock
from tracker.domain.errors import EditConflict, InvalidInput
from tracker.domain.models import User
from tracker.services import activities, issues, joint_positions
from tracker.store import Database

KINDS = ("edit", "stage", "activity", "signatory")


@dataclass
class Ack:
    """One write the services acknowledged (returned from without an exception)."""

    kind: str
    token: str
    target: int  # issue id, or joint position id for a signatory
    expected: int | None = None  # the version the writer saw
    result: int | None = None  # the version the service returned
    row_id: int | None = None  # the new activity / signatory id
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> Ack:
        return cls(**json.loads(line))


@dataclass
class Targets:
    """The overlapping rows every writer works on."""

    issue_ids: list[int]
    position_ids: list[int]
    organisation_ids: list[int]

    @classmethod
    def pick(cls, db: Database, n_issues: int = 8, n_positions: int = 4) -> Targets:
        issue_ids = [
            r[0]
            for r in db.read(
                "SELECT id FROM issues WHERE archived_at IS NULL ORDER BY id LIMIT ?",
                [n_issues],
            )
        ]
        position_ids = [r[0] for r in db.read("SELECT id FROM joint_positions ORDER BY id LIMIT ?", [n_positions])]
        org_ids = [r[0] for r in db.read("SELECT id FROM organisations WHERE deleted_at IS NULL ORDER BY id")]
        return cls(issue_ids, position_ids, org_ids)


def token(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def one_write(db: Database, actor: User, targets: Targets, rng: random.Random, kind: str | None = None) -> Ack | None:
    """Perform one random write. Returns its Ack, or None when refused as a conflict
    (EditConflict) or as a duplicate signatory (another writer added it first).
    Any other exception propagates: the caller counts it as a failure."""
    kind = kind or rng.choice(KINDS)
    if kind == "edit":
        issue_id = rng.choice(targets.issue_ids)
        seen = issues.get(db, issue_id)
        tok = token("edit")
        try:
            done = issues.update(db, actor, issue_id, seen.version, {"summary": f"Summary {tok}"})
        except EditConflict:
            return None
        return Ack("edit", tok, issue_id, seen.version, done.version)
    if kind == "stage":
        issue_id = rng.choice(targets.issue_ids)
        seen = issues.get(db, issue_id)
        current = int(seen.stage)
        to = current + 1 if current == 0 or (current < 5 and rng.random() < 0.5) else current - 1
        tok = token("stage")
        try:
            done = issues.move_stage(
                db,
                actor,
                issue_id,
                seen.version,
                {"to_stage": to, "event_date": clock.today(), "evidence_ref": tok, "note": f"Note {tok}"},
            )
        except EditConflict:
            return None
        return Ack("stage", tok, issue_id, seen.version, done.version, extra={"from": current, "to": to})
    if kind == "activity":
        issue_id = rng.choice(targets.issue_ids)
        org_id = rng.choice(targets.organisation_ids)
        tok = token("activity")
        made = activities.create(
            db,
            actor,
            {
                "activity_date": clock.today(),
                "type": "Meeting",
                "summary": f"Met about {tok}",
                "effort_days": "0.5",
                "issue_ids": [issue_id],
                "organisation_ids": [org_id],
            },
        )
        return Ack("activity", tok, issue_id, row_id=made.id, extra={"organisation_id": org_id})
    if kind == "signatory":
        position_id = rng.choice(targets.position_ids)
        org_id = rng.choice(targets.organisation_ids)
        tok = token("signatory")
        try:
            made = joint_positions.add_signatory(db, actor, position_id, {"organisation_id": org_id})
        except InvalidInput as exc:
            if "already a signatory" in str(exc):
                return None
            raise
        return Ack("signatory", tok, position_id, row_id=made.id, extra={"organisation_id": org_id})
    raise ValueError(kind)


# ---------------------------------------------------------------- checking the outcome


def _audit_since(db: Database, first_audit_id: int) -> list[tuple[Any, ...]]:
    return db.read(
        "SELECT id, entity, entity_id, action, changes FROM audit WHERE id >= ? ORDER BY id",
        [first_audit_id],
    )


def verify(
    db: Database,
    acks: list[Ack],
    start_versions: dict[int, int],
    first_audit_id: int,
    *,
    complete: bool,
) -> list[str]:
    """Everything wrong with the database given the acknowledged writes.

    ``complete``: every write that committed was acknowledged (threads). A killed process may
    have committed a write it never got to acknowledge; then only acknowledged ⇒ present and
    all-or-nothing are checked, not the reverse.
    """
    wrong: list[str] = []
    audit = _audit_since(db, first_audit_id)
    if complete and len(audit) != len(acks):
        wrong.append(f"{len(audit)} audit entries for {len(acks)} acknowledged writes")
    # The new value of each change (after), as text: a token may also appear as the *old*
    # value in the next writer's entry.
    afters = [
        " ".join(str(v[1]) for v in (json.loads(r[4]) if isinstance(r[4], str) else r[4] or {}).values()) for r in audit
    ]

    def entries_with(tok: str) -> int:
        return sum(tok in t for t in afters)

    # ---- version-bumping writes on issues: each acknowledged one applied on top of the version
    # its writer saw, and the acknowledged ones of an issue form one unbroken chain.
    by_issue: dict[int, list[Ack]] = {}
    for a in acks:
        if a.kind in ("edit", "stage"):
            by_issue.setdefault(a.target, []).append(a)
            if a.result != (a.expected or 0) + 1:
                wrong.append(f"{a.kind} {a.token} on issue {a.target}: saw v{a.expected}, saved as v{a.result}")
            if entries_with(a.token) != 1:
                wrong.append(f"{a.kind} {a.token}: {entries_with(a.token)} audit entries, expected 1")
    for issue_id, chain in by_issue.items():
        versions = sorted(a.result or 0 for a in chain)
        if len(set(versions)) != len(versions):
            wrong.append(f"issue {issue_id}: two acknowledged writes produced the same version")
    issue_ids = sorted(set(start_versions))
    if issue_ids:
        rows = db.read(
            f"SELECT i.id, i.version, i.summary, s.stage FROM issues i LEFT JOIN issue_stage s ON s.issue_id = i.id "
            f"WHERE i.id IN ({', '.join('?' for _ in issue_ids)})",
            issue_ids,
        )
        for issue_id, version, summary, stage in rows:
            chain = sorted(by_issue.get(issue_id, []), key=lambda a: a.result or 0)
            logged = sum(
                1 for r in audit if r[1] == "issue" and r[2] == issue_id and r[3] in ("update", "stage", "create")
            )
            # No partial transaction: the version moved exactly once per audited change.
            if version != start_versions[issue_id] + logged:
                wrong.append(
                    f"issue {issue_id}: version {version}, but {start_versions[issue_id]} + {logged} audited changes"
                )
            if complete and version != start_versions[issue_id] + len(chain):
                wrong.append(f"issue {issue_id}: version {version} after {len(chain)} acknowledged writes")
            if chain and version < (chain[-1].result or 0):
                wrong.append(f"issue {issue_id}: version {version} is behind acknowledged v{chain[-1].result}")
            edits = [a for a in chain if a.kind == "edit"]
            if complete and edits and edits[-1].token not in (summary or ""):
                wrong.append(f"issue {issue_id}: summary lost the last acknowledged edit {edits[-1].token}")
            moves = [a for a in chain if a.kind == "stage"]
            if complete and moves and moves[-1].extra["to"] != stage:
                wrong.append(f"issue {issue_id}: stage {stage}, last acknowledged move was to {moves[-1].extra['to']}")

    # ---- stage events: each acknowledged move is one event, chained from the stage it left.
    event_rows = db.read(
        "SELECT issue_id, from_stage, to_stage, evidence_ref FROM stage_events WHERE evidence_ref LIKE 'stage-%'"
    )
    events = {r[3]: r for r in event_rows}
    if len(events) != len(event_rows):
        wrong.append("a stage move was recorded twice")
    for a in acks:
        if a.kind == "stage":
            ev = events.get(a.token)
            if ev is None:
                wrong.append(f"stage {a.token}: acknowledged move has no event")
            elif (ev[0], ev[1], ev[2]) != (a.target, a.extra["from"], a.extra["to"]):
                wrong.append(f"stage {a.token}: event {ev[:3]} differs from the acknowledged move")
    stage_entries = sum(1 for r in audit if r[3] == "stage")
    if stage_entries != len(event_rows):
        wrong.append(f"{len(event_rows)} workload stage events but {stage_entries} stage audit entries")

    # ---- activities with their links, and their creation entries.
    act_rows = db.read(
        "SELECT a.id, a.summary, list_sort(list(DISTINCT ai.issue_id)), list_sort(list(DISTINCT ao.organisation_id)) "
        "FROM activities a LEFT JOIN activity_issues ai ON ai.activity_id = a.id "
        "LEFT JOIN activity_organisations ao ON ao.activity_id = a.id "
        "WHERE a.summary LIKE 'Met about activity-%' GROUP BY a.id, a.summary"
    )
    acts = {r[1].removeprefix("Met about "): r for r in act_rows}
    for a in acks:
        if a.kind == "activity":
            row = acts.get(a.token)
            if row is None:
                wrong.append(f"activity {a.token}: acknowledged but missing")
            elif row[0] != a.row_id or list(row[2]) != [a.target] or list(row[3]) != [a.extra["organisation_id"]]:
                wrong.append(f"activity {a.token}: stored as {row}, links incomplete")
    for tok, row in acts.items():
        if list(row[2]) == [None] or list(row[3]) == [None]:
            wrong.append(f"activity {tok}: saved without its links (partial transaction)")
        if not any(r[1] == "activity" and r[2] == row[0] and r[3] == "create" for r in audit):
            wrong.append(f"activity {tok}: no creation entry in the audit log")
    if complete and len(acts) != sum(a.kind == "activity" for a in acks):
        wrong.append(f"{len(acts)} workload activities for {sum(a.kind == 'activity' for a in acks)} acknowledged")

    # ---- signatories: each acknowledged one present once; no pair twice.
    sig_acks = [a for a in acks if a.kind == "signatory"]
    if sig_acks:
        ids = [a.row_id for a in sig_acks]
        found = {
            r[0]: (r[1], r[2])
            for r in db.read(
                f"SELECT id, joint_position_id, organisation_id FROM signatories WHERE id IN ({', '.join('?' for _ in ids)})",
                ids,
            )
        }
        for a in sig_acks:
            if found.get(a.row_id) != (a.target, a.extra["organisation_id"]):
                wrong.append(f"signatory {a.row_id}: acknowledged but stored as {found.get(a.row_id)}")
        pairs = [(a.target, a.extra["organisation_id"]) for a in sig_acks]
        if len(set(pairs)) != len(pairs):
            wrong.append("the same organisation was acknowledged twice as signatory of one position")
    added = [r for r in audit if r[3] == "add signatory"]
    new_sigs = db.read("SELECT count(*) FROM signatories WHERE id > ?", [_max_start_signatory(db, first_audit_id)])
    if complete and len(added) != len(sig_acks):
        wrong.append(f"{len(added)} 'add signatory' entries for {len(sig_acks)} acknowledged")
    if new_sigs and new_sigs[0][0] != len(added):
        wrong.append(f"{new_sigs[0][0]} new signatories but {len(added)} 'add signatory' audit entries")
    return wrong


def _max_start_signatory(db: Database, first_audit_id: int) -> int:
    """The highest signatory id that existed before the workload (recorded in the log's marker row)."""
    row = db.read(
        "SELECT changes FROM audit WHERE id = ? AND action = 'workload start'",
        [first_audit_id - 1],
    )
    if not row:
        return 0
    return int(json.loads(row[0][0])["max_signatory"][1])


def mark_start(db: Database) -> tuple[int, dict[int, int]]:
    """Record where the workload starts: an audit marker (so later entries are its own) and the
    issues' versions. Returns (first audit id of the workload, {issue id: version})."""
    top = db.read("SELECT coalesce(max(id), 0) FROM signatories")[0][0]

    def mark(tx):  # type: ignore[no-untyped-def]
        tx.audit("system", "database", None, "workload start", {"max_signatory": [None, int(top)]})
        return tx.one("SELECT max(id) FROM audit")[0]

    marker = int(db.write(mark))
    versions = {int(r[0]): int(r[1]) for r in db.read("SELECT id, version FROM issues")}
    return marker + 1, versions
