"""Every overview metric on a small hand-made portfolio, with the answers worked out by hand.

The portfolio (period 1 Apr – 30 Jun 2026, compared with 1 Jan – 31 Mar 2026; today 27 Nov 2026):

issue  area    owner  status   rel  history (date: rung)
1      Health  alice  active   5    2025-06-01: 0, 2026-02-10: 1, 2026-05-05: 3           tag MDR
2      Health  bob    active   2    2025-01-10: 2, 2026-04-10: 1 (down), 2026-05-20: 2 (up again)
3      Energy  alice  dropped  4    2025-03-01: 0, 2026-04-20: 1; archived 2026-05-15 (mid-period)
4      Energy  bob    active   3    2026-05-01: 0 (identified in the period), 2026-06-15: 1
5      Health  alice  won      5    2024-01-01: 3, 2025-12-01: 4, 2026-03-01: 5
6      Health  carol  active   1    2025-02-01: 3 then 4 on the same day (the later event wins)
7      Digital carol  active   3    2026-03-15: 0, 2026-06-25: 3
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest

from tracker.services import metrics
from tracker.services.metrics import DrillTarget, Filters, Period, Scope
from tracker.store import Database
from tracker.store.bulk import insert_columns

D = dt.date
TODAY = D(2026, 11, 27)
PERIOD = Period("custom", D(2026, 4, 1), D(2026, 6, 30), D(2026, 1, 1), D(2026, 3, 31))
ALL = Filters(PERIOD)
HEALTH = Filters(PERIOD, Scope(areas=("Health",)))

ISSUES = [
    # id, area, owner, lifecycle, relevance, tags, archived_at
    (1, "Health", "alice", "active", 5, ["MDR"], None),
    (2, "Health", "bob", "active", 2, [], None),
    (3, "Energy", "alice", "dropped", 4, [], dt.datetime(2026, 5, 15, 12)),
    (4, "Energy", "bob", "active", 3, [], None),
    (5, "Health", "alice", "won", 5, [], None),
    (6, "Health", "carol", "active", 1, [], None),
    (7, "Digital", "carol", "active", 3, [], None),
]
EVENTS = [
    # id, issue, from, to, date
    (1, 1, None, 0, D(2025, 6, 1)),
    (2, 1, 0, 1, D(2026, 2, 10)),
    (3, 1, 1, 3, D(2026, 5, 5)),
    (4, 2, None, 2, D(2025, 1, 10)),
    (5, 2, 2, 1, D(2026, 4, 10)),
    (6, 2, 1, 2, D(2026, 5, 20)),
    (7, 3, None, 0, D(2025, 3, 1)),
    (8, 3, 0, 1, D(2026, 4, 20)),
    (9, 4, None, 0, D(2026, 5, 1)),
    (10, 4, 0, 1, D(2026, 6, 15)),
    (11, 5, None, 3, D(2024, 1, 1)),
    (12, 5, 3, 4, D(2025, 12, 1)),
    (13, 5, 4, 5, D(2026, 3, 1)),
    (14, 6, None, 3, D(2025, 2, 1)),
    (15, 6, 3, 4, D(2025, 2, 1)),
    (16, 7, None, 0, D(2026, 3, 15)),
    (17, 7, 0, 3, D(2026, 6, 25)),
]
CONSULTATIONS = [
    # id, closes, status, deleted, linked issues
    (1, D(2026, 5, 10), "submitted", False, [1]),
    (2, D(2026, 6, 1), "not_started", False, [2]),  # missed
    (3, D(2026, 4, 15), "skipped", False, [3]),
    (4, D(2026, 6, 20), "drafting", False, [1]),  # missed
    (5, D(2026, 5, 5), "submitted", False, []),  # not ours: outside the rate
    (6, D(2026, 12, 10), "drafting", False, [4]),  # due in 13 days
    (7, D(2026, 12, 30), "drafting", False, [1]),  # 33 days: not due
    (8, D(2026, 11, 27), "not_started", False, []),  # closes today: due
    (9, D(2026, 12, 1), "drafting", True, [1]),  # deleted
    (10, D(2025, 9, 10), "submitted", False, [2]),
    (11, D(2026, 12, 5), "submitted", False, [2]),  # answered already: not due
]
ORGS = [
    # id, name, merged_into, deleted
    (1, "Alpha Cluster", None, False),
    (2, "Beta Cluster", None, False),
    (3, "Gamma Association", None, False),
    (4, "Delta Cluster", None, False),
    (5, "Epsilon (merged into Beta)", 2, True),
    (6, "Phi Hospital", None, False),
]
POSITIONS = [
    # id, status, published_on, deleted, issue
    (1, "published", D(2026, 5, 1), False, 1),
    (2, "published", D(2026, 2, 1), False, 2),
    (3, "drafting", None, False, 3),
    (4, "published", D(2026, 6, 10), True, 4),
]
SIGNATORIES = [
    # position, org, status, date
    (1, 1, "agreed", D(2026, 4, 20)),
    (1, 2, "agreed", D(2026, 4, 22)),
    (1, 3, "declined", D(2026, 4, 25)),
    (2, 1, "agreed", D(2026, 1, 20)),
    (2, 2, "agreed", D(2026, 1, 21)),
    (2, 4, "agreed", D(2026, 1, 22)),
    (3, 1, "agreed", D(2026, 6, 1)),
    (3, 4, "agreed", D(2026, 6, 2)),
    (3, 5, "agreed", D(2026, 6, 3)),  # counts as Beta
    (4, 3, "agreed", D(2026, 6, 5)),  # deleted position
]
ACTIVITIES = [
    # id, date, effort, funding, influencing, deleted, issues, orgs
    (1, D(2026, 4, 15), 2.0, "Grant", False, False, [1], [6]),
    (2, D(2026, 5, 10), 3.0, "Fees", True, False, [1, 2], []),
    (3, D(2026, 6, 1), 1.0, None, False, False, [], []),
    (4, D(2026, 4, 30), 4.0, "Fees", True, False, [4], []),
    (5, D(2026, 5, 5), 0.5, "Grant", False, False, [1], []),
    (6, D(2026, 6, 15), 9.0, "Fees", False, True, [1], [3]),
    (7, D(2026, 2, 1), 1.0, "Fees", False, False, [2], [1]),
]


def _build(tx) -> None:  # type: ignore[no-untyped-def]
    insert_columns(
        tx,
        "issues",
        {
            "id": [i[0] for i in ISSUES],
            "title": [f"Issue {i[0]}" for i in ISSUES],
            "policy_area": [i[1] for i in ISSUES],
            "level": ["eu"] * len(ISSUES),
            "owner": [i[2] for i in ISSUES],
            "priority": ["medium"] * len(ISSUES),
            "position": ["support"] * len(ISSUES),
            "member_relevance": [i[4] for i in ISSUES],
            "target_stage": [4] * len(ISSUES),
            "lifecycle": [i[3] for i in ISSUES],
            "tags": [i[5] for i in ISSUES],
            "archived_at": [i[6] for i in ISSUES],
        },
    )
    insert_columns(
        tx,
        "stage_events",
        {
            "id": [e[0] for e in EVENTS],
            "issue_id": [e[1] for e in EVENTS],
            "from_stage": [e[2] for e in EVENTS],
            "to_stage": [e[3] for e in EVENTS],
            "event_date": [e[4] for e in EVENTS],
            "author": ["alice"] * len(EVENTS),
        },
    )
    insert_columns(
        tx,
        "consultations",
        {
            "id": [c[0] for c in CONSULTATIONS],
            "title": [f"Consultation {c[0]}" for c in CONSULTATIONS],
            "authority": ["DG SANTE"] * len(CONSULTATIONS),
            "type": ["call_for_evidence"] * len(CONSULTATIONS),
            "closes": [c[1] for c in CONSULTATIONS],
            "response_status": [c[2] for c in CONSULTATIONS],
            "deleted_at": [dt.datetime(2026, 7, 1) if c[3] else None for c in CONSULTATIONS],
        },
    )
    links = [(c[0], i) for c in CONSULTATIONS for i in c[4]]
    insert_columns(
        tx, "consultation_issues", {"consultation_id": [c for c, _ in links], "issue_id": [i for _, i in links]}
    )
    insert_columns(
        tx,
        "organisations",
        {
            "id": [o[0] for o in ORGS],
            "name": [o[1] for o in ORGS],
            "merged_into": [o[2] for o in ORGS],
            "deleted_at": [dt.datetime(2026, 7, 1) if o[3] else None for o in ORGS],
        },
    )
    insert_columns(
        tx,
        "joint_positions",
        {
            "id": [p[0] for p in POSITIONS],
            "title": [f"Position {p[0]}" for p in POSITIONS],
            "status": [p[1] for p in POSITIONS],
            "published_on": [p[2] for p in POSITIONS],
            "deleted_at": [dt.datetime(2026, 7, 1) if p[3] else None for p in POSITIONS],
        },
    )
    insert_columns(
        tx,
        "joint_position_issues",
        {"joint_position_id": [p[0] for p in POSITIONS], "issue_id": [p[4] for p in POSITIONS]},
    )
    insert_columns(
        tx,
        "signatories",
        {
            "id": list(range(1, len(SIGNATORIES) + 1)),
            "joint_position_id": [s[0] for s in SIGNATORIES],
            "organisation_id": [s[1] for s in SIGNATORIES],
            "status": [s[2] for s in SIGNATORIES],
            "status_date": [s[3] for s in SIGNATORIES],
        },
    )
    insert_columns(
        tx,
        "activities",
        {
            "id": [a[0] for a in ACTIVITIES],
            "activity_date": [a[1] for a in ACTIVITIES],
            "type": ["Meeting" if a[4] else "Briefing" for a in ACTIVITIES],
            "summary": [f"Activity {a[0]}" for a in ACTIVITIES],
            "effort_days": [a[2] for a in ACTIVITIES],
            "funding_source": [a[3] for a in ACTIVITIES],
            "is_influencing": [a[4] for a in ACTIVITIES],
            "deleted_at": [dt.datetime(2026, 7, 1) if a[5] else None for a in ACTIVITIES],
        },
    )
    ai = [(a[0], i) for a in ACTIVITIES for i in a[6]]
    insert_columns(tx, "activity_issues", {"activity_id": [a for a, _ in ai], "issue_id": [i for _, i in ai]})
    ao = [(a[0], o) for a in ACTIVITIES for o in a[7]]
    insert_columns(
        tx, "activity_organisations", {"activity_id": [a for a, _ in ao], "organisation_id": [o for _, o in ao]}
    )


@pytest.fixture(scope="module")
def hand(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """Built once for the module: every test here only reads."""
    database = Database.open(tmp_path_factory.mktemp("metrics") / "hand.duckdb", create=True)
    database.write(_build)
    yield database
    database.close()


@pytest.fixture(scope="module")
def ov(hand: Database) -> metrics.Overview:
    return metrics.overview(hand, ALL, TODAY)


def _kpi(o: metrics.Overview, key: str) -> metrics.Kpi:
    return next(k for k in o.kpis if k.key == key)


def _records(df, *cols) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [tuple(None if pd.isna(v) else v for v in row) for row in df[list(cols)].itertuples(index=False)]


# ------------------------------------------------------------------ KPI tiles


def test_active_issues_count_active_unarchived_issues_at_each_period_end(ov):
    k = _kpi(ov, "active")
    assert (k.value, k.previous) == (5, 4)  # 1, 2, 4, 6, 7 — and 1, 2, 6, 7 (4 did not exist yet)


def test_share_at_top_rungs_is_among_active_issues(ov):
    k = _kpi(ov, "top_rungs")
    assert k.value == pytest.approx(1 / 5) and k.previous == pytest.approx(
        1 / 4
    )  # only issue 6 (the won 5 is not active)
    assert k.note == "1 of 5 active issues"


def test_moved_up_is_net_and_counts_archived_and_new_issues(ov):
    k = _kpi(ov, "moved_up")
    # 1 (1→3), 3 (0→1 before its archive date), 4 (identified at 0, now 1), 7 (0→3); 2 went down and up: net 0.
    assert (k.value, k.previous) == (4, 2)  # previous: 1 (0→1) and 5 (4→5)
    assert k.note == "0 moved down"


def test_due_counts_consultations_closing_within_30_days_of_today(ov):
    k = _kpi(ov, "due")
    # Closes today (8) and in 13 days (6); 33 days, deleted and already answered (11) ones not.
    assert (k.value, k.previous) == (2, 0)


def test_response_rate_leaves_skipped_and_unlinked_consultations_out(ov):
    k = _kpi(ov, "response")
    assert k.value == pytest.approx(1 / 3)  # 1 submitted, 2 missed (not started, drafting)
    assert k.previous is None and k.delta_text is None  # nothing closed in the previous period
    assert k.note == "1 submitted, 2 missed; 1 skipped (left out)"


def test_published_positions_skip_deleted_ones(ov):
    k = _kpi(ov, "published")
    assert (k.value, k.previous) == (1, 1)


def test_active_partners_have_a_signature_or_an_activity_in_the_period(ov):
    k = _kpi(ov, "partners")
    # Alpha, Beta (also as merged Epsilon), Delta by agreed signatures; Phi by an activity.
    assert (k.value, k.previous) == (4, 3)


def test_filters_narrow_every_kpi_to_the_selected_issues(hand):
    o = metrics.overview(hand, HEALTH, TODAY)
    values = {k.key: k.value for k in o.kpis}
    assert values["active"] == 3  # 1, 2, 6
    assert values["moved_up"] == 1
    assert values["due"] == 0  # only consultations linked to a Health issue count
    assert values["response"] == pytest.approx(1 / 3)
    assert _kpi(o, "response").note.endswith("0 skipped (left out)")
    assert values["published"] == 1


def test_tag_filter_keeps_issues_with_any_selected_tag(hand):
    o = metrics.overview(hand, Filters(PERIOD, Scope(tags=("MDR",))), TODAY)
    assert _records(o.ladder, "stage", "issues") == [(3, 1)]


# ------------------------------------------------------------------ the ladder


def test_ladder_today_leaves_archived_issues_out(ov):
    assert _records(ov.ladder, "stage", "issues") == [(1, 1), (2, 1), (3, 2), (4, 1), (5, 1)]


def test_progression_replays_events_and_drops_archived_issues_after_their_archive_date(ov):
    at = {}
    for r in ov.progression.itertuples():
        at.setdefault(r.at.date() if hasattr(r.at, "date") else r.at, {})[int(r.stage)] = int(r.issues)
    assert at[D(2026, 4, 30)] == {0: 1, 1: 3, 4: 1, 5: 1}  # archived 3 still counts on 30 Apr
    assert at[D(2026, 5, 31)] == {0: 2, 2: 1, 3: 1, 4: 1, 5: 1}  # … and no longer on 31 May
    assert at[D(2026, 6, 30)] == {1: 1, 2: 1, 3: 2, 4: 1, 5: 1}
    assert len(PERIOD.month_points()) == 24 and PERIOD.month_points()[0] == D(2024, 7, 31)


def test_moves_per_month_count_the_down_and_the_up_again(ov):
    assert [(r.month.month, r.up, r.down) for r in ov.moves.itertuples()] == [(4, 1, 1), (5, 2, 0), (6, 2, 0)]


def test_transitions_list_from_to_pairs_in_the_period(ov):
    got = sorted(_records(ov.transitions, "from_stage", "to_stage", "moves"))
    assert got == [(0, 1, 2), (0, 3, 1), (1, 2, 1), (1, 3, 1), (2, 1, 1)]


def test_time_on_rung_counts_finished_and_running_stays(ov):
    t = {int(r.stage): (int(r.stays), int(r.ongoing), float(r.median)) for r in ov.time_on_rung.itertuples()}
    assert t == {
        0: (3, 0, 102.0),  # 415 (3), 45 (4), 102 (7)
        1: (4, 1, 32.5),  # 84 (1), 40 (2), 25 (3, to its archive date), 15 (4, running)
        2: (2, 1, 248.0),  # 455 and 41 (2, running)
        3: (2, 2, 30.5),  # 56 (1) and 5 (7), both running
        4: (1, 1, 514.0),  # 6, on rung 4 since the same-day 3→4
        5: (1, 1, 121.0),
    }


def test_relevance_matrix_counts_current_issues(ov):
    got = sorted(_records(ov.relevance, "relevance", "stage", "issues"))
    assert got == [(1, 4, 1), (2, 2, 1), (3, 1, 1), (3, 3, 1), (5, 3, 1), (5, 5, 1)]


# ------------------------------------------------------------------ consultations


def test_response_rate_per_year(ov):
    got = _records(ov.response_years, "year", "submitted", "missed", "skipped")
    assert got == [(2025, 1, 0, 0), (2026, 1, 2, 1)]


def test_deadlines_ahead_are_grouped_by_week_and_status(ov):
    got = [
        (r.week.date() if hasattr(r.week, "date") else r.week, r.response_status, r.consultations)
        for r in ov.deadlines.itertuples()
    ]
    assert got == [
        (D(2026, 11, 23), "not_started", 1),
        (D(2026, 11, 30), "submitted", 1),
        (D(2026, 12, 7), "drafting", 1),
        (D(2026, 12, 28), "drafting", 1),
    ]
    assert list(ov.upcoming["id"]) == [8, 11, 6, 7]


# ------------------------------------------------------------------ partners


def test_network_counts_agreed_co_signatures_with_merged_organisations(ov):
    nodes = {r.name: int(r.cosigned) for r in ov.network_nodes.itertuples()}
    assert nodes == {"Alpha Cluster": 3, "Beta Cluster": 3, "Delta Cluster": 2}
    names = dict(zip(ov.network_nodes["org_id"], ov.network_nodes["name"], strict=True))
    edges = {frozenset((names[a], names[b])): int(n) for a, b, n in ov.network_edges.itertuples(index=False)}
    assert edges == {
        frozenset(("Alpha Cluster", "Beta Cluster")): 3,
        frozenset(("Alpha Cluster", "Delta Cluster")): 2,
        frozenset(("Beta Cluster", "Delta Cluster")): 2,
    }
    assert ov.network_total == 3


def test_network_is_capped_to_the_top_partners(hand):
    from tracker.store import metrics as store

    nodes, edges, total = store.partner_network(hand, Scope(), D(2026, 6, 30), cap=2)
    assert total == 3 and len(nodes) == 2
    assert set(nodes["name"]) == {"Alpha Cluster", "Beta Cluster"}
    assert [int(n) for n in edges["positions"]] == [3]


# ------------------------------------------------------------------ effort and activities


def test_effort_splits_shared_activities_and_uses_the_rung_on_the_activity_date(ov):
    got = sorted(
        _records(ov.effort, "funding", "stage", "person_days"), key=lambda r: (r[0], r[1] if r[1] is not None else 9)
    )
    assert got == [
        ("Fees", 0, 4.0),  # before issue 4 was identified: its first rung
        ("Fees", 1, 1.5),  # half of a shared activity; issue 2 was down on 1 then
        ("Fees", 3, 1.5),
        ("Grant", 1, 2.0),
        ("Grant", 3, 0.5),  # same day as the move to 3: the rung at the end of that day
        ("Not recorded", None, 1.0),  # not linked to an issue
    ]


def test_effort_with_filters_leaves_unlinked_activities_out(hand):
    o = metrics.overview(hand, HEALTH, TODAY)
    assert sorted(_records(o.effort, "funding", "stage", "person_days")) == [
        ("Fees", 1, 1.5),
        ("Fees", 3, 1.5),
        ("Grant", 1, 2.0),
        ("Grant", 3, 0.5),
    ]


def test_activities_per_month_split_awareness_and_influencing(ov):
    got = [
        (r.month.month, bool(r.influencing), int(r.activities), float(r.person_days))
        for r in ov.activity_months.itertuples()
    ]
    assert got == [
        (2, False, 1, 1.0),
        (4, False, 1, 2.0),
        (4, True, 1, 4.0),
        (5, False, 1, 0.5),
        (5, True, 1, 3.0),
        (6, False, 1, 1.0),
    ]


# ------------------------------------------------------------------ drill-down


@pytest.mark.parametrize(
    ("target", "issues"),
    [
        (DrillTarget("stage", (3,)), [1, 7]),
        (DrillTarget("month_stage", (D(2026, 5, 31), 0)), [4, 7]),
        (DrillTarget("moves", (D(2026, 4, 1), "down")), [2]),
        (DrillTarget("transition", (0, 1)), [3, 4]),
        (DrillTarget("stay", (3,)), [1, 7]),
        (DrillTarget("relevance", (5, 3)), [1]),
        (DrillTarget("deadline_week", (D(2026, 12, 7),)), [4]),
        (DrillTarget("response_year", (2026, "missed")), [1, 2]),
        (DrillTarget("partner", (1,)), [1, 2, 3]),
        (DrillTarget("effort", ("Fees", 0)), [4]),
        (DrillTarget("activity_month", (D(2026, 5, 1), True)), [1, 2]),
    ],
    ids=lambda v: v.kind if isinstance(v, DrillTarget) else None,
)
def test_drill_down_lists_the_issues_behind_each_element(hand, target, issues):
    result = metrics.drill_issues(hand, ALL, target, TODAY)
    assert sorted(int(i) for i in result.rows["issue_id"]) == issues
    assert not result.truncated


def test_drill_down_orders_stuck_issues_longest_first(hand):
    rows = metrics.drill_issues(hand, ALL, DrillTarget("stay", (3,)), TODAY).rows
    assert list(rows["issue_id"]) == [1, 7]
    assert list(rows["detail"]) == ["56 days on this rung so far", "5 days on this rung so far"]


def test_drill_down_names_rungs_in_move_details(hand):
    rows = metrics.drill_issues(hand, ALL, DrillTarget("moves", (D(2026, 4, 1), "down")), TODAY).rows
    assert rows["detail"][0] == "Positioning & mobilising → Awareness-raising on 10 Apr 2026"


def test_empty_database_gives_empty_charts_and_no_rates(db):
    o = metrics.overview(db, ALL, TODAY)
    assert o.ladder.empty and o.progression.empty and o.network_nodes.empty and o.effort.empty
    assert {k.key: k.value for k in o.kpis}["response"] is None
    assert all(k.value_text for k in o.kpis)


# ------------------------------------------------------------------ aggregates other pages call


def test_response_rate_per_area_counts_each_consultation_once_per_area(ov):
    got = {
        r["key"]: (r["submitted"], r["missed"], r["skipped"], r["rate"]) for r in ov.response_areas.to_dict("records")
    }
    assert got["Health"][:3] == (1, 2, 0) and got["Health"][3] == pytest.approx(1 / 3)
    assert got["Energy"][:3] == (0, 0, 1) and got["Energy"][3] is None  # only a skipped one: no rate


def test_response_rate_per_year_over_all_time(hand):
    df = metrics.response_rates(hand, by="year", today=TODAY)
    assert [(r["key"], r["submitted"], r["missed"], r["skipped"]) for r in df.to_dict("records")] == [
        (2025, 1, 0, 0),
        (2026, 1, 2, 1),
    ]
    with pytest.raises(ValueError):
        metrics.response_rates(hand, by="owner", today=TODAY)  # type: ignore[arg-type]


def test_cosigning_pairs_name_both_organisations(hand):
    df = metrics.cosigning_pairs(hand, until=D(2026, 6, 30), limit=None)
    assert [(r["a"], r["b"], r["positions"]) for r in df.to_dict("records")] == [
        ("Alpha Cluster", "Beta Cluster", 3),
        ("Alpha Cluster", "Delta Cluster", 2),
        ("Beta Cluster", "Delta Cluster", 2),
    ]
    assert list(df["a_id"]) == [1, 1, 2] and list(df["b_id"]) == [2, 4, 4]
    # Before the third position was signed, Alpha and Beta had co-signed two.
    assert metrics.cosigning_pairs(hand, until=D(2026, 5, 31), limit=1)["positions"].tolist() == [2]


def test_an_issue_identified_and_moved_up_on_the_same_day_counts_as_moved_up(demo_db, officer):
    from tracker.services import issues

    month = Filters(Period("custom", D(2026, 11, 1), TODAY, D(2026, 10, 1), D(2026, 10, 31)))
    before = _kpi(metrics.overview(demo_db, month, TODAY), "moved_up").value
    made = issues.create(demo_db, officer, {"title": "Identified and raised today"})
    issues.move_stage(
        demo_db, officer, made.id, made.version, {"to_stage": 1, "evidence_ref": "Briefing note sent today"}
    )
    assert _kpi(metrics.overview(demo_db, month, TODAY), "moved_up").value == before + 1
