"""My work: four short lists, each row a link to its record; follow-ups can be marked done or
handed to another editor from here."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import ResponseStatus, Role
from tracker.domain.models import User
from tracker.services import my_work
from tracker.ui.kit.feedback import show_flash
from tracker.ui.kit.pager import page_of
from tracker.ui.kit.text import md
from tracker.ui.my_work import data
from tracker.ui.my_work.follow_up import follow_up_controls
from tracker.ui.shell.db import get_db

ROWS = 10  # per section: a morning list to act on, not an archive (the pager has the rest)
_RESPONSES = {s.value: s.label for s in ResponseStatus}


def _date(day: Any) -> str:
    return clock.format_date(day) if day is not None and not pd.isna(day) else ""


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _paged(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    if len(rows) <= ROWS:
        return rows
    frame = pd.DataFrame({"i": range(len(rows))})
    return [rows[i] for i in page_of(frame, key, rows=ROWS)["i"]]


def _heading(title: str, n: int, icon: str) -> None:
    st.subheader(f"{icon} {title} ({n:,})" if n else f"{icon} {title}")


# ------------------------------------------------------------------ sections


def issues_section(work: my_work.MyWork) -> None:
    _heading("My issues", len(work.issues), ":material/flag:")
    if not work.issues:
        st.caption("You own no open issues.")
        return
    quiet = sum(1 for r in work.issues if r["gone_quiet"])
    overdue = sum(1 for r in work.issues if r["review_overdue"])
    st.caption(
        f"{_plural(overdue, 'review')} overdue · {quiet:,} gone quiet "
        f"(no activity for {my_work.quiet_weeks()} weeks) · overdue reviews first"
    )
    for r in _paged(work.issues, "my_work_issues_page"):
        st.page_link(
            "pages/issues.py",
            label=md(r["title"]),
            icon=":material/flag:",
            query_params={"issue": str(int(r["id"]))},
        )
        facts = [r["stage_label"] or "no rung yet"]
        if r["next_review"] is not None:
            facts.append(f"review {'overdue since' if r['review_overdue'] else 'on'} {_date(r['next_review'])}")
        else:
            facts.append("no review date")
        facts.append(f"last activity {_date(r['last_activity'])}" if r["last_activity"] else "no activity yet")
        if r["gone_quiet"]:
            facts.append("gone quiet")
        st.caption(" · ".join(facts))


def follow_ups_section(user: User, work: my_work.MyWork) -> None:
    _heading("Follow-ups assigned to me", len(work.follow_ups), ":material/task_alt:")
    if not work.follow_ups:
        st.caption("No follow-ups are waiting for you.")
        return
    overdue = sum(1 for r in work.follow_ups if r["overdue"])
    st.caption(f"{_plural(overdue, 'follow-up')} overdue · earliest first")
    can_edit = user.role.allows(Role.EDITOR)
    names = data.editors() if can_edit else {}
    for r in _paged(work.follow_ups, "my_work_follow_ups_page"):
        left, right = st.columns([5, 2], vertical_alignment="center")
        with left:
            st.page_link(
                "pages/activities.py",
                label=md(str(r["summary"])[:140]),
                icon=":material/edit_calendar:",
                query_params={"activity": str(int(r["id"]))},
            )
            facts = [
                f"{'overdue since' if r['overdue'] else 'follow up by'} {_date(r['follow_up'])}",
                str(r["type"]),
                f"from {_date(r['activity_date'])}",
            ]
            if r["issue"]:
                facts.append(f"on {r['issue']}")
            st.caption(md(" · ".join(facts)))
        if can_edit:
            with right:
                follow_up_controls(get_db(), user, int(r["id"]), int(r["version"]), str(r["assignee"]), names)


def consultations_section(work: my_work.MyWork) -> None:
    _heading("Consultations closing within 14 days", len(work.consultations), ":material/event:")
    if not work.consultations:
        st.caption("No consultation on your issues closes in the next 14 days without a response.")
        return
    for r in _paged(work.consultations, "my_work_consultations_page"):
        st.page_link(
            "pages/consultations.py",
            label=md(r["title"]),
            icon=":material/event:",
            query_params={"consultation": str(int(r["id"]))},
        )
        days = (r["closes"] - work.today).days
        when = "today" if days == 0 else ("tomorrow" if days == 1 else f"in {days} days")
        response = _RESPONSES.get(r["response_status"], r["response_status"])
        st.caption(md(f"closes {_date(r['closes'])} ({when}) · response: {response} · on {r['issue']}"))


def positions_section(work: my_work.MyWork) -> None:
    by_position: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in work.invitations:
        by_position[int(r["position_id"])].append(r)
    _heading("Joint positions I lead", len(by_position), ":material/handshake:")
    if not by_position:
        st.caption(
            f"No signatory of the positions on your issues has been waiting for more than {my_work.invite_days()} days."
        )
        return
    st.caption(f"Signatories still invited after {my_work.invite_days()} days, on positions linked to your issues")
    rows = [{"id": pid, "invites": invites} for pid, invites in by_position.items()]
    for row in _paged(rows, "my_work_positions_page"):
        invites = row["invites"]
        st.page_link(
            "pages/joint_positions.py",
            label=md(invites[0]["title"]),
            icon=":material/handshake:",
            query_params={"position": str(row["id"])},
        )
        waiting = ", ".join(
            f"{i['organisation'] or 'an organisation'} (since {_date(i['invited_since'])})" for i in invites[:6]
        )
        more = f" and {len(invites) - 6:,} more" if len(invites) > 6 else ""
        st.caption(md(f"{_plural(len(invites), 'signatory')} still invited: {waiting}{more}"))


# ------------------------------------------------------------------ the page


def render(user: User) -> None:
    """The signed-in person's My work."""
    today = clock.today()
    st.title("My work")
    st.caption(f"{md(user.name)} · {_date(today)}")
    show_flash()
    work = data.work_of(user.username, today)
    if work is None:
        st.warning("Your account could not be read; please sign in again.")
        return
    if work.empty:
        st.info(
            "Nothing needs you today: you own no open issues and no follow-up, consultation or signatory is waiting."
        )
    issues_section(work)
    follow_ups_section(user, work)
    consultations_section(work)
    positions_section(work)
