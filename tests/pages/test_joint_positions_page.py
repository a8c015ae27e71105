"""Joint positions page: list and detail for viewers; invite, agree, publish and the Formal-input click for editors."""

from __future__ import annotations

import datetime as dt

from tests.conftest import open_tab
from tracker.domain.enums import JointPositionStatus, SignatoryStatus, Stage
from tracker.services import issues
from tracker.services import joint_positions as jp

PAGE = "pages/joint_positions.py"
DAY = dt.date(2026, 11, 20)


def labels(widgets) -> list[str]:
    return [w.label for w in widgets]


def edit_buttons(at) -> list[str]:
    """Every button except the sidebar's sign-out and the back-to-list navigation."""
    return [b.label for b in at.button if b.label != "Sign out" and not str(b.key or "").startswith("back_")]


def errors(at) -> str:
    return " ".join(e.value for e in at.error).replace("\\", "")


def low_issue(db) -> int:
    row = db.read(
        "SELECT i.id FROM issues i JOIN issue_stage s ON s.issue_id = i.id "
        "WHERE s.stage < 3 AND i.archived_at IS NULL AND s.stage_since <= ? ORDER BY i.id LIMIT 1",
        [DAY],
    )
    return int(row[0][0])


def published_with_suggestion(db, actor) -> int:
    p = jp.create(db, actor, {"title": "Joint paper on fees", "issue_ids": [low_issue(db)]})
    jp.add_signatory(db, actor, p.id, {"organisation_id": 2, "status": "agreed", "status_date": DAY})
    jp.set_status(db, actor, p.id, p.version, {"status": "published", "published_on": DAY})
    return p.id


def test_viewer_sees_the_list_without_edit_controls(app_for):
    at = app_for("director", PAGE)
    assert not at.exception
    assert labels(at.tabs) == ["Positions"]
    assert at.dataframe
    assert edit_buttons(at) == []


def test_viewer_sees_the_suggestion_but_cannot_record_it(app_for, demo_db, officer):
    pid = published_with_suggestion(demo_db, officer)
    at = app_for("director", PAGE, query={"position": str(pid)})
    assert not at.exception
    assert any("Record Formal input on the linked issues" in m.value for m in at.markdown)
    assert edit_buttons(at) == []
    assert labels(at.tabs) == ["Signatories", "Status", "History"]


def test_editor_invites_agrees_publishes_and_records_formal_input(app_for, demo_db):
    issue_id = low_issue(demo_db)
    at = open_tab(app_for("officer", PAGE), "jp_tab", "New position")
    at.text_input(key="jp_new_title").input("Joint call on notified body fees")
    at.multiselect(key="jp_new_issues").select(issue_id)
    at.button(key="FormSubmitter:jp_new-Create joint position").click().run()
    assert not at.error, errors(at)
    pid = int(demo_db.read("SELECT id FROM joint_positions WHERE title = 'Joint call on notified body fees'")[0][0])
    for org in (2, 3, 4):
        at.multiselect(key=f"invite_{pid}_orgs").select(org)
    at.button(key=f"FormSubmitter:invite_{pid}-Add signatories").click().run()
    assert not at.error, errors(at)
    sigs = {s["organisation_id"]: s["id"] for s in jp.signatories(demo_db, pid)}
    assert sorted(sigs) == [2, 3, 4]
    for org in (2, 3):
        at.selectbox(key=f"sig_pick_{pid}").select(sigs[org])
        at.selectbox(key=f"sig_status_{pid}").select(SignatoryStatus.AGREED)
        at.button(key=f"FormSubmitter:sig_update_{pid}-Save status").click().run()
        assert not at.error, errors(at)
    at.selectbox(key=f"status_to_{pid}").select(JointPositionStatus.PUBLISHED).run()
    at.text_input(key=f"status_{pid}_document_url").input("https://cluster.example/fees.pdf")
    at.button(key=f"status_{pid}_publish").click().run()
    assert jp.get(demo_db, pid).status != JointPositionStatus.PUBLISHED  # it asks first
    at.button(key=f"status_{pid}_confirm").click().run()
    assert not at.error, errors(at)
    assert jp.get(demo_db, pid).status == JointPositionStatus.PUBLISHED
    assert issues.get(demo_db, issue_id).stage < Stage.FORMAL_INPUT  # nothing silent
    at.button(key=f"formal_{pid}_{issue_id}").click().run()
    assert not at.error, errors(at)
    assert issues.get(demo_db, issue_id).stage == Stage.FORMAL_INPUT
    event = issues.events(demo_db, issue_id)[0]
    assert "Joint call on notified body fees" in event["evidence_ref"]
    assert event["evidence_url"] == "https://cluster.example/fees.pdf"


def test_adding_the_same_signatory_twice_shows_the_field(app_for, demo_db, officer):
    p = jp.create(demo_db, officer, {"title": "Twice paper"})
    jp.add_signatory(demo_db, officer, p.id, {"organisation_id": 2})
    at = app_for("officer", PAGE, query={"position": str(p.id)})
    at.multiselect(key=f"invite_{p.id}_orgs").select(2)
    at.button(key=f"FormSubmitter:invite_{p.id}-Add signatories").click().run()
    assert "Organisation" in errors(at) and "already a signatory" in errors(at)
    assert len(jp.signatories(demo_db, p.id)) == 1


def test_publishing_without_an_agreed_signatory_shows_the_field(app_for, demo_db, officer):
    p = jp.create(demo_db, officer, {"title": "Lonely paper"})
    at = app_for("officer", PAGE, query={"position": str(p.id)})
    at.selectbox(key=f"status_to_{p.id}").select(JointPositionStatus.PUBLISHED).run()
    at.button(key=f"status_{p.id}_publish").click().run()
    at.button(key=f"status_{p.id}_confirm").click().run()
    assert "Signatories" in errors(at)
    assert jp.get(demo_db, p.id).status == JointPositionStatus.IDEA


def test_the_new_position_form_runs_only_when_its_tab_is_chosen(app_for):
    at = app_for("officer", PAGE)
    assert "jp_new_title" not in [t.key for t in at.text_input]  # closed tab: nothing built or sent
    assert at.dataframe  # the list is there
    at = open_tab(at, "jp_tab", "New position")
    assert "jp_new_title" in [t.key for t in at.text_input]
    assert not at.dataframe
