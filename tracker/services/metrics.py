"""Aggregate metrics: the overview's filters, periods, KPIs, chart data and drill-downs.

Everything here is a read over data every signed-in user may see (the lowest role, viewer,
opens the Overview), so these functions take no actor; the page frame has already checked
the session. All counting happens in SQL (``tracker.store.metrics``); this module picks the
periods, names the KPIs and turns selections into issue lists.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from tracker.domain import clock
from tracker.domain.clock import format_date
from tracker.domain.enums import STAGE_LABELS, Level, Lifecycle, Stage
from tracker.store import Database
from tracker.store import metrics as store
from tracker.store.metrics import DRILL_LIMIT, Scope

__all__ = [
    "DRILL_LIMIT",
    "HISTORY_MONTHS",
    "LEVEL_LABELS",
    "LIFECYCLE_LABELS",
    "NETWORK_CAP",
    "PERIOD_KINDS",
    "DrillResult",
    "DrillTarget",
    "Filters",
    "Kpi",
    "Overview",
    "Period",
    "Scope",
    "activities_per_month",
    "cosigning_network",
    "cosigning_pairs",
    "drill_issues",
    "effort_by_rung_and_funding",
    "filter_choices",
    "filters_from_params",
    "filters_to_params",
    "make_period",
    "overview",
    "response_rates",
]

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


# ------------------------------------------------------------------ KPIs


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    value: float | None
    previous: float | None
    help: str
    percent: bool = False
    note: str = ""
    # "normal": a rise is good; "off": neither good nor bad.
    delta_color: Literal["normal", "off"] = "normal"

    @property
    def value_text(self) -> str:
        if self.value is None:
            return "—"
        return f"{self.value:.0%}" if self.percent else f"{self.value:,.0f}"

    @property
    def previous_text(self) -> str:
        if self.previous is None:
            return "—"
        return f"{self.previous:.0%}" if self.percent else f"{self.previous:,.0f}"

    @property
    def delta_text(self) -> str | None:
        """The change against the previous period, or None when either side is unknown."""
        if self.value is None or self.previous is None:
            return None
        if self.percent:
            pts = round((self.value - self.previous) * 100)
            return f"{pts:+d} pts" if pts else "no change"
        diff = round(self.value - self.previous)
        return f"{diff:+,d}" if diff else "no change"


KPI_HELP = {
    "active": (
        "Active issue: lifecycle status active (as recorded now) and not archived at the period's end; "
        "issues count from their first stage event."
    ),
    "top_rungs": (
        "Share of the active issues whose rung at the period's end is Active influencing (4) or Policy uptake (5)."
    ),
    "moved_up": (
        "Moved up: the rung at the period's end (or at the archive date) is above the rung at its start "
        "(net; an issue identified during the period starts where it was first recorded)."
    ),
    "due": (
        f"Due: open or upcoming consultations closing within {DUE_DAYS} days of today (compared with the same "
        "window before the previous period's end). With filters, only consultations linked to a selected issue."
    ),
    "response": (
        "Response rate: among consultations that closed in the period and are linked to one of our issues, "
        "submitted ÷ (submitted + missed). Missed: closed without a submitted response. Deliberately skipped "
        "ones are shown apart and left out of the rate."
    ),
    "published": "Joint positions with status published and a publication date in the period.",
    "partners": (
        "Active partner: an organisation with a signature (agreed, dated in the period) on a joint position "
        "or an activity with us in the period."
    ),
}


def _kpis(row: Mapping[str, Any], prev: Mapping[str, Any]) -> list[Kpi]:
    def rate(r: Mapping[str, Any]) -> float | None:
        d = int(r["submitted"]) + int(r["missed"])
        return int(r["submitted"]) / d if d else None

    def share(r: Mapping[str, Any]) -> float | None:
        return int(r["top_rungs"]) / int(r["active"]) if int(r["active"]) else None

    return [
        Kpi("active", "Active issues", row["active"], prev["active"], KPI_HELP["active"]),
        Kpi(
            "top_rungs",
            "Active issues at rungs 4–5",
            share(row),
            share(prev),
            KPI_HELP["top_rungs"],
            percent=True,
            note=f"{int(row['top_rungs']):,} of {int(row['active']):,} active issues",
        ),
        Kpi(
            "moved_up",
            "Issues that moved up",
            row["moved_up"],
            prev["moved_up"],
            KPI_HELP["moved_up"],
            note=f"{int(row['moved_down']):,} moved down",
        ),
        Kpi(
            "due",
            f"Consultations due in {DUE_DAYS} days",
            row["due_30"],
            prev["due_30"],
            KPI_HELP["due"],
            delta_color="off",
        ),
        Kpi(
            "response",
            "Consultation response rate",
            rate(row),
            rate(prev),
            KPI_HELP["response"],
            percent=True,
            note=(
                f"{int(row['submitted']):,} submitted, {int(row['missed']):,} missed; "
                f"{int(row['skipped']):,} skipped (left out)"
            ),
        ),
        Kpi("published", "Joint positions published", row["published"], prev["published"], KPI_HELP["published"]),
        Kpi(
            "partners",
            "Active partner organisations",
            row["active_partners"],
            prev["active_partners"],
            KPI_HELP["partners"],
        ),
    ]


# ------------------------------------------------------------------ the whole overview


@dataclass
class Overview:
    """Every aggregate the overview shows, for one set of filters."""

    filters: Filters
    today: dt.date
    kpis: list[Kpi]
    ladder: pd.DataFrame
    progression: pd.DataFrame
    moves: pd.DataFrame
    transitions: pd.DataFrame
    time_on_rung: pd.DataFrame
    relevance: pd.DataFrame
    deadlines: pd.DataFrame
    deadline_until: dt.date
    upcoming: pd.DataFrame
    response_years: pd.DataFrame
    response_areas: pd.DataFrame  # key (policy area), submitted, missed, skipped, rate — for the period
    network_nodes: pd.DataFrame
    network_edges: pd.DataFrame
    network_total: int
    top_pairs: pd.DataFrame
    effort: pd.DataFrame
    activity_months: pd.DataFrame
    network_cap: int = NETWORK_CAP
    # Identifies this computation, so derived objects (figures) can be cached alongside it.
    token: str = field(default_factory=lambda: uuid.uuid4().hex)


@dataclass
class Headline:
    """What the overview shows first (the tiles and "Where we stand"): three queries, so the page
    is drawn before the other sections' aggregates are computed."""

    filters: Filters
    today: dt.date
    kpis: list[Kpi]
    ladder: pd.DataFrame
    relevance: pd.DataFrame


