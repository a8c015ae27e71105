"""An activity's own page says who follows it up and whether it is done; an editor hands it on
or marks it done there, and My work follows."""

from __future__ import annotations

import re

from tests.conftest import TODAY
from tracker.services import my_work

PAGE = "pages/activities.py"


def _officers_follow_up(db) -> dict:
    return my_work.follow_ups(db, "officer", TODAY)[0]


def _text(at) -> str:
    return " ".join(m.value for m in [*at.markdown, *at.caption]).replace("\\", "")


def test_the_activity_says_who_follows_it_up(app_for, demo_db) -> None:
    item = _officers_follow_up(demo_db)
    at = app_for("director", PAGE, query={"activity": str(item["id"])})
    assert not at.exception
    assert "assigned to Olivia Officer" in _text(at)
    assert not [b for b in at.button if b.label == "Mark done"]  # a director only reads


def test_an_editor_marks_it_done_on_the_activity_and_my_work_drops_it(app_for, demo_db) -> None:
    item = _officers_follow_up(demo_db)
    at = app_for("officer", PAGE, query={"activity": str(item["id"])})
    next(b for b in at.button if b.label == "Mark done").click().run()
    assert not at.exception
    assert any(s.value.replace("\\", "") == "Follow-up marked done." for s in at.success)
    assert re.search(r"Done \d{1,2} \w{3} \d{4} by Olivia Officer", _text(at))
    assert not [b for b in at.button if b.label == "Mark done"]
    assert item["id"] not in [r["id"] for r in my_work.follow_ups(demo_db, "officer", TODAY)]


def test_an_editor_hands_it_to_a_colleague(app_for, demo_db) -> None:
    item = _officers_follow_up(demo_db)
    names = dict(my_work.assignable(demo_db))
    colleague = next(u for u in names if u != "officer")
    at = app_for("officer", PAGE, query={"activity": str(item["id"])})
    at.selectbox(key=f"my_work_{item['id']}_{item['version']}_to").set_value(colleague)
    next(b for b in at.button if b.label == "Reassign").click().run()
    assert not at.exception
    assert f"assigned to {names[colleague]}" in _text(at)
    assert item["id"] in [r["id"] for r in my_work.follow_ups(demo_db, colleague, TODAY)]


def test_the_change_history_names_people_by_display_name(app_for, demo_db, officer) -> None:
    from tests.conftest import open_tab
    from tracker.domain.models import ActivityInput
    from tracker.services import activities

    act = activities.get(demo_db, 1)
    data = act.model_dump(include=set(ActivityInput.model_fields)) | {"summary": "Summary changed by the officer"}
    activities.update(demo_db, officer, act.id, act.version, data)
    at = open_tab(app_for("director", PAGE, query={"activity": str(act.id)}), f"act_tabs_{act.id}", "History")
    who = at.dataframe[-1].value["Who"].tolist()
    assert who and set(who) == {"Olivia Officer"}
