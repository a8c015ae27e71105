"""E-mail digests through a real SMTP server on 127.0.0.1 (aiosmtpd, started here): who gets
one, what it says, no second copy of a period across a restart, and a refused connection
recorded as failed and delivered at the next run."""

from __future__ import annotations

import datetime as dt
import email
import re
import socket
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import TODAY, user
from tracker.domain import clock
from tracker.services import activities, digest_job, digests, issues, mail, my_work

BASE = "https://tracker.example.org"
# Friday 27 Nov 2026, 07:30 in Brussels (06:30 UTC): the daily slot of 07:00 has come.
NOW = dt.datetime(2026, 11, 27, 6, 30)
DAILY = {"officer", "m.dubois", "k.nowak", "s.jansen"}  # editors who own work; admin owns none


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls this hook by name
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted"

    def to(self, username: str) -> list[EmailMessage]:
        return [m for m in self.messages if f"<{username}@cluster.example>" in str(m["To"])]

    def people(self) -> set[str]:
        return {re.search(r"<([^@]+)@", str(m["To"])).group(1) for m in self.messages}  # type: ignore[union-attr]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def settings(monkeypatch, tmp_path):
    monkeypatch.setattr(mail, "SECRETS", tmp_path / "no-secrets.toml")
    monkeypatch.setenv("TRACKER_TZ", "Europe/Brussels")
    monkeypatch.setenv("TRACKER_BASE_URL", BASE + "/")
    monkeypatch.setenv("TRACKER_MAIL_FROM", "Tracker <tracker@cluster.example>")
    monkeypatch.setenv("TRACKER_DIGEST_HOUR", "7")
    monkeypatch.setenv("TRACKER_SMTP_HOST", "127.0.0.1")
    return monkeypatch


@pytest.fixture
def inbox(settings):
    box = Inbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    settings.setenv("TRACKER_SMTP_PORT", str(port))
    yield box
    controller.stop()


