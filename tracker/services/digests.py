"""E-mail digests: per person, what changed or falls due for them since their last digest.

Choice per account (``users.digest``): ``daily``, ``weekly`` (Mondays) or ``none``; unset means
the role's default: editors (and admins) daily, viewers weekly. A digest covers the *period* from
the end of the person's previous one (``users.last_digest_at``) to its *slot*: the latest
``TRACKER_DIGEST_HOUR``:00 (default 7) in ``TRACKER_TZ`` — a Monday's for weekly digests.

- Editors: reviews, follow-ups, signatories and consultations of their My work that fall due
  (today, or this week for a weekly digest, plus any since the previous digest), follow-ups
  newly assigned to them, and the moves on their issues.
- Viewers: a portfolio summary — moves up and down, consultation deadlines, newly published joint
  positions — with a link to the Overview.
A person's first digest starts from everything outstanding. An empty digest is not sent.

Every digest is recorded (``digests``) before it is sent: the row's unique (person, slot) key
means a restart, a second thread or a second process never sends a period twice; a failed send
stays recorded as failed and is tried again at the next run, from the recorded text.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from tracker.domain import clock
from tracker.domain.enums import Role, Stage
from tracker.domain.errors import InvalidInput, NotFound
from tracker.domain.models import User
from tracker.store import Database, Tx
from tracker.store import digests as store
from tracker.store import my_work as work_store

from . import guard, mail, my_work

log = logging.getLogger(__name__)

CHOICES = ("daily", "weekly", "none")
CHOICE_LABELS = {"daily": "Daily", "weekly": "Weekly (Mondays)", "none": "No digest"}
DEFAULT_HOUR = 7
MAX_ITEMS = 15
MAX_ATTEMPTS = 10
# A "pending" digest older than this was left by a run that died mid-send: try it again.
ABANDONED_AFTER = dt.timedelta(minutes=30)


# ------------------------------------------------------------------ settings and choice


def digest_hour() -> int | None:
    """The hour digests go out in the organisation's time zone, or None when switched off."""
    raw = os.environ.get("TRACKER_DIGEST_HOUR", str(DEFAULT_HOUR)).strip().lower()
    if raw in ("off", "none", "", "-1"):
        return None
    try:
        hour = int(raw)
    except ValueError:
        raise InvalidInput.one("TRACKER_DIGEST_HOUR", "must be an hour from 0 to 23, or off") from None
    if not 0 <= hour <= 23:
        raise InvalidInput.one("TRACKER_DIGEST_HOUR", "must be an hour from 0 to 23, or off")
    return hour


def _role(value: Role | str) -> Role:
    return value if isinstance(value, Role) else {r.value: r for r in Role}[str(value)]


def default_choice(role: Role | str) -> str:
    return "daily" if _role(role).allows(Role.EDITOR) else "weekly"


def effective_choice(role: Role | str, stored: str | None) -> str:
    return stored if stored in CHOICES else default_choice(role)


def choice_of(db: Database, actor: User) -> tuple[str, bool]:
    """The signed-in person's digest choice, and whether it is their role's default."""
    guard.require_role(actor, Role.VIEWER)
    stored = store.choice(db, actor.username)
    return effective_choice(actor.role, stored), stored not in CHOICES


def set_choice(db: Database, actor: User, value: str | None) -> str:
    """Set one's own digest choice (None: back to the role's default); returns the effective one."""
    guard.require_role(actor, Role.VIEWER)
    if value is not None and value not in CHOICES:
        raise InvalidInput.one("E-mail digest", "must be one of: " + ", ".join(CHOICE_LABELS.values()))
    before = store.choice(db, actor.username)

    def work(tx: Tx) -> None:
        if not store.set_choice(tx, actor.username, value):
            raise NotFound("Your account no longer exists.")
        tx.audit(actor.username, "user", actor.id, "digest choice", {"digest": [before, value]})

    db.write(work)  # audited: the account history shows it
    return effective_choice(actor.role, value)


def slot(now: dt.datetime, hour: int, kind: str) -> dt.datetime:
    """The latest ``hour``:00 local (a Monday's for weekly) at or before ``now``, as naive UTC."""
    local = clock.local(now)
    at = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if at > local:
        at -= dt.timedelta(days=1)
    if kind == "weekly":
        at -= dt.timedelta(days=at.weekday())
    # Wall-clock arithmetic above, so a DST change keeps the hour; then back to stored UTC.
    return at.replace(tzinfo=clock.zone()).astimezone(dt.UTC).replace(tzinfo=None)


def _length(kind: str) -> int:
    return 7 if kind == "weekly" else 1


