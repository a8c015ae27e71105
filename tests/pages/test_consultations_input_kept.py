"""Consultations: typed dates saved or refused (never replaced), the tab kept after a save, the
Formal-input proposal after a submitted response, Missed, readable history and tables, and the
entry forms not under the list's filters."""

from __future__ import annotations

import datetime as dt

from tests.conftest import TODAY, open_tab
from tracker.domain.enums import Stage
from tracker.services import consultations as service
from tracker.services import issues

PAGE = "pages/consultations.py"


def texts(at) -> str:
    return " ".join([e.value for e in at.error] + [c.value for c in at.caption]).replace("\\", "")


def low_issue(db) -> int:
    row = db.read(
        "SELECT i.id FROM issues i JOIN issue_stage s ON s.issue_id = i.id "
        "WHERE s.stage < 3 AND i.archived_at IS NULL AND s.stage_since <= ? ORDER BY i.id LIMIT 1",
        [TODAY - dt.timedelta(days=3)],
    )
    return int(row[0][0])


def open_consultation(db, officer, **extra) -> int:
    values = {
        "title": "Biotech Act consultation",
        "authority": "European Commission",
        "opens": TODAY - dt.timedelta(days=20),
        "closes": TODAY + dt.timedelta(days=20),
        "url": "https://ec.example/biotech",
    }
    return service.create(db, officer, values | extra).id


def widget(items, label):
    return next(w for w in items if w.label == label)


def tab_shown(at) -> str:
    [tabs] = [node for node in at.main if getattr(node, "type", None) == "tab_container"]
    return list(tabs.children.values())[tabs.proto.tab_container.default_tab_index].label


def submit_response(at, day: dt.date, reference: str = "F1234567"):
    status = widget(at.selectbox, "Our response")
    status.set_value(next(o for o in status.options if str(o) == "Submitted"))
    widget(at.date_input, "Submitted on").set_value(day)
    widget(at.text_input, "Feedback reference").input(reference)
    widget(at.button, "Save response").click().run()
    return at


def test_a_future_submission_date_is_refused_naming_the_range(app_for, demo_db, officer):
    cid = open_consultation(demo_db, officer)
    at = app_for("officer", PAGE, query={"consultation": str(cid)})
    submit_response(at, TODAY + dt.timedelta(days=2))
    assert "29 Nov 2026 is in the future: it must be between 7 Nov 2026 (the opening date) and today" in texts(at)
    assert service.get(demo_db, cid).response_status.value == "not_started"
    assert widget(at.date_input, "Submitted on").value == TODAY + dt.timedelta(days=2)  # kept for correction


def test_a_submission_before_the_consultation_opened_is_refused(app_for, demo_db, officer):
    cid = open_consultation(demo_db, officer)
    at = app_for("officer", PAGE, query={"consultation": str(cid)})
    submit_response(at, TODAY - dt.timedelta(days=30))
    assert "is before the consultation opened" in texts(at)
    assert service.get(demo_db, cid).submitted_on is None


def test_a_save_keeps_the_tab_the_user_used(app_for, demo_db, officer):
    cid = open_consultation(demo_db, officer)
    at = app_for("officer", PAGE, query={"consultation": str(cid)})
    at.session_state[f"cons_detail_tab_{cid}"] = "Edit all fields"
    at.run()
    form_opens = [d for d in at.date_input if d.label == "Opens"]
    long_ago = dt.date(2012, 5, 2)  # more than ten years back: outside st.date_input's default range
    form_opens[0].set_value(long_ago)
    widget(at.button, "Save changes").click().run()
    assert not at.exception
    assert service.get(demo_db, cid).opens == long_ago
    assert tab_shown(at) == "Edit all fields"


