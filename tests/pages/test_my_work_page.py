"""My work page: the officer's own items on the demo data, each linking to its record; a
follow-up marked done leaves the list; a viewer with nothing sees it said in words."""

from __future__ import annotations

from tests.conftest import TODAY
from tracker.services import my_work
from tracker.ui.my_work.view import ROWS

PAGE = "pages/my_work.py"


def links(at) -> list[tuple[str, str]]:
    """(page, query) of every page link in the page's main area, in order."""
    return [(el.proto.page, el.proto.query_string) for el in at.main.get("page_link")]


def labels(at) -> list[str]:
    return [el.proto.label.replace("\\", "") for el in at.main.get("page_link")]


def test_the_officer_sees_their_issues_follow_ups_consultations_and_positions(app_for, demo_db):
    at = app_for("officer", PAGE)
    assert not at.exception
    assert at.title[0].value == "My work"
    subheaders = [h.value for h in at.subheader]
    issues = my_work.issues(demo_db, "officer", TODAY)
    follow = my_work.follow_ups(demo_db, "officer", TODAY)
    assert any(h.endswith(f"My issues ({len(issues)})") for h in subheaders)
    assert any(h.endswith(f"Follow-ups assigned to me ({len(follow)})") for h in subheaders)
    shown = labels(at)
    # Overdue reviews first, exactly the officer's issues (a page of them), then their follow-ups,
    # consultations, positions.
    first = issues[:ROWS]
    assert shown[: len(first)] == [r["title"] for r in first]
    assert shown[len(first)] == follow[0]["summary"][:140]
    consultation = my_work.consultations(demo_db, "officer", TODAY)[0]
    position = my_work.invitations(demo_db, "officer", TODAY)[0]
    assert consultation["title"] in shown and position["title"] in shown
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "gone quiet" in captions and "review overdue since 9 Nov 2026" in captions


def test_every_row_links_to_its_record(app_for, demo_db):
    at = app_for("officer", PAGE)
    expected = (
        [("issues", f"issue={r['id']}") for r in my_work.issues(demo_db, "officer", TODAY)[:ROWS]]
        + [("activities", f"activity={r['id']}") for r in my_work.follow_ups(demo_db, "officer", TODAY)[:ROWS]]
        + [
            ("consultations", f"consultation={r['id']}")
            for r in my_work.consultations(demo_db, "officer", TODAY)[:ROWS]
        ]
        + [
            ("joint_positions", f"position={pid}")
            for pid in dict.fromkeys(r["position_id"] for r in my_work.invitations(demo_db, "officer", TODAY))
        ]
    )
    assert links(at) == expected


def test_marking_a_follow_up_done_takes_it_off_the_list(app_for, demo_db):
    at = app_for("officer", PAGE)
    first = my_work.follow_ups(demo_db, "officer", TODAY)[0]
    at.button(key=f"my_work_{first['id']}_{first['version']}_done").click().run()
    assert not at.exception
    assert at.success[0].value == "Follow\\-up marked done\\."
    assert first["id"] not in [r["id"] for r in my_work.follow_ups(demo_db, "officer", TODAY)]
    assert first["summary"][:140] not in labels(at)


def test_a_viewer_with_nothing_to_do_is_told_so(app_for):
    at = app_for("director", PAGE)
    assert not at.exception
    assert "Nothing needs you today" in at.info[0].value
    captions = " ".join(c.value for c in at.caption)
    assert "You own no open issues." in captions and "No follow-ups are waiting for you." in captions
    assert at.button(key="sign_out") is not None