def _kpis_for(db: Database, filters: Filters, today: dt.date) -> list[Kpi]:
    p, scope = filters.period, filters.scope
    shift = today - p.end  # "due" is measured from today; the comparison from as far before
    k = store.kpis(
        db,
        scope,
        [("cur", p.start, p.end, today), ("prev", p.prev_start, p.prev_end, p.prev_end + shift)],
        today,
    )
    rows = {r["name"]: r for r in k.to_dict("records")}
    return _kpis(rows["cur"], rows["prev"])


def headline(db: Database, filters: Filters, today: dt.date | None = None) -> Headline:
    """The KPI tiles, the ladder today and the relevance matrix (as :func:`overview` has them)."""
    today = today or clock.today()
    scope = filters.scope
    return Headline(
        filters=filters,
        today=today,
        kpis=_kpis_for(db, filters, today),
        ladder=store.ladder_today(db, scope),
        relevance=store.relevance_matrix(db, scope),
    )


def overview(db: Database, filters: Filters, today: dt.date | None = None) -> Overview:
    """All the overview's aggregates: a fixed number of set-wise queries, whatever the data size."""
    today = today or clock.today()
    p, scope = filters.period, filters.scope
    nodes, edges, total = store.partner_network(db, scope, p.end, NETWORK_CAP)
    until = today + dt.timedelta(weeks=DEADLINE_WEEKS) - dt.timedelta(days=1)
    return Overview(
        filters=filters,
        today=today,
        kpis=_kpis_for(db, filters, today),
        ladder=store.ladder_today(db, scope),
        progression=store.progression(db, scope, p.month_points()),
        moves=store.moves_by_month(db, scope, p.start, p.end),
        transitions=store.transitions(db, scope, p.start, p.end),
        time_on_rung=store.time_on_rung(db, scope, p.start, p.end),
        relevance=store.relevance_matrix(db, scope),
        deadlines=store.deadlines_by_week(db, scope, today, until),
        deadline_until=until,
        upcoming=store.upcoming_deadlines(db, scope, today),
        response_years=store.response_by_year(db, scope, p.end, today),
        response_areas=response_rates(db, by="area", scope=scope, start=p.start, end=p.end, today=today),
        network_nodes=nodes,
        network_edges=edges,
        network_total=total,
        top_pairs=store.top_pairs(db, scope, p.end),
        effort=store.effort(db, scope, p.start, p.end),
        activity_months=store.activities_by_month(db, scope, p.history_start, p.end),
    )


# ------------------------------------------------------------------ aggregates for other pages
#
# Every page that needs a count across many rows asks here, so each definition lives once.