def text_of(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content().replace("\r\n", "\n")  # SMTP carries CRLF line ends


def html_of(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("html",))
    assert part is not None
    return part.get_content()


def section(text: str, title: str) -> str:
    """The lines of one section of a plain-text digest (empty when it is absent)."""
    match = re.search(rf"^{re.escape(title)} \(\d+\)\n(.*?)(?:\n\n|\Z)", text, re.M | re.S)
    return match.group(1) if match else ""


def ids(text: str, page: str, param: str) -> set[int]:
    return {int(n) for n in re.findall(rf"{re.escape(BASE)}/{page}\?{param}=(\d+)", text)}


def send(db, **kw) -> digests.RunReport:
    return digests.run(db, mail.SmtpTransport(), now=kw.pop("now", NOW), today=kw.pop("today", TODAY), **kw)


# ------------------------------------------------------------------ who and what


def test_the_due_digests_reach_the_right_people(demo_db, inbox):
    report = send(demo_db)
    # Friday: the editors' daily digests, and the director's weekly one from Monday (not sent yet).
    assert inbox.people() == DAILY | {"director"}
    assert report.empty == ["admin"] and report.failed == []
    assert all(str(m["From"]) == "Tracker <tracker@cluster.example>" for m in inbox.messages)
    assert all(len(inbox.to(name)) == 1 for name in inbox.people())


def test_an_officers_digest_lists_exactly_their_due_items_with_absolute_links(demo_db, inbox):
    send(demo_db)
    (msg,) = inbox.to("officer")
    text = text_of(msg)
    assert msg["Subject"] == "Policy Influence Tracker: your daily digest, 27 Nov 2026"
    due_reviews = {
        r["id"] for r in my_work.issues(demo_db, "officer", TODAY) if r["next_review"] and r["next_review"] <= TODAY
    }
    assert due_reviews and ids(section(text, "Reviews due"), "issues", "issue") == due_reviews
    due = [r for r in my_work.follow_ups(demo_db, "officer", TODAY) if r["follow_up"] <= TODAY]
    assert f"Follow-ups due ({len(due)})" in text
    newest = due[::-1][:15]  # the digest lists what falls due now before the old backlog
    assert ids(section(text, "Follow-ups due"), "activities", "activity") == {r["id"] for r in newest}
    assert f"… and {len(due) - 15} more: {BASE}/my_work" in text
    closing = {r["id"] for r in my_work.consultations(demo_db, "officer", TODAY)}
    assert ids(section(text, "Consultations closing within 14 days"), "consultations", "consultation") == closing
    waiting = {r["position_id"] for r in my_work.invitations(demo_db, "officer", TODAY)}
    assert ids(section(text, "Signatories still to answer"), "joint_positions", "position") == waiting
    assert f"Open My work: {BASE}/my_work" in text
    html = html_of(msg)
    assert all(f'href="{BASE}/issues?issue={i}"' in html for i in due_reviews)


def test_a_digest_holds_nothing_of_other_peoples_work(demo_db, inbox):
    send(demo_db)
    owner = dict(demo_db.read("SELECT id, owner FROM issues"))
    assignee = dict(demo_db.read("SELECT id, coalesce(assignee, created_by) FROM activities"))
    for name in DAILY:
        text = text_of(inbox.to(name)[0])
        assert {owner[i] for i in ids(text, "issues", "issue")} <= {name}
        assert {assignee[i] for i in ids(text, "activities", "activity")} <= {name}
        assert "@cluster.example" not in text


def test_a_viewer_gets_a_weekly_portfolio_summary_linking_to_the_overview(demo_db, inbox):
    send(demo_db)
    (msg,) = inbox.to("director")
    text = text_of(msg)
    assert "weekly digest" in msg["Subject"]
    assert f"Open the Overview: {BASE}/" in text and "/my_work" not in text and "/activities?" not in text
    week = digests.slot(NOW, 7, "weekly")
    moved_up = {
        r[0]
        for r in demo_db.read(
            "SELECT e.issue_id FROM stage_events e JOIN issues i ON i.id = e.issue_id "
            "WHERE e.recorded_at > ? AND e.recorded_at <= ? AND e.to_stage > e.from_stage AND i.archived_at IS NULL",
            [week - dt.timedelta(days=7), week],
        )
    }
    assert moved_up and ids(section(text, "Moved up the ladder"), "issues", "issue") == moved_up
    assert ids(section(text, "Consultation deadlines"), "consultations", "consultation")


def test_user_text_is_escaped_in_the_html_part(demo_db, inbox, officer):
    activities.create(
        demo_db,
        officer,
        {
            "activity_date": TODAY,
            "type": "Meeting",
            "summary": "<b>Fees</b> & <script>x()</script>",
            "follow_up": TODAY,
        },
    )
    send(demo_db)
    html = html_of(inbox.to("officer")[0])
    assert "&lt;b&gt;Fees&lt;/b&gt; &amp; &lt;script&gt;" in html and "<script>" not in html
    assert "<b>Fees</b> & <script>x()</script>" in text_of(inbox.to("officer")[0])


def test_the_next_digest_holds_only_what_is_new_since_the_last(demo_db, inbox, officer):
    send(demo_db)
    first = len(inbox.messages)
    handed = my_work.follow_ups(demo_db, "officer", TODAY)[-1]
    my_work.reassign(demo_db, officer, handed["id"], handed["version"], "k.nowak")
    issue = issues.get(demo_db, my_work.issues(demo_db, "officer", TODAY)[0]["id"])
    up = min(int(issue.stage) + 1, 5)
    issues.move_stage(demo_db, officer, issue.id, issue.version, {"to_stage": up, "evidence_ref": "Meeting note"})
    later = clock.now() + dt.timedelta(days=2)  # the writes above are stamped with the real clock
    send(demo_db, now=later, today=TODAY + dt.timedelta(days=1), username="k.nowak")
    send(demo_db, now=later, today=TODAY + dt.timedelta(days=1), username="officer")
    new = inbox.messages[first:]
    assert {str(m["To"]).split("<")[1].split("@")[0] for m in new} == {"k.nowak", "officer"}
    nowak = text_of(inbox.to("k.nowak")[-1])
    assert ids(section(nowak, "Follow-ups newly assigned to you"), "activities", "activity") == {handed["id"]}
    mine = text_of(inbox.to("officer")[-1])
    demo_moves = {
        r[0]
        for r in demo_db.read(
            "SELECT e.issue_id FROM stage_events e JOIN issues i ON i.id = e.issue_id "
            "WHERE i.owner = 'officer' AND e.recorded_at > ? AND e.recorded_at <= ?",
            [digests.slot(NOW, 7, "daily"), later],
        )
    }
    assert issue.id in demo_moves
    assert ids(section(mine, "Moves on your issues"), "issues", "issue") == demo_moves
    assert "Reviews due" not in mine  # announced yesterday, nothing new falls due


def test_an_empty_digest_is_recorded_but_not_sent(demo_db, inbox):
    send(demo_db)
    assert inbox.to("admin") == []
    assert demo_db.read("SELECT outcome FROM digests WHERE username = 'admin'") == [("empty",)]


def test_none_stops_the_digest(demo_db, inbox, officer):
    assert digests.choice_of(demo_db, officer) == ("daily", True)
    digests.set_choice(demo_db, officer, "none")
    assert digests.choice_of(demo_db, officer) == ("none", False)
    send(demo_db)
    assert inbox.to("officer") == [] and "officer" not in inbox.people()


# ------------------------------------------------------------------ never twice, never lost


def test_a_restart_does_not_send_the_same_period_twice(demo_db, inbox):
    send(demo_db)
    before = len(inbox.messages)
    report = send(demo_db)  # a restarted process runs again for the same slot
    later = send(demo_db, now=NOW + dt.timedelta(hours=3))
    assert len(inbox.messages) == before
    assert report.sent == [] and later.sent == []
    counts = demo_db.read("SELECT username, count(*) FROM digests GROUP BY username HAVING count(*) > 1")
    assert counts == []


def test_the_apps_job_sends_at_the_hour_once_and_weekly_ones_on_monday(demo_db, inbox):
    job = digest_job.DigestJob(lambda: demo_db)
    assert job.run_once(now=NOW - dt.timedelta(hours=1)) is not None  # 06:30 local: yesterday's slot is too old
    assert inbox.messages == []
    job.run_once(now=NOW)
    assert inbox.people() == DAILY  # Friday: the weekly digest waits for Monday
    job.run_once(now=NOW)
    assert len(inbox.messages) == len(DAILY)
    monday = NOW + dt.timedelta(days=3)
    job.run_once(now=monday)
    assert len(inbox.to("director")) == 1 and len(inbox.messages) == 2 * len(DAILY) + 1


def test_a_refused_connection_is_recorded_and_delivered_at_the_next_run(demo_db, inbox, settings):
    live = mail.setting("TRACKER_SMTP_PORT")
    settings.setenv("TRACKER_SMTP_PORT", str(free_port()))  # nothing listens there
    report = send(demo_db)
    assert inbox.messages == []
    assert {u for u, _ in report.failed} == DAILY | {"director"}
    assert all("refused" in e for _, e in report.failed)
    rows = demo_db.read("SELECT outcome, attempts, error FROM digests WHERE outcome <> 'empty'")
    assert {(r[0], r[1]) for r in rows} == {("failed", 1)} and all("refused" in r[2] for r in rows)

    settings.setenv("TRACKER_SMTP_PORT", str(live))
    again = send(demo_db)
    assert inbox.people() == DAILY | {"director"} and len(inbox.messages) == len(DAILY) + 1
    assert again.failed == []
    rows = demo_db.read("SELECT outcome, attempts, sent_at IS NOT NULL FROM digests WHERE outcome <> 'empty'")
    assert {tuple(r) for r in rows} == {("sent", 2, True)}
    send(demo_db)
    assert len(inbox.messages) == len(DAILY) + 1


def test_the_slot_is_the_latest_hour_and_mondays_for_weekly(settings):
    assert digests.slot(NOW, 7, "daily") == dt.datetime(2026, 11, 27, 6, 0)
    assert digests.slot(NOW, 9, "daily") == dt.datetime(2026, 11, 26, 8, 0)
    assert digests.slot(NOW, 7, "weekly") == dt.datetime(2026, 11, 23, 6, 0)
    # Summer time: 07:00 in Brussels is 05:00 UTC.
    assert digests.slot(dt.datetime(2026, 6, 3, 12, 0), 7, "daily") == dt.datetime(2026, 6, 3, 5, 0)


def test_a_user_without_an_email_address_is_skipped_and_said(demo_db, inbox):
    demo_db.write(lambda tx: tx.execute("UPDATE users SET email = NULL WHERE username = 'k.nowak'"))
    report = send(demo_db)
    assert ("k.nowak", "no e-mail address") in report.skipped and "k.nowak" not in inbox.people()
    assert user(demo_db, "k.nowak").email is None