# ------------------------------------------------------------------ the digest


@dataclass
class Item:
    text: str
    url: str
    note: str = ""


@dataclass
class Section:
    title: str
    items: list[Item]
    more: int = 0
    more_url: str = ""


@dataclass
class Digest:
    username: str
    name: str
    email: str | None
    kind: str
    period_start: dt.datetime
    period_end: dt.datetime
    today: dt.date
    sections: list[Section] = field(default_factory=list)
    home_label: str = "Open My work"
    home_url: str = ""

    @property
    def empty(self) -> bool:
        return not any(s.items for s in self.sections)

    @property
    def subject(self) -> str:
        which = "weekly" if self.kind == "weekly" else "daily"
        return f"Policy Influence Tracker: your {which} digest, {clock.format_date(self.today)}"

    def text(self) -> str:
        lines = [f"Hello {self.name},", "", _intro(self), ""]
        for s in self.sections:
            if not s.items:
                continue
            lines.append(f"{s.title} ({len(s.items) + s.more})")
            for item in s.items:
                note = f" — {item.note}" if item.note else ""
                lines.append(f"  - {item.text}{note}")
                lines.append(f"    {item.url}")
            if s.more:
                lines.append(f"  … and {s.more} more: {s.more_url}")
            lines.append("")
        lines += [f"{self.home_label}: {self.home_url}", "", _footer()]
        return "\n".join(lines) + "\n"

    def html(self) -> str:
        e = html.escape
        parts = [
            '<!DOCTYPE html><html><body style="font-family: sans-serif; line-height: 1.4">',
            f"<p>Hello {e(self.name)},</p><p>{e(_intro(self))}</p>",
        ]
        for s in self.sections:
            if not s.items:
                continue
            parts.append(f"<h3>{e(s.title)} ({len(s.items) + s.more})</h3><ul>")
            for item in s.items:
                note = f" — {e(item.note)}" if item.note else ""
                parts.append(f'<li><a href="{e(item.url, quote=True)}">{e(item.text)}</a>{note}</li>')
            if s.more:
                parts.append(f'<li><a href="{e(s.more_url, quote=True)}">… and {s.more} more</a></li>')
            parts.append("</ul>")
        parts.append(f'<p><a href="{e(self.home_url, quote=True)}">{e(self.home_label)}</a></p>')
        parts.append(f'<p style="color: #666; font-size: smaller">{e(_footer())}</p></body></html>')
        return "\n".join(parts) + "\n"

    def message(self) -> EmailMessage:
        return mail.message(mail.address(self.name, self.email or ""), self.subject, self.text(), self.html())


def _intro(d: Digest) -> str:
    since = clock.format_timestamp(d.period_start)
    return f"What changed or falls due for you since {since}."


def _footer() -> str:
    return "You receive this digest from the Policy Influence Tracker; change or stop it under Account settings."


def _link(path: str, **query: int) -> str:
    q = "&".join(f"{k}={int(v)}" for k, v in query.items())
    return f"{mail.base_url()}/{path}" + (f"?{q}" if q else "")


def _section(title: str, items: list[Item], more_url: str) -> Section:
    return Section(title, items[:MAX_ITEMS], max(0, len(items) - MAX_ITEMS), more_url)


def _stage(value: Any) -> str:
    return Stage(int(value)).label if value is not None else "—"


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fmt(day: dt.date) -> str:
    return clock.format_date(day)


