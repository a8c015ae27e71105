"""The Overview's periods and filters, and how they travel in the address."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tracker.domain.clock import format_date
from tracker.domain.enums import Level, Lifecycle
from tracker.store import Database
from tracker.store import metrics as store
from tracker.store.metrics import Scope

PERIOD_KINDS = {"quarter": "This quarter", "12m": "Last 12 months", "custom": "Custom"}
DEFAULT_PERIOD = "quarter"
HISTORY_MONTHS = 24  # month-by-month charts show at least this many months
NETWORK_CAP = 25  # partners drawn in the network
DUE_DAYS = 30
DEADLINE_WEEKS = 12
LEVEL_LABELS = {m.value: m.label for m in Level}
LIFECYCLE_LABELS = {m.value: m.label for m in Lifecycle}


# ------------------------------------------------------------------ periods


def _add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), clipped to the month's last day."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(d, day.day))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@dataclass(frozen=True)
class Period:
    """The period the KPIs and "in the period" charts cover, and the one it is compared with."""

    kind: str
    start: dt.date
    end: dt.date
    prev_start: dt.date
    prev_end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        return f"{format_date(self.start)} – {format_date(self.end)}"

    @property
    def prev_label(self) -> str:
        return f"{format_date(self.prev_start)} – {format_date(self.prev_end)}"

    @property
    def history_start(self) -> dt.date:
        """First day of the month-by-month charts: the period's first month, or
        HISTORY_MONTHS months back when the period is shorter."""
        back = _add_months(self.end.replace(day=1), -(HISTORY_MONTHS - 1))
        return min(self.start.replace(day=1), back)

    @property
    def history_label(self) -> str:
        return f"{self.history_start.strftime('%b %Y')} – {self.end.strftime('%b %Y')}"

    def month_points(self) -> list[dt.date]:
        """Each month's last day from history_start on; the last point is the period's end."""
        out: list[dt.date] = []
        month = self.history_start
        while month <= self.end:
            nxt = _add_months(month, 1)
            out.append(min(nxt - dt.timedelta(days=1), self.end))
            month = nxt
        return out


def make_period(kind: str, today: dt.date, start: dt.date | None = None, end: dt.date | None = None) -> Period:
    """This quarter (to date), the last 12 months, or a custom range (clipped to today).

    The comparison period has the same length and ends the day before the period starts;
    for a quarter it is the previous quarter up to the same day.
    """
    if kind == "quarter":
        s = _quarter_start(today)
        prev_start = _add_months(s, -3)
        prev_end = min(prev_start + (today - s), s - dt.timedelta(days=1))
        return Period(kind, s, today, prev_start, prev_end)
    if kind == "12m":
        s = _add_months(today, -12) + dt.timedelta(days=1)
        prev_start = _add_months(s, -12)
        return Period(kind, s, today, prev_start, s - dt.timedelta(days=1))
    if kind == "custom":
        e = min(end or today, today)
        s = start or _add_months(e, -12) + dt.timedelta(days=1)
        if s > e:
            s, e = e, s
        length = e - s
        prev_end = s - dt.timedelta(days=1)
        return Period(kind, s, e, prev_end - length, prev_end)
    raise ValueError(f"period must be one of {', '.join(PERIOD_KINDS)}")


# ------------------------------------------------------------------ filters and the URL


@dataclass(frozen=True)
class Filters:
    """Everything the overview depends on besides the data: the period and the issue scope."""

    period: Period
    scope: Scope = field(default_factory=Scope)

    def describe(self) -> str:
        """The filters in words, for captions and the board report."""
        parts = []
        s = self.scope
        if s.areas:
            parts.append("policy area: " + ", ".join(s.areas))
        if s.levels:
            parts.append("level: " + ", ".join(LEVEL_LABELS.get(v, v) for v in s.levels))
        if s.owners:
            parts.append("owner: " + ", ".join(s.owners))
        if s.tags:
            parts.append("tag: " + ", ".join(s.tags))
        if s.lifecycles:
            parts.append("status: " + ", ".join(LIFECYCLE_LABELS.get(v, v) for v in s.lifecycles))
        return "; ".join(parts) if parts else "all issues"


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _clean(values: Sequence[str], allowed: Sequence[str] | None = None) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        v = str(v).strip()[:200]
        if v and v not in out and (allowed is None or v in allowed):
            out.append(v)
    return tuple(sorted(out))


def filters_from_params(params: Mapping[str, Sequence[str]], today: dt.date) -> Filters:
    """Filters from URL query parameters (each a list of values). Unknown or malformed values
    are ignored, so an old or edited link still opens a sensible view."""

    def first(key: str) -> str | None:
        v = params.get(key) or []
        return v[0] if v else None

    kind = first("period") or DEFAULT_PERIOD
    if kind not in PERIOD_KINDS:
        kind = DEFAULT_PERIOD
    period = make_period(kind, today, _date(first("from")), _date(first("to")))
    scope = Scope(
        areas=_clean(params.get("area", [])),
        levels=_clean(params.get("level", []), [m.value for m in Level]),
        owners=_clean(params.get("owner", [])),
        tags=_clean(params.get("tag", [])),
        lifecycles=_clean(params.get("status", []), [m.value for m in Lifecycle]),
    )
    return Filters(period, scope)


def filters_to_params(filters: Filters) -> dict[str, list[str]]:
    """The query parameters that reproduce ``filters`` (defaults left out)."""
    p = filters.period
    out: dict[str, list[str]] = {}
    if p.kind != DEFAULT_PERIOD:
        out["period"] = [p.kind]
    if p.kind == "custom":
        out["from"] = [p.start.isoformat()]
        out["to"] = [p.end.isoformat()]
    s = filters.scope
    for key, values in (
        ("area", s.areas),
        ("level", s.levels),
        ("owner", s.owners),
        ("tag", s.tags),
        ("status", s.lifecycles),
    ):
        if values:
            out[key] = list(values)
    return out


def filter_choices(db: Database) -> dict[str, list[Any]]:
    """Values offered by the filters: areas, owners as (username, name), tags."""
    return store.filter_choices(db)
