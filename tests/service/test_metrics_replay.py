"""The SQL reconstructions equal a brute-force Python replay of the stage events on demo data."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict

import pytest

from tracker.services import metrics
from tracker.services.metrics import Filters, Scope

TODAY = dt.date(2026, 11, 27)


def _history(db, area: str | None = None):  # type: ignore[no-untyped-def]
    """Each issue's events sorted by (date, id), and its archive date."""
    where = "WHERE policy_area = ?" if area else ""
    issues = {
        r[0]: (r[1].date() if r[1] else None)
        for r in db.read(f"SELECT id, archived_at FROM issues {where}", [area] if area else None)
    }
    events = defaultdict(list)
    for issue_id, to_stage, day, eid in db.read("SELECT issue_id, to_stage, event_date, id FROM stage_events"):
        if issue_id in issues:
            events[issue_id].append((day, eid, to_stage))
    for evs in events.values():
        evs.sort()
    return issues, events


def _stage_on(evs, day: dt.date) -> int | None:  # type: ignore[no-untyped-def]
    before = [e for e in evs if e[0] <= day]
    return before[-1][2] if before else None


@pytest.mark.parametrize("area", [None, "Public health"])
def test_month_by_month_progression_equals_a_replay_of_the_events(demo_db, area):
    filters = Filters(metrics.make_period("12m", TODAY), Scope(areas=(area,) if area else ()))
    ov = metrics.overview(demo_db, filters, TODAY)
    issues, events = _history(demo_db, area)
    expected: Counter = Counter()
    for point in filters.period.month_points():
        for issue_id, archived_on in issues.items():
            if archived_on is not None and archived_on <= point:
                continue
            stage = _stage_on(events[issue_id], point)
            if stage is not None:
                expected[(point, stage)] += 1
    got = Counter({(r.at.date(), int(r.stage)): int(r.issues) for r in ov.progression.itertuples()})
    assert got == expected
    assert sum(expected.values()) > 100  # the replay covered a real history


def test_moves_and_ladder_equal_a_replay_of_the_events(demo_db):
    filters = Filters(metrics.make_period("12m", TODAY))
    p = filters.period
    ov = metrics.overview(demo_db, filters, TODAY)
    issues, events = _history(demo_db)
    ups: Counter = Counter()
    downs: Counter = Counter()
    pairs: Counter = Counter()
    net_up = 0
    for issue_id, evs in events.items():
        archived_on = issues[issue_id]
        for (_, _, a), (day, _, b) in itertools.pairwise(evs):
            if a != b and p.start <= day <= p.end and (archived_on is None or day <= archived_on):
                (ups if b > a else downs)[day.replace(day=1)] += 1
                pairs[(a, b)] += 1
        if archived_on is not None and archived_on < p.start:
            continue
        end = min(p.end, archived_on) if archived_on else p.end
        s_end = _stage_on(evs, end)
        s_start = _stage_on(evs, p.start - dt.timedelta(days=1))
        if s_start is None:
            s_start = evs[0][2]
        if s_end is not None and s_end > s_start:
            net_up += 1
    assert {r.month.date(): int(r.up) for r in ov.moves.itertuples() if r.up} == dict(ups)
    assert {r.month.date(): int(r.down) for r in ov.moves.itertuples() if r.down} == dict(downs)
    assert {(int(r.from_stage), int(r.to_stage)): int(r.moves) for r in ov.transitions.itertuples()} == dict(pairs)
    assert next(k.value for k in ov.kpis if k.key == "moved_up") == net_up
    current = Counter(evs[-1][2] for i, evs in events.items() if issues[i] is None)
    assert {int(r.stage): int(r.issues) for r in ov.ladder.itertuples()} == dict(current)
