"""The consultations list: filters, due-soon warnings, open/upcoming and past tables, new entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import ConsultationType, ResponseStatus, Role
from tracker.domain.models import User
from tracker.services import consultations as service
from tracker.store import Database
from tracker.ui.consultations import data
from tracker.ui.consultations.detail import QUERY_KEY, TABLE_KEYS
from tracker.ui.consultations.form import as_widgets, consultation_form, consultation_state
from tracker.ui.kit.date_field import ANY_DATE
from tracker.ui.kit.exports import export_buttons
from tracker.ui.kit.feedback import attempt, save_new, show_refusal
from tracker.ui.kit.form_state import FormState
from tracker.ui.kit.lazy_tabs import lazy_tabs
from tracker.ui.kit.pager import page_of
from tracker.ui.kit.text import md

PERIODS = (
    "Any time",
    "Closing in the next 14 days",
    "Closing in the next 30 days",
    "Closing in the next 90 days",
    "Closed in the last 12 months",
    "This calendar year",
    "Choose dates…",
)


def period_range(choice: str, today: dt.date, custom: Any = None) -> tuple[dt.date | None, dt.date | None]:
    """The closing-date range a period choice stands for."""
    if choice.startswith("Closing in the next "):
        days = int(choice.split()[4])
        return today, today + dt.timedelta(days=days)
    if choice == "Closed in the last 12 months":
        return today - dt.timedelta(days=365), today - dt.timedelta(days=1)
    if choice == "This calendar year":
        return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    if choice == "Choose dates…" and isinstance(custom, (tuple, list)) and custom:
        start = custom[0]
        end = custom[1] if len(custom) > 1 else None
        return start, end
    return None, None


def _filters(today: dt.date) -> dict[str, Any]:
    """Search, our response and the period first; the rest under "More filters" (open while one is
    set), so on a phone the deadlines are not a screen of filters away."""
    options = data.filter_options()
    issue_titles = dict(options["issues"])
    preset = st.query_params.get("issue")
    if "cf_issue" not in st.session_state and preset and preset.isdigit() and int(preset) in issue_titles:
        st.session_state["cf_issue"] = int(preset)
    with st.container(border=True):
        c1, c2, c3, c4 = st.columns(4)
        text = c1.text_input("Search", key="cf_text", placeholder="Title or reference", max_chars=200)
        statuses = c2.multiselect(
            "Our response", list(ResponseStatus), format_func=lambda s: s.label, key="cf_status", placeholder="All"
        )
        period = c3.selectbox("Period (closing date)", PERIODS, key="cf_period")
        custom = None
        if period == "Choose dates…":
            custom = c4.date_input(
                "Closing between", value=(today, today + dt.timedelta(days=30)), key="cf_dates", **ANY_DATE
            )
        narrowed = any(st.session_state.get(k) for k in ("cf_authority", "cf_type", "cf_area", "cf_issue"))
        with st.expander("More filters: authority, type, policy area, linked issue", expanded=narrowed):
            c1, c2, c3, c4 = st.columns(4)
            authorities = c1.multiselect("Authority", options["authorities"], key="cf_authority", placeholder="All")
            types = c2.multiselect(
                "Type", list(ConsultationType), format_func=lambda t: t.label, key="cf_type", placeholder="All"
            )
            areas = c3.multiselect("Policy area", options["areas"], key="cf_area", placeholder="All")
            issue_options: list[int | None] = [None, *issue_titles]
            issue_id = c4.selectbox(
                "Linked issue",
                issue_options,
                format_func=lambda i: "Any" if i is None else issue_titles.get(i, f"Issue {i}"),
                key="cf_issue",
            )
    closes_from, closes_to = period_range(period, today, custom)
    return {
        "text": text or None,
        "authorities": authorities,
        "types": [t.value for t in types],
        "statuses": [s.value for s in statuses],
        "areas": areas,
        "issue_id": issue_id,
        "closes_from": closes_from,
        "closes_to": closes_to,
    }


def _open_selected(key: str, table: pd.DataFrame) -> None:
    state = st.session_state.get(key)
    rows = state.selection.rows if state is not None else []
    if rows:
        st.query_params[QUERY_KEY] = str(int(table.iloc[rows[0]]["id"]))
        for k in TABLE_KEYS:
            st.session_state.pop(k, None)


def _current_table(lists: data.Lists) -> None:
    if lists.current.empty:
        st.info("No open or upcoming consultation matches these filters.", icon=":material/event_available:")
        return
    st.caption(f"{len(lists.current):,} open or upcoming, soonest first.")
    shown = page_of(lists.current_view, "cons_current_page")
    rows = lists.current.loc[shown.index]  # the views share their rows' positions
    st.dataframe(
        shown,
        hide_index=True,
        key=TABLE_KEYS[0],
        on_select=lambda: _open_selected(TABLE_KEYS[0], rows),
        selection_mode="single-row",
        placeholder="—",
        column_config={
            # Sized to fit a 1400 px screen beside the sidebar; narrower screens scroll the table.
            "Title": st.column_config.TextColumn(width=300),
            "Closes": st.column_config.DateColumn(format="D MMM YYYY", width=95),
            "Deadline": st.column_config.TextColumn(width=120),
            # A coloured chip per alert; read-only in st.dataframe, and drawn without a Styler.
            "Alert": st.column_config.MultiselectColumn(
                options=list(data.ALERT_TEXT.values()), color=list(data.ALERT_COLOURS), width=140
            ),
            "Our response": st.column_config.TextColumn(width=105),
            "Authority": st.column_config.TextColumn(width=140),
        },
    )
    st.caption("Alerts show while our response is neither submitted nor skipped. Select a row to open it.")


def _past_table(lists: data.Lists) -> None:
    df = lists.past
    if df.empty:
        st.info("No past consultation matches these filters.", icon=":material/history:")
        return
    shown = page_of(lists.past_view, "cons_past_page")
    rows = df.loc[shown.index]
    st.dataframe(
        shown,
        hide_index=True,
        key=TABLE_KEYS[1],
        on_select=lambda: _open_selected(TABLE_KEYS[1], rows),
        selection_mode="single-row",
        placeholder="—",
        column_config={
            "Title": st.column_config.TextColumn(width=310),
            "Closed": st.column_config.DateColumn(format="D MMM YYYY", width=95),
            "Our response": st.column_config.TextColumn(width=105),
            "Submitted on": st.column_config.DateColumn(format="D MMM YYYY", width=105),
            "Feedback reference": st.column_config.TextColumn(width=130),
            "Authority": st.column_config.TextColumn(width=150),
        },
    )
    answered = int((df["response_status"] == ResponseStatus.SUBMITTED.value).sum())
    missed = int((lists.past_view["Our response"] == service.MISSED).sum())
    st.caption(
        f"{len(df):,} past consultations; we submitted a response to {answered:,} and missed {missed:,}. "
        "Select a row to open it; type, policy areas and linked issues are on its page and in the export."
    )


CURRENT_TAB, PAST_TAB, NEW_TAB, IMPORT_TAB = (
    "Open and upcoming",
    "Past",
    "New consultation",
    "Import from Have Your Say",
)


def _warnings(lists: data.Lists) -> None:
    for level, words, show in (
        ("strong", "within 3 days", st.error),
        ("warning", "within 14 days", st.warning),
    ):
        n, first = lists.due_soon[level]
        if not n:
            continue
        items = "\n".join(f"- {md(t)} — {d}" for t, d in first)
        if n > len(first):
            items += f"\n- … and {n - len(first):,} more in the table below (soonest first)"
        show(
            f"**{n} consultation{'s close' if n != 1 else ' closes'} {words} without a submitted response:**\n\n{items}",
            icon=":material/alarm:" if level == "strong" else ":material/schedule:",
        )


def _new_consultation(db: Database, user: User) -> None:
    st.caption("Opens must be on or before closes; a submitted response needs the date it was submitted.")
    fs = consultation_state("consultation_new")
    save_new(
        fs,
        as_widgets(None),
        lambda entered: service.create(db, user, entered),
        lambda created: f"Created {created.title}.",
        then=lambda created: st.query_params.__setitem__(QUERY_KEY, str(created.id)),
    )
    fs.error_summary()
    consultation_form(fs, "Create consultation")


def render_consultation_list(db: Database, user: User) -> None:
    """Deadlines: the calendar download, then the tabs. The list tabs hold the filters, due-soon
    warnings and their table; for editors the new-consultation form and the Have Your Say
    import are tabs of their own, so neither sits under the list's filters."""
    today = clock.today()
    head, button = st.columns([4, 1], vertical_alignment="bottom")
    head.caption(f"Deadlines are counted in the organisation's time zone; today is {clock.format_date(today)}.")
    button.download_button(
        "Calendar (.ics)",
        data=data.deadlines_ics(today),  # built when clicked, not on every rerun
        file_name="consultation-deadlines.ics",
        mime="text/calendar",
        icon=":material/calendar_month:",
        on_click="ignore",
        help="All open and upcoming deadlines, for Outlook or Google Calendar.",
    )
    labels = [CURRENT_TAB, PAST_TAB]
    if user.role.allows(Role.EDITOR):
        labels += [NEW_TAB, IMPORT_TAB]
    tabs = lazy_tabs(labels, "cons_tab")  # only the open tab runs: the new-consultation form lists every issue
    for name, table in ((CURRENT_TAB, _current_table), (PAST_TAB, _past_table)):
        if name in tabs:
            with tabs[name]:
                lists = _filtered(today)
                if lists is not None:
                    if name == CURRENT_TAB:
                        _warnings(lists)  # about what is still open: not repeated over the past list
                    table(lists)
    if NEW_TAB in tabs:
        with tabs[NEW_TAB]:
            _new_consultation(db, user)
    if IMPORT_TAB in tabs:
        from tracker.ui.exchange.have_your_say import render_have_your_say_import

        with tabs[IMPORT_TAB]:
            render_have_your_say_import(user, key="consultations_page")


def _filtered(today: dt.date) -> data.Lists | None:
    """The filters (their keys are shared by both list tabs, so a choice carries over), the
    due-soon warnings and the export of what they match."""
    filters = _filters(today)
    fs = FormState("cf", ())
    ok, lists = attempt(fs, lambda: data.lists(filters, today))
    show_refusal(fs)
    if not ok or lists is None:
        return None
    export_buttons("consultations", lists.all, key="consultations_list")
    return lists
