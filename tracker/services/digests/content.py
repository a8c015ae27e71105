"""What one digest says: its sections for an editor or a viewer, as text and as HTML."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from tracker.domain import clock
from tracker.domain.enums import Role, Stage
from tracker.store import Database
from tracker.store import digests as store
from tracker.store import my_work as work_store

from .. import mail, my_work
from .choice import effective_choice, period_days, role_of

MAX_ITEMS = 15


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

    @property
    def total(self) -> int:
        return len(self.items) + self.more


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
    def filled(self) -> list[Section]:
        """The sections with something to say: an empty one is left out of the mail."""
        return [s for s in self.sections if s.items]

    @property
    def empty(self) -> bool:
        return not self.filled

    @property
    def subject(self) -> str:
        which = "weekly" if self.kind == "weekly" else "daily"
        return f"Policy Influence Tracker: your {which} digest, {clock.format_date(self.today)}"

    def text(self) -> str:
        lines = [f"Hello {self.name},", "", _intro(self), ""]
        for s in self.filled:
            lines.append(f"{s.title} ({s.total})")
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
        for s in self.filled:
            parts.append(f"<h3>{e(s.title)} ({s.total})</h3><ul>")
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


def _move(r: dict[str, Any]) -> Item:
    """A stage event, from a ``store.moves`` row."""
    return Item(
        r["title"],
        _link("issues", issue=r["issue_id"]),
        f"{_stage(r['from_stage'])} → {_stage(r['to_stage'])} on {_fmt(r['event_date'])}",
    )


def _editor_sections(
    db: Database, username: str, start: dt.datetime, end: dt.datetime, today: dt.date, kind: str, first: bool
) -> list[Section]:
    length = period_days(kind)
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
    moves = [_move(r) for r in store.moves(db, start, end, owner=username)]
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
    due_to = today + dt.timedelta(days=period_days(kind) - 1)
    overview = _link("")
    moved = store.moves(db, start, end)
    up = [r for r in moved if r["from_stage"] is not None and r["to_stage"] > r["from_stage"]]
    down = [r for r in moved if r["from_stage"] is not None and r["to_stage"] < r["from_stage"]]

    deadlines = [
        Item(r["title"], _link("consultations", consultation=r["id"]), f"closes {_fmt(r['closes'])}")
        for r in store.deadlines(db, today, due_to)
    ]
    published = [
        Item(r["title"], _link("joint_positions", position=r["id"]), f"published {_fmt(r['published_on'])}")
        for r in store.published(db, today - dt.timedelta(days=span), today)
    ]
    return [
        _section("Moved up the ladder", [_move(r) for r in up], overview),
        _section("Moved down the ladder", [_move(r) for r in down], overview),
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
    start = start or period_end - dt.timedelta(days=period_days(kind))
    d = Digest(
        person["username"],
        person["display_name"] or person["username"],
        person["email"],
        kind,
        start,
        period_end,
        today,
    )
    if role_of(person["role"]).allows(Role.EDITOR):
        d.sections = _editor_sections(db, person["username"], start, period_end, today, kind, first)
        d.home_label, d.home_url = "Open My work", _link("my_work")
    else:
        d.sections = _viewer_sections(db, start, period_end, today, kind)
        d.home_label, d.home_url = "Open the Overview", _link("")
    return d
