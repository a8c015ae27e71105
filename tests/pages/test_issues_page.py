"""The Issues page as editors and viewers see it: list, deep links, forms, stage moves, conflicts."""

from __future__ import annotations

import pytest

from tracker.domain.enums import Stage
from tracker.services import issues as svc
from tracker.ui.kit.text import md

ISSUE = 3


def no_exception(at):
    assert not at.exception, [e.value for e in at.exception]


def frame_with(at, column: str):
    """The first dataframe that has ``column`` (AppTest dataframes carry no key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [w.value for w in at.warning] + [e.value for e in at.error]
    parts += [s.value for s in at.success] + [c.value for c in at.caption] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def test_editor_sees_list_with_counts_and_the_new_issue_form(app_for):
    at = app_for("officer", "pages/issues.py")
    no_exception(at)
    assert at.title[0].value == "Issues"
    assert at.metric[0].label == "Issues" and int(at.metric[0].value) > 0
    assert at.dataframe[0].value.shape[0] == int(at.metric[0].value)
    assert at.text_input(key="iss_new_title").label == "Title"
    assert at.button(key="iss_new_save").label == "Create issue"
    assert "Bulk actions" in [e.label for e in at.expander]


def test_deep_link_opens_the_issue(app_for, demo_db):
    at = app_for("officer", "pages/issues.py", query={"issue": str(ISSUE)})
    no_exception(at)
    issue = svc.get(demo_db, ISSUE)
    assert at.title[0].value == md(issue.title)
    assert f"**Stage:** {issue.stage.label}" in at.markdown[0].value or any(
        f"**Stage:** {issue.stage.label}" in m.value for m in at.markdown
    )
    assert [t.label for t in at.tabs] == ["Details", "Timeline", "Linked", "History", "Edit", "Move to stage…"]


def test_signed_out_user_lands_on_the_linked_issue_after_signing_in(app_for, demo_db):
    at = app_for(None, "pages/issues.py", query={"issue": str(ISSUE)})
    at.text_input[0].input("officer")
    at.text_input[1].input("demo")
    at.button[0].click().run()
    no_exception(at)
    assert at.title[0].value == md(svc.get(demo_db, ISSUE).title)


def test_viewer_sees_the_issue_without_any_edit_control(app_for):
    at = app_for("director", "pages/issues.py", query={"issue": str(ISSUE)})
    no_exception(at)
    assert [t.label for t in at.tabs] == ["Details", "Timeline", "Linked", "History"]
    assert not at.text_input and not at.text_area and not at.date_input and not at.selectbox
    assert [b.label for b in at.button] == ["All issues", "Sign out"]


def test_viewer_list_has_search_but_no_create_or_bulk(app_for):
    at = app_for("director", "pages/issues.py")
    no_exception(at)
    assert [t.label for t in at.text_input] == ["Search"]
    assert "New issue" not in [e.label for e in at.expander]
    assert "Bulk actions" not in [e.label for e in at.expander]


def test_stage_move_through_the_form_records_an_event(app_for, demo_db):
    issue = svc.get(demo_db, ISSUE)
    target = Stage(int(issue.stage) - 1) if issue.stage > 0 else Stage.AWARENESS
    at = app_for("officer", "pages/issues.py", query={"issue": str(ISSUE)})
    key = f"iss_m{ISSUE}"
    at.selectbox(key=f"{key}_to_stage").set_value(target)
    at.text_area(key=f"{key}_note").input("Reopened after the trilogue stalled")
    at.text_input(key=f"{key}_evidence_ref").input("Council minutes 20 Nov")
    at.button(key=f"{key}_save").click().run()
    no_exception(at)
    after = svc.get(demo_db, ISSUE)
    assert after.stage == target and after.version == issue.version + 1
    latest = svc.events(demo_db, ISSUE)[0]
    assert (latest["author"], latest["note"]) == ("officer", "Reopened after the trilogue stalled")
    assert "The event is on the timeline" in texts(at)
    assert "Reopened after the trilogue stalled" in frame_with(at, "Note or summary").to_string()


def test_move_up_without_evidence_shows_the_message_under_the_field(app_for, demo_db):
    created = svc.create(demo_db, _officer(demo_db), {"title": "Fresh issue"})
    at = app_for("officer", "pages/issues.py", query={"issue": str(created.id)})
    at.button(key=f"iss_m{created.id}_save").click().run()
    no_exception(at)
    assert "a move up the ladder needs evidence" in texts(at)
    assert svc.get(demo_db, created.id).stage == Stage.WATCHING


def test_edit_saves_and_shows_in_history(app_for, demo_db):
    at = app_for("officer", "pages/issues.py", query={"issue": str(ISSUE)})
    at.text_input(key=f"iss_e{ISSUE}_title").input("EHDS: secondary use (renamed)")
    at.button(key=f"iss_e{ISSUE}_save").click().run()
    no_exception(at)
    assert svc.get(demo_db, ISSUE).title == "EHDS: secondary use (renamed)"
    history = frame_with(at, "Who")
    assert list(history.iloc[0][["Who", "Field", "After"]]) == [
        "Olivia Officer",
        "Title",
        "EHDS: secondary use (renamed)",
    ]


def test_second_editor_gets_the_conflict_and_keeps_their_input(app_for, demo_db):
    at = app_for("officer", "pages/issues.py", query={"issue": str(ISSUE)})
    issue = svc.get(demo_db, ISSUE)
    colleague = svc.update(demo_db, _user(demo_db, "admin"), ISSUE, issue.version, {"title": "Admin's title"})
    at.text_input(key=f"iss_e{ISSUE}_title").input("Officer's title")
    at.button(key=f"iss_e{ISSUE}_save").click().run()
    no_exception(at)
    assert any(w.value.startswith(md("This issue was changed by Ada Admin at")) for w in at.warning)
    assert at.text_input(key=f"iss_e{ISSUE}_title").value == "Officer's title"
    table = frame_with(at, "Yours")
    assert list(table.iloc[0][["Field", "Theirs", "Yours"]]) == ["Title", "Admin's title", "Officer's title"]
    assert svc.get(demo_db, ISSUE).title == colleague.title
    at.button(key=f"iss_e{ISSUE}_keep").click().run()
    no_exception(at)
    assert svc.get(demo_db, ISSUE).title == "Officer's title"
    assert [s.value.replace("\\", "") for s in at.success] == ["Saved: Title."]


def test_stage_move_after_a_colleagues_change_is_a_conflict(app_for, demo_db):
    at = app_for("officer", "pages/issues.py", query={"issue": str(ISSUE)})
    issue = svc.get(demo_db, ISSUE)
    svc.update(demo_db, _user(demo_db, "admin"), ISSUE, issue.version, {"summary": "Changed meanwhile"})
    key = f"iss_m{ISSUE}"
    at.text_area(key=f"{key}_note").input("My reason")
    at.button(key=f"{key}_save").click().run()
    no_exception(at)
    assert any("This issue was changed by Ada Admin" in w.value for w in at.warning)
    assert at.text_area(key=f"{key}_note").value == "My reason"
    assert svc.get(demo_db, ISSUE).stage == issue.stage


def test_create_with_empty_title_names_the_field_and_saves_nothing(app_for, demo_db):
    before = len(svc.search(demo_db, {"archived": "include"}))
    at = app_for("officer", "pages/issues.py")
    at.button(key="iss_new_save").click().run()
    no_exception(at)
    assert "Title — is required" in texts(at)
    assert len(svc.search(demo_db, {"archived": "include"})) == before


def test_create_opens_the_new_issue(app_for, demo_db):
    at = app_for("officer", "pages/issues.py")
    at.text_input(key="iss_new_title").input("Packaging waste: reusable medical packaging")
    at.button(key="iss_new_save").click().run()
    no_exception(at)
    assert at.title[0].value == md("Packaging waste: reusable medical packaging")
    [created] = svc.search(demo_db, {"text": "reusable medical packaging"})["id"]
    assert at.query_params["issue"] == str(created)
    assert svc.get(demo_db, int(created)).created_by == "officer"


@pytest.mark.parametrize(
    "title",
    ["**bold** <b>html</b> :red[styled] [link](javascript:alert(1)) $x$ 🚀", "# heading\\ <script>x</script>"],
)
def test_markdown_and_html_titles_are_shown_literally(app_for, demo_db, title):
    created = svc.create(demo_db, _officer(demo_db), {"title": title})
    at = app_for("director", "pages/issues.py", query={"issue": str(created.id)})
    no_exception(at)
    assert at.title[0].value == md(title)
    assert "\\*\\*bold" in at.title[0].value or "\\#" in at.title[0].value


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "is not an issue number"),
        ("99999", "no issue number 99,999"),
        ("9" * 30, "no issue number"),
        ("-4", "is not an issue number"),
    ],
)
def test_bad_deep_links_explain_themselves(app_for, raw, message):
    at = app_for("officer", "pages/issues.py", query={"issue": raw})
    no_exception(at)
    assert message in texts(at)


def test_search_filters_the_list(app_for):
    at = app_for("director", "pages/issues.py")
    at.text_input(key="iss_q_text").input("Data Act").run()
    no_exception(at)
    titles = list(at.dataframe[0].value["Title"])
    assert titles and all("data act" in t.lower() for t in titles)


def test_open_by_title_navigates_to_the_issue(app_for, demo_db):
    at = app_for("director", "pages/issues.py")
    at.selectbox(key="iss_jump").set_value(ISSUE).run()
    no_exception(at)
    assert at.title[0].value == md(svc.get(demo_db, ISSUE).title)


def test_archive_and_restore_from_the_issue_page(app_for, demo_db):
    at = app_for("officer", "pages/issues.py", query={"issue": str(ISSUE)})
    at.button(key=f"iss_archive_{ISSUE}").click().run()
    no_exception(at)
    assert svc.get(demo_db, ISSUE).archived_at is not None
    assert at.button(key=f"iss_archive_{ISSUE}").label == "Restore issue"
    at.button(key=f"iss_archive_{ISSUE}").click().run()
    assert svc.get(demo_db, ISSUE).archived_at is None


def test_bulk_add_tag_to_every_issue_in_a_filtered_list(app_for, demo_db):
    at = app_for("officer", "pages/issues.py")
    at.text_input(key="iss_q_text").input("Data Act").run()
    ids = list(at.dataframe[0].value.index)
    assert not [c for c in at.checkbox if c.key == "iss_bulk_all"]  # closed: its controls do not run
    at.session_state["iss_bulk_open"] = True  # the user opens "Bulk actions"
    at.run()
    at.checkbox(key="iss_bulk_all").check().run()
    at.radio(key="iss_bulk_action").set_value("tag").run()
    at.text_input(key="iss_bulk_tag").input("board-2027").run()
    at.button(key="iss_bulk_apply").click().run()
    no_exception(at)
    assert all("board-2027" in svc.get(demo_db, i).tags for i in ids)


def _user(db, name):
    from tracker.services import accounts

    u = accounts.get_user(db, name)
    assert u is not None
    return u


def _officer(db):
    return _user(db, "officer")
