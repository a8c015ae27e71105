"""Pure formatting behind the Issues page: labels, history rows, safe links, conflicts."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from tracker.domain.enums import Priority
from tracker.ui.issues.format import (
    field_label,
    history_frame,
    md_link,
    safe_url,
    timeline_frame,
    value_text,
)
from tracker.ui.kit.conflict import conflict_frame


def test_history_shows_readable_fields_and_values():
    entries = [
        {
            "at": dt.datetime(2026, 11, 27, 9, 30),
            "actor": "officer",
            "action": "stage",
            "changes": {"stage": [1, 2], "event_date": [None, "2026-11-27"], "event_id": [None, 9]},
        },
        {
            "at": dt.datetime(2026, 11, 26, 9, 0),
            "actor": "admin",
            "action": "update",
            "changes": {"lifecycle": ["active", "won"]},
        },
    ]
    frame = history_frame(entries)
    assert frame.to_dict("records")[0] == {
        "When": "27 Nov 2026 10:30",
        "Who": "officer",
        "What": "Moved on the ladder",
        "Field": "Stage",
        "Before": "Awareness-raising",
        "After": "Positioning & mobilising",
    }
    assert list(frame["Field"]) == ["Stage", "Stage date", "Lifecycle status"]
    assert list(frame.iloc[2][["Before", "After"]]) == ["Active", "Won"]


def test_values_read_like_people_write_them():
    assert value_text("next_review", "2027-02-21") == "21 Feb 2027"
    assert value_text("tags", ["MDR", "SMEs"]) == "MDR, SMEs"
    assert value_text("owner", None) == "—"
    assert value_text("target_stage", 4) == "Active influencing"
    assert value_text("archived", True) == "Yes"


def test_only_web_links_become_links():
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("https://ec.europa.eu/x") == "https://ec.europa.eu/x"
    assert md_link("**ref**", "javascript:alert(1)") == "\\*\\*ref\\*\\*"
    assert md_link("ref", "https://x.eu/a(b)") == "[ref](https://x.eu/a%28b%29)"


def test_conflict_lists_only_fields_that_differ():
    frame = conflict_frame(
        {"title": "Theirs", "priority": Priority.HIGH, "tags": "a"},
        {"title": "Mine", "priority": Priority.HIGH, "tags": "a"},
        field_label,
        value_text,
    )
    assert frame.to_dict("records") == [{"Field": "Title", "Theirs": "Theirs", "Yours": "Mine"}]


def test_timeline_names_moves_up_down_and_activities():
    df = pd.DataFrame(
        [
            ("stage", 3, dt.date(2026, 11, 3), 2.0, 1, None, "Reason", None, None, "o"),
            ("activity", 8, dt.date(2026, 11, 2), None, None, "Meeting", "Met DG SANTE", "Positive", None, "o"),
            ("stage", 1, dt.date(2026, 11, 1), None, 0, None, "Created", None, "javascript:x", "o"),
        ],
        columns=["kind", "item_id", "day", "stage_from", "stage_to", "type", "text", "detail", "link", "author"],
    )
    frame = timeline_frame(df)
    assert list(frame["What"]) == [
        "Stage ↓ Positioning & mobilising → Awareness-raising",
        "Activity: Meeting",
        "Stage: Watching (start)",
    ]
    assert (frame["Link"] == "").all()  # blank: the grid would write None as "None"


def test_every_rung_label_is_readable_on_a_light_and_a_dark_page():
    from tracker.charts import contrast
    from tracker.domain.enums import STAGE_COLOURS, Stage
    from tracker.ui.issues.ladder import count_ladder, issue_ladder

    for fig in (issue_ladder(Stage(0)), issue_ladder(Stage(3)), count_ladder({0: 4, 5: 0})):
        for bar in fig.data:
            fill, ink = bar.marker.color, bar.textfont.color
            assert fill.startswith("#") and len(fill) == 7, "an opaque fill: the page's theme cannot show through"
            # Faded (unreached) rungs get full text contrast; reached ones keep their stage's own
            # colour (the same on every chart) and the better of dark and white ink on it.
            needed = 3.0 if fill == STAGE_COLOURS[Stage.from_label(bar.name)] else 4.5
            assert contrast(fill, ink) >= needed, (bar.name, fill, ink)
