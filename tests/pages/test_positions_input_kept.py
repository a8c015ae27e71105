"""Joint positions: Publish asks once, a typed publication date is saved or refused (never
replaced), the page stays on the tab used, the signatory picker empties after adding."""

from __future__ import annotations

import datetime as dt

from tests.conftest import TODAY
from tracker.domain.enums import JointPositionStatus
from tracker.services import joint_positions as jp

PAGE = "pages/joint_positions.py"


def errors(at) -> str:
    return " ".join([e.value for e in at.error] + [c.value for c in at.caption]).replace("\\", "")


def ready_to_publish(db, actor, title: str = "Ready paper") -> int:
    p = jp.create(db, actor, {"title": title})
    jp.add_signatory(db, actor, p.id, {"organisation_id": 2, "status": "agreed", "status_date": TODAY})
    return p.id


def on_status_tab(app_for, pid: int):
    at = app_for("officer", PAGE, query={"position": str(pid)})
    at.session_state[f"jp_detail_tab_{pid}"] = "Status"
    at.run()
    at.selectbox(key=f"status_to_{pid}").select(JointPositionStatus.PUBLISHED).run()
    return at


def tab_shown(at) -> str:
    """The tab the server tells the browser to show (the tabs' container), whatever it drew above."""
    [tabs] = [node for node in at.main if getattr(node, "type", None) == "tab_container"]
    return list(tabs.children.values())[tabs.proto.tab_container.default_tab_index].label


def test_publish_asks_once_and_cancel_changes_nothing(app_for, demo_db, officer):
    pid = ready_to_publish(demo_db, officer)
    at = on_status_tab(app_for, pid)
    at.button(key=f"status_{pid}_publish").click().run()
    assert any("cannot be undone" in w.value for w in at.warning)
    assert jp.get(demo_db, pid).status == JointPositionStatus.IDEA
    at.button(key=f"status_{pid}_cancel").click().run()
    assert not any("cannot be undone" in w.value for w in at.warning)
    assert jp.get(demo_db, pid).status == JointPositionStatus.IDEA


def test_a_future_publication_date_is_refused_at_the_field_and_nothing_is_written(app_for, demo_db, officer):
    pid = ready_to_publish(demo_db, officer)
    at = on_status_tab(app_for, pid)
    at.date_input(key=f"status_{pid}_published_on").set_value(TODAY + dt.timedelta(days=5)).run()
    at.button(key=f"status_{pid}_publish").click().run()
    at.button(key=f"status_{pid}_confirm").click().run()
    assert "2 Dec 2026 is in the future: it must be today (27 Nov 2026) or earlier" in errors(at)
    assert any("is in the future" in c.value for c in at.caption)  # under the field
    assert jp.get(demo_db, pid).status == JointPositionStatus.IDEA
    assert at.date_input(key=f"status_{pid}_published_on").value == TODAY + dt.timedelta(days=5)  # kept
    assert tab_shown(at) == "Status"


def test_a_typed_past_publication_date_is_the_one_saved(app_for, demo_db, officer):
    pid = ready_to_publish(demo_db, officer)
    at = on_status_tab(app_for, pid)
    long_ago = dt.date(2014, 3, 9)  # more than ten years back: outside st.date_input's default range
    at.date_input(key=f"status_{pid}_published_on").set_value(long_ago).run()
    at.button(key=f"status_{pid}_publish").click().run()
    at.button(key=f"status_{pid}_confirm").click().run()
    assert not at.exception
    saved = jp.get(demo_db, pid)
    assert (saved.status, saved.published_on) == (JointPositionStatus.PUBLISHED, long_ago)
    assert tab_shown(at) == "Status"  # still where the user acted, now with the flash above


def test_after_adding_signatories_the_picker_is_empty_again(app_for, demo_db, officer):
    p = jp.create(demo_db, officer, {"title": "Picker paper"})
    at = app_for("officer", PAGE, query={"position": str(p.id)})
    for org in (2, 3, 4):
        at.multiselect(key=f"invite_{p.id}_orgs").select(org)
    at.button(key=f"FormSubmitter:invite_{p.id}-Add signatories").click().run()
    assert [s.value.replace("\\", "") for s in at.success] == ["Added 3 signatories."]
    assert at.multiselect(key=f"invite_{p.id}_orgs").value == []


def test_a_batch_with_duplicates_names_every_one_and_adds_nothing(app_for, demo_db, officer):
    p = jp.create(demo_db, officer, {"title": "Twice paper"})
    for org in (2, 3):
        jp.add_signatory(demo_db, officer, p.id, {"organisation_id": org})
    names = dict(demo_db.read("SELECT id, name FROM organisations WHERE id IN (2, 3)"))
    at = app_for("officer", PAGE, query={"position": str(p.id)})
    for org in (2, 3, 4):
        at.multiselect(key=f"invite_{p.id}_orgs").select(org)
    at.button(key=f"FormSubmitter:invite_{p.id}-Add signatories").click().run()
    text = errors(at)
    assert "2 are already signatories" in text and "Nothing was added" in text
    assert names[2] in text and names[3] in text
    assert len(jp.signatories(demo_db, p.id)) == 2
    assert sorted(at.multiselect(key=f"invite_{p.id}_orgs").value) == [2, 3, 4]  # kept, to correct


def test_the_list_shows_a_dash_for_empty_cells(app_for, demo_db, officer):
    jp.create(demo_db, officer, {"title": "Bare paper"})
    at = app_for("officer", PAGE)
    table = at.dataframe[0].value
    row = table[table["title"] == "Bare paper"].iloc[0]
    assert (row["lead_organisation"], row["published_on"], row["signatories"]) == ("—", "—", "0 of 0")


def test_the_list_fits_its_columns_that_matter(app_for):
    at = app_for("officer", PAGE)
    columns = list(at.dataframe[0].value.columns)
    assert columns == ["id", "title", "status", "lead_organisation", "published_on", "signatories", "issues"]


def test_history_names_people_and_actions_in_words(app_for, demo_db, officer):
    pid = ready_to_publish(demo_db, officer)
    at = app_for("officer", PAGE, query={"position": str(pid)})
    history = at.dataframe[-1].value
    assert set(history["Who"]) == {"Olivia Officer"}
    assert list(history["What"]) == ["Signatory added", "Created"]