def response_rates(
    db: Database,
    *,
    by: Literal["year", "area"],
    scope: Scope | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Response rate of consultations linked to our issues (those of ``scope``) that closed
    between ``start`` (default: ever) and ``end`` (default: today), before today; per closing
    year or per policy area of the linked issue.

    Columns: key (year or area), submitted, missed, skipped, rate. Missed: closed and neither
    submitted nor skipped. Rate: submitted ÷ (submitted + missed), None when both are zero;
    skipped ones are counted apart and left out of the rate.
    """
    if by not in ("year", "area"):
        raise ValueError("by must be 'year' or 'area'")
    today = today or clock.today()
    df = store.response_counts(db, scope or Scope(), by, start, end or today, today)
    denominator = df["submitted"] + df["missed"]
    rates = [int(s) / int(d) if int(d) else None for s, d in zip(df["submitted"], denominator, strict=True)]
    df["rate"] = pd.Series(rates, index=df.index, dtype=object)  # None, not NaN: "no rate" is not a number
    return df


def cosigning_pairs(
    db: Database, *, scope: Scope | None = None, until: dt.date | None = None, limit: int | None = 10
) -> pd.DataFrame:
    """Organisation pairs and how many joint positions both signed (signatories with status
    agreed, dated up to ``until``; merged organisations count as the one they were merged
    into; deleted positions and organisations left out). Columns: a_id, a, b_id, b, positions."""
    return store.top_pairs(db, scope or Scope(), until or clock.today(), limit)


def cosigning_network(
    db: Database, *, scope: Scope | None = None, until: dt.date | None = None, cap: int = NETWORK_CAP
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """The ``cap`` organisations with most co-signatures (nodes), the pairs among them (edges)
    and how many organisations co-signed at all; see :func:`tracker.store.metrics.partner_network`."""
    return store.partner_network(db, scope or Scope(), until or clock.today(), cap)


def activities_per_month(db: Database, *, start: dt.date, end: dt.date, scope: Scope | None = None) -> pd.DataFrame:
    """Activities per month, awareness vs influencing: month, influencing, activities, person_days."""
    return store.activities_by_month(db, scope or Scope(), start, end)


def effort_by_rung_and_funding(
    db: Database, *, start: dt.date, end: dt.date, scope: Scope | None = None
) -> pd.DataFrame:
    """Person-days between ``start`` and ``end`` by funding source and by the rung the linked
    issue stood on at the activity's date (reconstructed from the stage events); an activity
    linked to several issues is split evenly between them; stage NULL: linked to no issue.
    Columns: funding, stage, person_days, activities. Sum over one column for either split."""
    return store.effort(db, scope or Scope(), start, end)


# ------------------------------------------------------------------ drill-down

# Argument types of each drill-down kind, in order.
_DRILL_ARGS: dict[str, tuple[type, ...]] = {
    "stage": (int,),
    "month_stage": (dt.date, int),
    "moves": (dt.date, str),
    "transition": (int, int),
    "stay": (int,),
    "relevance": (int, int),
    "deadline_week": (dt.date,),
    "response_year": (int, str),
    "partner": (int,),
    "effort": (str, int),  # the rung may be None: activities not linked to an issue
    "activity_month": (dt.date, bool),
}


@dataclass(frozen=True)
class DrillTarget:
    """One chart element whose issues can be listed: a kind and its arguments.

    ``label`` (what the element shows, in words) travels with it but is not part of its identity.
    """

    kind: str
    args: tuple[Any, ...]
    label: str = field(default="", compare=False)

    def encode(self) -> str:
        """A compact string for a chart point's customdata."""
        return json.dumps([self.kind, *(a.isoformat() if isinstance(a, dt.date) else a for a in self.args)])

    @classmethod
    def decode(cls, text: object, label: str = "") -> DrillTarget | None:
        """The target a customdata string names, or None if it names none (never raises)."""
        try:
            raw = json.loads(str(text))
            kind, values = raw[0], raw[1:]
            types = _DRILL_ARGS[kind]
            if len(values) != len(types):
                return None
            args: list[Any] = []
            for typ, v in zip(types, values, strict=True):
                if v is None and kind == "effort":
                    args.append(None)
                elif typ is dt.date:
                    args.append(dt.date.fromisoformat(v))
                elif typ is bool:
                    if not isinstance(v, bool):
                        return None
                    args.append(v)
                elif typ is int:
                    if isinstance(v, bool) or not isinstance(v, int):
                        return None
                    args.append(v)
                else:
                    if not isinstance(v, str):
                        return None
                    args.append(v)
            return cls(kind, tuple(args), label)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            return None


@dataclass
class DrillResult:
    target: DrillTarget
    rows: pd.DataFrame  # issue_id, title, stage, stage_label, policy_area, owner, lifecycle, detail
    truncated: bool


def drill_issues(db: Database, filters: Filters, target: DrillTarget, today: dt.date | None = None) -> DrillResult:
    """The issues behind one chart element (at most DRILL_LIMIT; ``truncated`` says if cut)."""
    today = today or clock.today()
    p = filters.period
    df = store.drill(db, filters.scope, target.kind, target.args, start=p.start, end=p.end, today=today)
    truncated = len(df) > DRILL_LIMIT
    df = df.head(DRILL_LIMIT).copy()
    df["stage_label"] = [STAGE_LABELS[Stage(int(s))] if pd.notna(s) else "No stage recorded" for s in df["stage"]]
    df["lifecycle"] = [LIFECYCLE_LABELS.get(v, v) for v in df["lifecycle"]]
    df["detail"] = [d if isinstance(d, str) else "" for d in df["detail"]]
    return DrillResult(target, df.reset_index(drop=True), truncated)
