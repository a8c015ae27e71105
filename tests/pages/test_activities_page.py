"""Activities page: the log for viewers; quick entry, refusals, edit and delete for editors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.conftest import open_tab
from tracker.services import activities

PAGE = "pages/activities.py"
PREFIX = "act_new_0"


def labels(widgets) -> list[str]:
    return [w.label for w in widgets]


def edit_buttons(at) -> list[str]:
    """Every button except the sidebar's sign-out and the back-to-list navigation."""
    return [b.label for b in at.button if b.label != "Sign out" and not str(b.key or "").startswith("back_")]


def errors(at) -> str:
    return " ".join(e.value for e in at.error).replace("\\", "")


def fill(at, *, type_="Meeting", summary="Met DG GROW on fees", effort=1.5, follow=None):
    at.selectbox(key=f"{PREFIX}_type").select(type_).run()
    at.text_area(key=f"{PREFIX}_summary").input(summary)
    at.number_input(key=f"{PREFIX}_effort").set_value(effort)
    at.selectbox(key=f"{PREFIX}_funding").select("Single Market Programme (COSME) grant")
    at.text_input(key=f"{PREFIX}_orgs__find").input("Rhine").run()  # organisation 1, Rhine MedTech Cluster
    at.multiselect(key=f"{PREFIX}_orgs").select(1)
    if follow:
        at.date_input(key=f"{PREFIX}_follow").set_value(follow)


def test_viewer_sees_the_log_without_edit_controls(app_for):
    at = app_for("director", PAGE)
    assert not at.exception
    assert labels(at.tabs) == ["Log", "Follow-ups this week"]
    assert labels(at.metric) == ["Activities", "Effort", "Influencing"]
    assert edit_buttons(at) == []
    assert "Summary" not in labels(at.text_area)


def test_viewer_opens_an_activity_read_only(app_for):
    at = app_for("director", PAGE, query={"activity": "1"})
    assert not at.exception
    assert labels(at.tabs) == ["History"]
    assert edit_buttons(at) == []


def test_quick_entry_derives_the_flag_and_records_effort_and_funding(app_for, demo_db):
    at = app_for("officer", PAGE)
    fill(at)
    assert at.checkbox(key=f"{PREFIX}_infl").value is True  # Meeting counts as influencing
    at.button(key=f"{PREFIX}_save").click().run()
    assert not at.exception and not at.error, errors(at)
    row = demo_db.read(
        "SELECT is_influencing, effort_days, funding_source FROM activities WHERE summary = 'Met DG GROW on fees'"
    )
    assert row == [(True, Decimal("1.50"), "Single Market Programme (COSME) grant")]
    assert at.text_area(key="act_new_1_summary").value == ""  # the next entry starts empty


def test_influencing_flag_stays_editable(app_for, demo_db):
    at = app_for("officer", PAGE)
    fill(at, type_="Newsletter", summary="Newsletter we count as influencing")
    assert at.checkbox(key=f"{PREFIX}_infl").value is False
    at.checkbox(key=f"{PREFIX}_infl").check()
    at.button(key=f"{PREFIX}_save").click().run()
    assert demo_db.read("SELECT is_influencing FROM activities WHERE summary LIKE 'Newsletter we count%'") == [(True,)]


def test_follow_up_before_the_activity_is_refused_naming_the_field(app_for, demo_db):
    at = app_for("officer", PAGE)
    fill(at, summary="Bad follow-up", follow=dt.date(2026, 11, 1))
    at.button(key=f"{PREFIX}_save").click().run()
    assert "Follow-up date" in errors(at)
    assert not demo_db.read("SELECT 1 FROM activities WHERE summary = 'Bad follow-up'")


def test_editor_edits_and_deletes_an_activity(app_for, demo_db, officer):
    a = activities.create(
        demo_db, officer, {"activity_date": "2026-11-25", "type": "Letter", "summary": "Letter to edit"}
    )
    at = app_for("officer", PAGE, query={"activity": str(a.id)})
    prefix = f"act_edit_{a.id}"
    at.number_input(key=f"{prefix}_effort").set_value(2.0)
    at.button(key=f"{prefix}_save").click().run()
    assert not at.error, errors(at)
    assert activities.get(demo_db, a.id).effort_days == Decimal("2")
    at = open_tab(at, f"act_tabs_{a.id}", "Delete")
    at.checkbox(key=f"act_del_{a.id}_sure").check().run()
    at.button(key=f"act_del_{a.id}_go").click().run()
    assert not at.error, errors(at)
    assert demo_db.read("SELECT deleted_at IS NOT NULL FROM activities WHERE id = ?", [a.id]) == [(True,)]


def test_follow_ups_due_this_week_are_listed(app_for, demo_db, officer):
    activities.create(
        demo_db,
        officer,
        {"activity_date": "2026-11-20", "type": "Meeting", "summary": "Call back DG SANTE", "follow_up": "2026-11-28"},
    )
    at = open_tab(app_for("director", PAGE), "act_tab", "Follow-ups this week")
    table = at.dataframe[-1].value
    assert "Call back DG SANTE" in set(table["Summary"])