def test_closes_before_opens_is_refused_at_the_field(app_for, demo_db, officer):
    cid = open_consultation(demo_db, officer)
    at = app_for("officer", PAGE, query={"consultation": str(cid)})
    at.session_state[f"cons_detail_tab_{cid}"] = "Edit all fields"
    at.run()
    widget(at.date_input, "Closes").set_value(TODAY - dt.timedelta(days=40))
    widget(at.button, "Save changes").click().run()
    assert "must be on or after the opening date" in texts(at)
    assert service.get(demo_db, cid).closes == TODAY + dt.timedelta(days=20)
    assert tab_shown(at) == "Edit all fields"


def test_a_submitted_response_offers_formal_input_with_its_evidence(app_for, demo_db, officer):
    issue_id = low_issue(demo_db)
    cid = open_consultation(demo_db, officer, issue_ids=[issue_id])
    at = app_for("officer", PAGE, query={"consultation": str(cid)})
    assert not any(b.label == "Record Formal input" for b in at.button)  # nothing submitted yet
    submit_response(at, TODAY - dt.timedelta(days=1), "F7654321")
    assert "Record Formal input" in [b.label for b in at.button]
    assert issues.get(demo_db, issue_id).stage < Stage.FORMAL_INPUT  # nothing silent
    at.button(key=f"cons_formal_{cid}_{issue_id}").click().run()
    assert not at.exception
    assert issues.get(demo_db, issue_id).stage == Stage.FORMAL_INPUT
    event = issues.events(demo_db, issue_id)[0]
    assert event["event_date"] == TODAY - dt.timedelta(days=1)
    assert "26 Nov 2026" in event["evidence_ref"] and "F7654321" in event["evidence_ref"]
    assert event["evidence_url"] == "https://ec.example/biotech"
    assert not any(b.label == "Record Formal input" for b in at.button)


def test_a_closed_consultation_without_our_response_reads_missed(app_for, demo_db, officer):
    cid = service.create(
        demo_db,
        officer,
        {"title": "Old unanswered call", "authority": "DG SANTE", "closes": TODAY - dt.timedelta(days=5)},
    ).id
    at = open_tab(app_for("officer", PAGE), "cons_tab", "Past")
    past = at.dataframe[0].value
    assert past[past["Title"] == "Old unanswered call"]["Our response"].tolist() == ["Missed"]
    detail = app_for("officer", PAGE, query={"consultation": str(cid)})
    assert any("badge[Our response: Missed]" in m.value for m in detail.markdown)


def test_history_names_people_and_actions_in_words(app_for, demo_db, officer):
    cid = open_consultation(demo_db, officer)
    at = app_for("officer", PAGE, query={"consultation": str(cid)})
    history = at.dataframe[-1].value
    assert list(history["Who"]) == ["Olivia Officer"] and list(history["What"]) == ["Created"]


def test_the_tables_show_what_matters_in_words(app_for):
    at = app_for("officer", PAGE)
    current = at.dataframe[0].value
    assert list(current.columns) == ["Title", "Closes", "Deadline", "Alert", "Our response", "Authority"]
    assert all(d[0].isupper() for d in current["Deadline"])  # no lower-case phase codes
    past = open_tab(at, "cons_tab", "Past").dataframe[0].value
    assert list(past.columns)[:3] == ["Title", "Closed", "Our response"]


def test_the_entry_forms_are_not_under_the_list_filters(app_for):
    at = open_tab(app_for("officer", PAGE), "cons_tab", "New consultation")
    keys = [t.key for t in at.text_input]
    assert "cf_text" not in keys and "consultation_new_title" in keys
    at = open_tab(at, "cons_tab", "Import from Have Your Say")
    assert "cf_text" not in [t.key for t in at.text_input]
    assert not at.get("multiselect") or all(not str(m.key).startswith("cf_") for m in at.multiselect)


def test_a_filter_carries_over_between_the_list_tabs(app_for):
    at = app_for("officer", PAGE)
    at.text_input(key="cf_text").input("zzz-no-such-consultation").run()
    at = open_tab(at, "cons_tab", "Past")
    assert at.text_input(key="cf_text").value == "zzz-no-such-consultation"
    assert any("No past consultation matches" in i.value for i in at.info)
