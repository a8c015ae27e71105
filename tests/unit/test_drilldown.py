"""Selection → issues: a Plotly selection event maps to drill-down targets (pure functions)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tracker import charts
from tracker.services.metrics import DrillTarget

TARGETS = [
    DrillTarget("stage", (3,)),
    DrillTarget("month_stage", (dt.date(2026, 5, 31), 0)),
    DrillTarget("moves", (dt.date(2026, 4, 1), "down")),
    DrillTarget("transition", (2, 1)),
    DrillTarget("stay", (5,)),
    DrillTarget("relevance", (4, 2)),
    DrillTarget("deadline_week", (dt.date(2026, 11, 23),)),
    DrillTarget("response_year", (2025, "missed")),
    DrillTarget("partner", (17,)),
    DrillTarget("effort", ("Horizon Europe | project", 2)),
    DrillTarget("effort", ("Membership fees", None)),
    DrillTarget("activity_month", (dt.date(2026, 10, 1), True)),
]


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.kind)
def test_targets_survive_the_round_trip_through_customdata(target):
    assert DrillTarget.decode(target.encode()) == target


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[]",
        '["unknown", 1]',
        '["stage"]',
        '["stage", "3"]',
        '["stage", true]',
        '["stage", 1, 2]',
        '["activity_month", "2026-10-01", 1]',
        '["moves", "someday", "up"]',
        "null",
        "42",
    ],
)
def test_anything_else_decodes_to_no_target(text):
    assert DrillTarget.decode(text) is None


def test_selected_points_map_to_targets_with_their_labels():
    selection = {
        "points": [
            {"curve_number": 0, "point_index": 3, "customdata": [DrillTarget("stage", (3,)).encode(), "On rung 3"]},
            {"curve_number": 1, "point_index": 0, "customdata": DrillTarget("transition", (0, 1)).encode()},
        ]
    }
    targets = charts.selection_targets(selection)
    assert targets == [DrillTarget("stage", (3,)), DrillTarget("transition", (0, 1))]
    assert [t.label for t in targets] == ["On rung 3", ""]


def test_repeated_points_and_points_without_a_target_are_dropped():
    key = [DrillTarget("stay", (2,)).encode(), "Stuck on 2"]
    selection = {
        "points": [
            {"customdata": key},
            {"customdata": key},
            {"x": 1, "y": 2},  # an edge of the network: no customdata
            {"customdata": [12.5]},
            "not a point",
        ]
    }
    assert charts.selection_targets(selection) == [DrillTarget("stay", (2,))]


@pytest.mark.parametrize("selection", [None, {}, {"points": []}, {"points": None}])
def test_no_selection_means_no_targets(selection):
    assert charts.selection_targets(selection) == []


def _selection_of(fig, curve: int, index: int) -> dict:  # type: ignore[no-untyped-def]
    """What Streamlit returns when the user clicks point ``index`` of trace ``curve``."""
    cd = fig.data[curve].customdata[index]
    return {"points": [{"curve_number": curve, "point_index": index, "customdata": list(cd)}]}


def test_clicking_a_ladder_bar_lists_the_issues_on_that_rung():
    fig = charts.ladder(pd.DataFrame({"stage": [0, 3], "issues": [4, 2]}), dt.date(2026, 11, 27))
    [target] = charts.selection_targets(_selection_of(fig, 0, 3))
    assert target == DrillTarget("stage", (3,))
    assert target.label == "Issues on Formal input today"


def test_clicking_a_moves_bar_lists_that_month_and_direction():
    df = pd.DataFrame({"month": [pd.Timestamp("2026-10-01"), pd.Timestamp("2026-11-01")], "up": [3, 1], "down": [0, 2]})
    fig = charts.moves(df, "1 Oct – 27 Nov 2026")
    [target] = charts.selection_targets(_selection_of(fig, 1, 1))
    assert target == DrillTarget("moves", (dt.date(2026, 11, 1), "down"))


def test_clicking_an_effort_segment_lists_that_funding_source_and_rung():
    df = pd.DataFrame(
        {
            "funding": ["Fees", "Fees", "Grant"],
            "stage": pd.array([1, None, 3], dtype="Int64"),
            "person_days": [2.0, 1.0, 0.5],
            "activities": [1, 1, 1],
        }
    )
    fig = charts.effort(df, "Q2 2026")
    names = [t.name for t in fig.data]
    rung1 = names.index("Awareness-raising (2.0 d)")
    fundings = list(fig.data[rung1].y)
    [target] = charts.selection_targets(_selection_of(fig, rung1, fundings.index("Fees")))
    assert target == DrillTarget("effort", ("Fees", 1))
    unlinked = names.index("Not linked to an issue (1.0 d)")
    [target] = charts.selection_targets(_selection_of(fig, unlinked, fundings.index("Fees")))
    assert target == DrillTarget("effort", ("Fees", None))