def test_a_follow_up_due_this_week_opens_from_its_picker(app_for, demo_db, officer):
    made = activities.create(
        demo_db,
        officer,
        {"activity_date": "2026-11-20", "type": "Meeting", "summary": "Ring the rapporteur", "follow_up": "2026-11-27"},
    )
    at = open_tab(app_for("director", PAGE), "act_tab", "Follow-ups this week")
    picker = at.selectbox(key="follow_ups_open")
    assert any("Ring the rapporteur" in str(o) for o in picker.options)
    picker.set_value(made.id).run()
    assert at.query_params.get("activity") in (str(made.id), [str(made.id)])
    assert any("Ring the rapporteur" in m.value for m in at.markdown)


def test_the_contact_picker_offers_only_matches_of_what_was_typed(app_for):
    at = app_for("officer", PAGE)
    picker = at.multiselect(key=f"{PREFIX}_contacts")
    assert picker.options == []  # nothing is offered before the user searches
    at.text_input(key=f"{PREFIX}_contacts__find").input("jans").run()
    offered = at.multiselect(key=f"{PREFIX}_contacts").options
    assert offered and all("jans" in str(o).lower() for o in offered)
    assert not any("select" in str(o).lower() for o in offered)


def test_a_large_picker_sends_at_most_fifty_options(app_for):
    at = app_for("officer", PAGE)
    at.text_input(key=f"{PREFIX}_orgs__find").input("er").run()
    assert 0 < len(at.multiselect(key=f"{PREFIX}_orgs").options) <= 50


def test_chosen_records_stay_offered_when_the_search_changes(app_for, demo_db):
    at = app_for("officer", PAGE)
    at.text_input(key=f"{PREFIX}_orgs__find").input("Rhine").run()
    at.multiselect(key=f"{PREFIX}_orgs").select(1).run()
    at.text_input(key=f"{PREFIX}_orgs__find").input("Nordic").run()
    picker = at.multiselect(key=f"{PREFIX}_orgs")
    assert picker.value == [1]
    assert {str(o) for o in picker.options} >= {"Rhine MedTech Cluster", "Nordic MedTech Cluster"}


def test_a_future_activity_date_is_refused_naming_the_range_and_nothing_is_written(app_for, demo_db):
    at = app_for("officer", PAGE)
    fill(at, summary="Dated next week")
    at.date_input(key=f"{PREFIX}_date").set_value(dt.date(2026, 12, 9))
    at.button(key=f"{PREFIX}_save").click().run()
    assert "Date" in errors(at) and "or earlier" in errors(at)
    assert any("or earlier" in c.value for c in at.caption)  # at the field too
    assert at.date_input(key=f"{PREFIX}_date").value == dt.date(2026, 12, 9)  # what was typed stays
    assert not demo_db.read("SELECT 1 FROM activities WHERE summary = 'Dated next week'")


def test_a_follow_up_years_ahead_is_saved_as_typed(app_for, demo_db):
    at = app_for("officer", PAGE)
    fill(at, summary="Review in 2040", follow=dt.date(2040, 3, 1))
    at.button(key=f"{PREFIX}_save").click().run()
    assert not at.error, errors(at)
    assert demo_db.read("SELECT follow_up FROM activities WHERE summary = 'Review in 2040'") == [(dt.date(2040, 3, 1),)]


def test_an_activity_read_view_shows_who_was_met_and_who_recorded_it(app_for, demo_db, officer):
    made = activities.create(
        demo_db,
        officer,
        {
            "activity_date": "2026-11-20",
            "type": "Meeting",
            "summary": "Met the cluster",
            "organisation_ids": [1],
            "contact_ids": [4],
        },
    )
    (org,), (person,) = (
        demo_db.read(f"SELECT name FROM {t} WHERE id = ?", [i])[0] for t, i in (("organisations", 1), ("contacts", 4))
    )
    at = app_for("director", PAGE, query={"activity": str(made.id)})
    assert not at.exception
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    links = [p.proto.label for p in at.get("page_link")]
    assert org in links
    assert person in text
    assert "recorded by Olivia Officer" in text


def test_empty_cells_of_the_log_read_a_dash_never_none(app_for, demo_db, officer):
    activities.create(demo_db, officer, {"activity_date": "2026-11-26", "type": "Letter", "summary": "Lone letter"})
    at = open_tab(app_for("director", PAGE), "act_tab", "Log")
    table = at.dataframe[0].value
    row = table[table["summary"] == "Lone letter"].iloc[0]
    assert (row["outcome"], row["follow_up"], row["organisations"], row["contacts"]) == ("—", "—", "—", "—")
    assert row["created_by"] == "Olivia Officer"


def test_the_tab_the_editor_acted_on_stays_open_across_reruns(app_for, demo_db, officer):
    made = activities.create(demo_db, officer, {"activity_date": "2026-11-20", "type": "Letter", "summary": "Kept"})
    at = open_tab(app_for("officer", PAGE, query={"activity": str(made.id)}), f"act_tabs_{made.id}", "Delete")
    at.checkbox(key=f"act_del_{made.id}_sure").check().run()
    at.session_state["kit_flash"] = "Saved the activity."  # a rerun after a save shows a flash first
    at.run()
    assert at.session_state[f"act_tabs_{made.id}"] == "Delete"
    assert at.checkbox(key=f"act_del_{made.id}_sure").value is True
    assert not [b for b in at.button if b.key == f"act_edit_{made.id}_save"]  # only the open tab is drawn
