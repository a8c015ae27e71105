"""Recording and sending digests: each is recorded before it is sent, so a period goes out once."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from tracker.domain import clock
from tracker.domain.enums import Role
from tracker.domain.errors import NotFound
from tracker.domain.models import User
from tracker.store import Database, Tx
from tracker.store import digests as store

from .. import guard, mail
from .choice import DEFAULT_HOUR, effective_choice, slot
from .content import Digest, compose

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
# A "pending" digest older than this was left by a run that died mid-send: try it again.
ABANDONED_AFTER = dt.timedelta(minutes=30)


@dataclass
class RunReport:
    sent: list[str] = field(default_factory=list)  # "username period" of each delivered digest
    failed: list[tuple[str, str]] = field(default_factory=list)  # (username, error)
    empty: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (username, why)

    def summary(self) -> str:
        return (
            f"{len(self.sent)} sent, {len(self.failed)} failed (retried at the next run), "
            f"{len(self.empty)} with nothing to say, {len(self.skipped)} skipped"
        )


def _people(db: Database, username: str | None) -> list[dict[str, Any]]:
    people = store.recipients(db, username)
    if username and not people:
        raise NotFound(f"There is no enabled account named {username}.")
    return people


def due_digests(
    db: Database,
    *,
    now: dt.datetime | None = None,
    today: dt.date | None = None,
    username: str | None = None,
    hour: int | None = None,
    max_late: dt.timedelta | None = None,
) -> tuple[list[Digest], list[tuple[str, str]]]:
    """The digests whose slot has come and that are not recorded yet, and who was skipped why."""
    now = now or clock.now()
    today = today or clock.today()
    hour = DEFAULT_HOUR if hour is None else hour
    out: list[Digest] = []
    skipped: list[tuple[str, str]] = []
    for person in _people(db, username):
        kind = effective_choice(person["role"], person["digest"])
        if kind == "none":
            continue
        if not person["email"]:
            skipped.append((person["username"], "no e-mail address"))
            continue
        end = slot(now, hour, kind)
        if max_late is not None and now - end > max_late:
            continue  # too late for this slot: the next one covers the period
        if store.find(db, person["username"], end) is not None:
            continue
        out.append(compose(db, person, period_end=end, today=today))
    return out, skipped


def _deliver(db: Database, row: dict[str, Any], transport: mail.Transport, report: RunReport) -> None:
    msg = mail.message(row["recipient"], row["subject"], row["body_text"], row["body_html"])
    name = f"{row['username']}-{clock.local(row['period_end']):%Y%m%d-%H%M}"
    try:
        transport.send(msg, name)
    except Exception as exc:  # any failure is recorded against the digest, never lost
        error = mail.describe(exc)
        db.write(lambda tx: store.mark_attempt(tx, row["id"], "failed", error, clock.now()), quiet=True)
        report.failed.append((row["username"], error))
        log.warning("digest for %s not sent: %s", row["username"], error)
        return
    db.write(lambda tx: store.mark_attempt(tx, row["id"], transport.outcome, None, clock.now()), quiet=True)
    report.sent.append(f"{row['username']} {clock.format_timestamp(row['period_end'])}")


def _claim_retry(db: Database, digest_id: int, now: dt.datetime) -> dict[str, Any] | None:
    def work(tx: Tx) -> bool:
        return store.claim_retry(tx, digest_id, now - ABANDONED_AFTER, clock.now())

    return store.get(db, digest_id) if db.write(work, quiet=True) else None


def _record(db: Database, values: dict[str, Any]) -> int | None:
    def work(tx: Tx) -> int | None:
        return store.record(tx, values, clock.now())

    return db.write(work, quiet=True)


def run(
    db: Database,
    transport: mail.Transport,
    *,
    now: dt.datetime | None = None,
    today: dt.date | None = None,
    username: str | None = None,
    hour: int | None = None,
    max_late: dt.timedelta | None = None,
) -> RunReport:
    """Retry failed digests, then record and send every digest that is due. Never sends a
    recorded period again; a send that fails is recorded as failed (with its error)."""
    now = now or clock.now()
    report = RunReport()
    try:
        for failed_id in store.retryable(db, MAX_ATTEMPTS, now - ABANDONED_AFTER, username):
            row = _claim_retry(db, failed_id, now)
            if row is not None:
                _deliver(db, row, transport, report)
        digests, report.skipped = due_digests(db, now=now, today=today, username=username, hour=hour, max_late=max_late)
        for d in digests:
            values = {
                "username": d.username,
                "kind": d.kind,
                "period_start": d.period_start,
                "period_end": d.period_end,
                "outcome": "empty" if d.empty else "pending",
            }
            if not d.empty:
                values |= {
                    "recipient": mail.address(d.name, d.email or ""),
                    "subject": d.subject,
                    "body_text": d.text(),
                    "body_html": d.html(),
                }
            digest_id = _record(db, values)
            if digest_id is None:
                continue  # another run recorded this period first
            if d.empty:
                report.empty.append(d.username)
                continue
            row = store.get(db, digest_id)
            if row is not None:
                _deliver(db, row, transport, report)
    finally:
        transport.close()
    return report


def recent(db: Database, actor: User, limit: int = 100) -> list[dict[str, Any]]:
    """The latest digests with their outcome (for Admin)."""
    guard.require_role(actor, Role.ADMIN)
    return [
        {k: r[k] for k in ("username", "kind", "period_end", "outcome", "error", "attempts", "sent_at")}
        for r in store.recent(db, limit)
    ]