def _editor_sections(
    db: Database, username: str, start: dt.datetime, end: dt.datetime, today: dt.date, kind: str, first: bool
) -> list[Section]:
    length = _length(kind)
    span = max(1, round((end - start) / dt.timedelta(days=1)))
    due_to = today + dt.timedelta(days=length - 1)
    due_from = None if first else due_to - dt.timedelta(days=span - 1)
    home = _link("my_work")

    def in_window(day: dt.date) -> bool:
        return day <= due_to and (due_from is None or day >= due_from)

    reviews = [
        Item(
            r["title"],
            _link("issues", issue=r["id"]),
            f"review {'was due' if r['next_review'] < today else 'due'} {_fmt(r['next_review'])}",
        )
        for r in store.reviews_due(db, username, due_from, due_to)
    ]
    # Newest due first: what falls due now matters more in a digest than a long-overdue backlog.
    due = [r for r in reversed(work_store.follow_ups(db, username)) if in_window(r["follow_up"])]
    due_ids = {r["id"] for r in due}
    follow = [
        Item(
            _short(r["summary"]),
            _link("activities", activity=r["id"]),
            f"follow up {'was due' if r['follow_up'] < today else 'by'} {_fmt(r['follow_up'])}",
        )
        for r in due
    ]
    handed = [
        Item(
            _short(r["summary"]),
            _link("activities", activity=r["id"]),
            f"newly yours, follow up by {_fmt(r['follow_up'])}",
        )
        for r in store.new_follow_ups(db, username, start, end)
        if r["id"] not in due_ids
    ]
    horizon = today + dt.timedelta(days=my_work.CLOSING_DAYS)
    closing: dict[int, dict[str, Any]] = {}
    ranges = (
        [(today, horizon)]
        if first
        else [
            (due_from or today, due_to),  # closing now
            (horizon - dt.timedelta(days=span - 1), horizon),  # newly within the 14 days
        ]
    )
    for lo, hi in ranges:
        for r in work_store.closing_consultations(db, username, max(lo, today), hi):
            closing.setdefault(r["id"], r)
    consultations = [
        Item(r["title"], _link("consultations", consultation=r["id"]), f"closes {_fmt(r['closes'])}")
        for r in sorted(closing.values(), key=lambda r: (r["closes"], r["id"]))
    ]
    days = my_work.invite_days()
    invites = [
        Item(
            f"{r['organisation'] or 'An organisation'} on {r['title']}",
            _link("joint_positions", position=r["position_id"]),
            f"invited since {_fmt(r['invited_since'])}",
        )
        for r in my_work.invitations(db, username, due_to, days)
        if first or due_from is None or r["invited_since"] >= due_from - dt.timedelta(days=days + 1)
    ]
    moves = [
        Item(
            r["title"],
            _link("issues", issue=r["issue_id"]),
            f"{_stage(r['from_stage'])} → {_stage(r['to_stage'])} on {_fmt(r['event_date'])}",
        )
        for r in store.moves(db, start, end, owner=username)
    ]
    return [
        _section("Reviews due", reviews, home),
        _section("Follow-ups due", follow, home),
        _section("Follow-ups newly assigned to you", handed, home),
        _section("Consultations closing within 14 days", consultations, home),
        _section("Signatories still to answer", invites, home),
        _section("Moves on your issues", moves, home),
    ]


def _viewer_sections(db: Database, start: dt.datetime, end: dt.datetime, today: dt.date, kind: str) -> list[Section]:
    span = max(1, round((end - start) / dt.timedelta(days=1)))
    due_to = today + dt.timedelta(days=_length(kind) - 1)
    overview = _link("")
    moved = store.moves(db, start, end)
    up = [r for r in moved if r["from_stage"] is not None and r["to_stage"] > r["from_stage"]]
    down = [r for r in moved if r["from_stage"] is not None and r["to_stage"] < r["from_stage"]]

    def move(r: dict[str, Any]) -> Item:
        return Item(
            r["title"],
            _link("issues", issue=r["issue_id"]),
            f"{_stage(r['from_stage'])} → {_stage(r['to_stage'])} on {_fmt(r['event_date'])}",
        )

    deadlines = [
        Item(r["title"], _link("consultations", consultation=r["id"]), f"closes {_fmt(r['closes'])}")
        for r in store.deadlines(db, today, due_to)
    ]
    published = [
        Item(r["title"], _link("joint_positions", position=r["id"]), f"published {_fmt(r['published_on'])}")
        for r in store.published(db, today - dt.timedelta(days=span), today)
    ]
    return [
        _section("Moved up the ladder", [move(r) for r in up], overview),
        _section("Moved down the ladder", [move(r) for r in down], overview),
        _section("Consultation deadlines", deadlines, overview),
        _section("Newly published joint positions", published, overview),
    ]


def compose(
    db: Database,
    person: dict[str, Any],
    *,
    period_end: dt.datetime,
    today: dt.date,
    period_start: dt.datetime | None = None,
) -> Digest:
    """The digest of one recipient row (see ``store.recipients``) for the period ending at ``period_end``."""
    kind = effective_choice(person["role"], person["digest"])
    last = person.get("last_digest_at")
    start = period_start or (last if last is not None and last < period_end else None)
    first = start is None
    start = start or period_end - dt.timedelta(days=_length(kind))
    d = Digest(
        person["username"],
        person["display_name"] or person["username"],
        person["email"],
        kind,
        start,
        period_end,
        today,
    )
    if _role(person["role"]).allows(Role.EDITOR):
        d.sections = _editor_sections(db, person["username"], start, period_end, today, kind, first)
        d.home_label, d.home_url = "Open My work", _link("my_work")
    else:
        d.sections = _viewer_sections(db, start, period_end, today, kind)
        d.home_label, d.home_url = "Open the Overview", _link("")
    return d


# ------------------------------------------------------------------ runs


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
