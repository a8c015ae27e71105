"""The Issues list: search and filters, counts and ladder, the table, the new-issue form."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain.enums import Level, Lifecycle, Priority, Role, Stage
from tracker.domain.errors import StorageError
from tracker.domain.models import User
from tracker.services import issues as svc
from tracker.store import Database
from tracker.ui.issues import data, ladder
from tracker.ui.issues.bulk import bulk_panel
from tracker.ui.issues.forms import CREATE_EXTRA, ISSUE_FIELDS, issue_defaults, issue_fields, issue_form
from tracker.ui.kit.exports import export_buttons
from tracker.ui.kit.feedback import save_new
from tracker.ui.kit.pager import page_of

ARCHIVED_CHOICES = {"exclude": "Hide archived", "include": "Include archived", "only": "Only archived"}


def can_edit(user: User) -> bool:
    return user.role.allows(Role.EDITOR)


def set_issue(issue_id: int) -> None:
    """Point the URL at one issue (the next run shows it)."""
    st.query_params["issue"] = str(issue_id)


def open_issue(issue_id: int) -> None:
    set_issue(issue_id)
    st.rerun()


def _filters(opts: dict[str, list[str]]) -> svc.IssueQuery:
    text = st.text_input(
        "Search",
        key="iss_q_text",
        placeholder="Words in the title, summary, policy reference or tags",
        max_chars=200,
        icon=":material/search:",
    )
    active = sum(
        bool(st.session_state.get(k))
        for k in (
            "iss_q_stages",
            "iss_q_life",
            "iss_q_areas",
            "iss_q_levels",
            "iss_q_owners",
            "iss_q_prio",
            "iss_q_tags",
            "iss_q_due",
        )
    ) + (st.session_state.get("iss_q_arch", "exclude") != "exclude")
    label = "Filters and sorting" + (f" · {active} filter{'s' if active != 1 else ''} on" if active else "")
    with st.expander(label, icon=":material/filter_list:"):
        c = st.columns(4)
        stages = c[0].multiselect("Stage", list(Stage), key="iss_q_stages", format_func=lambda s: s.label)
        lifecycles = c[1].multiselect(
            "Lifecycle status", list(Lifecycle), key="iss_q_life", format_func=lambda s: s.label
        )
        areas = c[2].multiselect("Policy area", opts["areas"], key="iss_q_areas")
        levels = c[3].multiselect("Level", list(Level), key="iss_q_levels", format_func=lambda s: s.label)
        d = st.columns(4)
        names = data.people()
        owners = d[0].multiselect("Owner", opts["owners"], key="iss_q_owners", format_func=lambda o: names.get(o, o))
        priorities = d[1].multiselect("Priority", list(Priority), key="iss_q_prio", format_func=lambda s: s.label)
        tags = d[2].multiselect("Tag", opts["tags"], key="iss_q_tags")
        archived = d[3].selectbox(
            "Archived issues", list(ARCHIVED_CHOICES), key="iss_q_arch", format_func=ARCHIVED_CHOICES.__getitem__
        )
        e = st.columns(4)
        review_due = e[0].toggle("Review due", key="iss_q_due", help="Next review date today or earlier")
        sort = e[1].selectbox(
            "Sort by", list(svc.SORT_LABELS), key="iss_q_sort", format_func=svc.SORT_LABELS.__getitem__
        )
        descending = e[2].toggle("Descending", value=True, key="iss_q_desc")
    wanted: dict[str, Any] = {
        "text": text,
        "stages": stages,
        "lifecycles": lifecycles,
        "areas": areas,
        "levels": levels,
        "owners": owners,
        "priorities": priorities,
        "tags": tags,
        "review_due": review_due,
        "archived": archived,
        "sort": sort,
        "descending": descending,
    }
    try:
        return svc.IssueQuery.model_validate(wanted)
    except ValueError:
        st.warning("That search could not be read; showing every issue instead.")
        return svc.IssueQuery()


def _counts(counts: dict[str, Any], chart: Any) -> None:
    by_life = counts.get("by_lifecycle", {})
    c = st.columns(5)
    c[0].metric("Issues", f"{counts['total']:,}")
    c[1].metric("Active", f"{by_life.get('active', 0):,}")
    c[2].metric("Review due", f"{counts.get('review_due', 0):,}")
    awareness = sum(n for s, n in counts["by_stage"].items() if s <= 1)
    action = sum(n for s, n in counts["by_stage"].items() if s >= 4)
    c[3].metric("Awareness (0–1)", f"{awareness:,}")
    c[4].metric("Action (4–5)", f"{action:,}")
    if chart is not None:
        st.plotly_chart(chart, config=ladder.CONFIG, key="iss_count_ladder")


# What a row needs to be recognised and triaged, sized to fit the page's width at 1,400 px;
# the other columns (target, lifecycle, area, level, relevance, tags, on stage since) are on
# the issue's page and in the export. On a phone the table scrolls sideways, title first.
LIST_COLUMNS = ("Title", "Stage", "Owner", "Priority", "Next review", "Archived")


def _table(frame: pd.DataFrame) -> int | None:
    """The list; returns the id of the row the user clicked."""
    event = st.dataframe(
        frame,
        key="iss_table",
        on_select="rerun",
        selection_mode="single-row",
        hide_index=False,
        height=min(38 + 35 * max(len(frame), 1), 600),
        column_config={
            "#": st.column_config.NumberColumn("#", format="%d", width=45),
            "Title": st.column_config.TextColumn("Title", width=345),
            "Stage": st.column_config.TextColumn("Stage", width=150),
            "Owner": st.column_config.TextColumn("Owner", width=115),
            "Priority": st.column_config.TextColumn("Priority", width=70),
            "Next review": st.column_config.TextColumn("Next review", width=100),
            "Archived": st.column_config.CheckboxColumn("Archived", width=75),
        },
        column_order=[c for c in LIST_COLUMNS if c != "Archived" or frame["Archived"].any()],
    )
    rows = getattr(getattr(event, "selection", None), "rows", None) or []
    return int(frame.index[rows[0]]) if rows and rows[0] < len(frame) else None


def list_view(db: Database, user: User) -> None:
    """The searchable list, the counts and ladder, and for editors the new-issue form and bulk actions."""
    opts = data.options()
    editing = can_edit(user)
    if editing:
        _create_form(db, user, opts)
    query = _filters(opts)
    key = data.query_key(query)
    try:
        listing = data.listing(key)
    except StorageError as exc:
        st.error(str(exc))
        return
    df, counts = listing.rows, listing.counts
    _counts(counts, listing.ladder)
    if df.empty:
        st.info(
            "No issues match this search. Clear the search or filters to see every issue."
            if counts["total"] == 0 and _filtering(query)
            else "No issues yet." + (" Create the first one with “New issue” above." if editing else "")
        )
    else:
        frame = listing.table
        st.caption(f"{len(frame):,} issue{'s' if len(frame) != 1 else ''} · click a row to open it")
        export_buttons("issues", df, key="issues_list")
        clicked = _table(page_of(frame, "iss_page"))
        if clicked is not None:
            open_issue(clicked)
        if editing:
            bulk_panel(db, user, listing, opts)
    choices = data.choices()
    if choices:
        titles = dict(choices)
        pick = st.selectbox(
            "Open an issue by title",
            [None, *titles],
            key="iss_jump",
            format_func=lambda i: "Type to find an issue…" if i is None else f"#{i} · {titles[i]}",
        )
        if pick is not None:
            open_issue(int(pick))


def _filtering(q: svc.IssueQuery) -> bool:
    return q != svc.IssueQuery(sort=q.sort, descending=q.descending)


# ------------------------------------------------------------------ create


def _create_form(db: Database, user: User, opts: dict[str, list[str]]) -> None:
    fs = issue_form("iss_new", ISSUE_FIELDS + CREATE_EXTRA)
    save_new(
        fs,
        issue_defaults(None),
        lambda values: svc.create(db, user, values),
        lambda created: f"Issue #{created.id} created at {created.stage.label}.",
        then=lambda created: set_issue(created.id),
    )
    with st.expander("New issue", icon=":material/add:", expanded=bool(fs.errors)):
        fs.error_summary()
        with st.form("iss_new_form", border=False, enter_to_submit=False):
            issue_fields(fs, opts, creating=True)
            st.form_submit_button("Create issue", type="primary", key=fs.key("save"))
