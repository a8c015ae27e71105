"""The two views of the Issues page: the searchable list and one issue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import Level, Lifecycle, Priority, Role, Stage
from tracker.domain.errors import EditConflict, InvalidInput, NotFound, PermissionDenied, StorageError
from tracker.domain.models import Issue, User
from tracker.services import issues as svc
from tracker.ui.issues import data as cached
from tracker.ui.issues.format import (
    code_label,
    conflict_frame,
    field_label,
    history_frame,
    md_link,
    position_status_label,
    response_label,
    review_text,
    stage_label,
    timeline_frame,
    value_text,
)
from tracker.ui.issues.forms import (
    CREATE_EXTRA,
    ISSUE_FIELDS,
    MOVE_FIELDS,
    FormState,
    issue_defaults,
    issue_fields,
    move_defaults,
    move_fields,
    run_action,
)
from tracker.ui.issues.ladder import CONFIG as LADDER_CONFIG
from tracker.ui.issues.ladder import issue_ladder
from tracker.ui.kit.exports import export_buttons
from tracker.ui.kit.pager import page_of
from tracker.ui.kit.text import md, md_multiline
from tracker.ui.shell import cache
from tracker.ui.shell.db import get_db

FLASH = "iss_flash"
OPEN = "iss_open"
ARCHIVED_CHOICES = {"exclude": "Hide archived", "include": "Include archived", "only": "Only archived"}


def can_edit(user: User) -> bool:
    return user.role.allows(Role.EDITOR)


def flash(message: str) -> None:
    st.session_state[FLASH] = message


def show_flash() -> None:
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def open_issue(issue_id: int) -> None:
    st.query_params["issue"] = str(issue_id)
    st.rerun()


def close_issue() -> None:
    st.query_params.pop("issue", None)
    st.rerun()


def requested_issue() -> int | str | None:
    """The ``?issue=`` id; the raw text when it is not a number; None when absent."""
    raw = st.query_params.get("issue")
    if raw is None or raw == "":
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        return str(raw)
    return value if value > 0 else str(raw)


# ================================================================== list


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
        owners = d[0].multiselect("Owner", opts["owners"], key="iss_q_owners")
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
    data: dict[str, Any] = {
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
        return svc.IssueQuery.model_validate(data)
    except ValueError:
        st.warning("That search could not be read; showing every issue instead.")
        return svc.IssueQuery()


def _counts(counts: dict[str, Any], ladder: Any) -> None:
    by_life = counts.get("by_lifecycle", {})
    c = st.columns(5)
    c[0].metric("Issues", f"{counts['total']:,}")
    c[1].metric("Active", f"{by_life.get('active', 0):,}")
    c[2].metric("Review due", f"{counts.get('review_due', 0):,}")
    awareness = sum(n for s, n in counts["by_stage"].items() if s <= 1)
    action = sum(n for s, n in counts["by_stage"].items() if s >= 4)
    c[3].metric("Awareness (0–1)", f"{awareness:,}")
    c[4].metric("Action (4–5)", f"{action:,}")
    if ladder is not None:
        st.plotly_chart(ladder, config=LADDER_CONFIG, key="iss_count_ladder")


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
            "#": st.column_config.NumberColumn("#", format="%d", width="small"),
            "Title": st.column_config.TextColumn("Title", width="large"),
            "Relevance": st.column_config.NumberColumn("Relevance", format="%d / 5", width="small"),
            "Next review": st.column_config.DateColumn("Next review", format="D MMM YYYY"),
            "On stage since": st.column_config.DateColumn("On stage since", format="D MMM YYYY"),
            "Tags": st.column_config.ListColumn("Tags"),
            "Archived": st.column_config.CheckboxColumn("Archived", width="small"),
        },
        column_order=[c for c in frame.columns if c != "Archived" or frame["Archived"].any()],
    )
    rows = getattr(getattr(event, "selection", None), "rows", None) or []
    return int(frame.index[rows[0]]) if rows and rows[0] < len(frame) else None


def list_view(user: User) -> None:
    opts = cached.options()
    show_flash()
    if can_edit(user):
        _create_form(user, opts)
    query = _filters(opts)
    key = cached.query_key(query)
    try:
        listing = cached.listing(key)
    except StorageError as exc:
        st.error(str(exc))
        return
    df, counts = listing.rows, listing.counts
    _counts(counts, listing.ladder)
    if df.empty:
        st.info(
            "No issues match this search. Clear the search or filters to see every issue."
            if counts["total"] == 0 and _filtering(query)
            else "No issues yet." + (" Create the first one with “New issue” above." if can_edit(user) else "")
        )
    else:
        frame = listing.table
        st.caption(f"{len(frame):,} issue{'s' if len(frame) != 1 else ''} · click a row to open it")
        export_buttons("issues", df, key="issues_list")
        clicked = _table(page_of(frame, "iss_page"))
        if clicked is not None:
            open_issue(clicked)
        if can_edit(user):
            _bulk_panel(user, listing, opts)
    choices = cached.choices()
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


def _create_form(user: User, opts: dict[str, list[str]]) -> None:
    fs = FormState("iss_new", ISSUE_FIELDS + CREATE_EXTRA)
    fs.ensure(None, issue_defaults(None))
    if fs.pressed("save"):
        data = fs.values()
        created = run_action(fs, lambda: svc.create(get_db(), user, data), lambda e: {"message": str(e)})
        if created is not None:
            cache.after_write()
            fs.clear()
            flash(f"Issue #{created.id} created at {created.stage.label}.")
            open_issue(created.id)
    with st.expander("New issue", icon=":material/add:", expanded=bool(fs.errors)):
        fs.error_summary()
        with st.form("iss_new_form", border=False, enter_to_submit=False):
            issue_fields(fs, opts, creating=True)
            st.form_submit_button("Create issue", type="primary", key=fs.key("save"))


# ------------------------------------------------------------------ bulk


BULK_PICK_LIMIT = 1_000
BULK_ACTIONS = {"owner": "Reassign owner", "review": "Set next review date", "tag": "Add tag"}


def _bulk_panel(user: User, listing: cached.Listing, opts: dict[str, list[str]]) -> None:
    shown, titles = listing.versions, listing.titles
    seen: dict[int, int] = st.session_state.get("iss_bulk_seen", {})
    # Lazy: its controls (a picker of up to 1,000 issues) run only while the user has it open.
    box = st.expander("Bulk actions", icon=":material/checklist:", key="iss_bulk_open", on_change="rerun")
    if box.open:
        with box:
            every = st.checkbox(f"Every issue in this list ({len(shown):,})", key="iss_bulk_all")
            # A long list is changed through "every issue in this list"; picking stays manageable.
            pickable = list(shown)[:BULK_PICK_LIMIT]
            picked = st.multiselect(
                "Issues",
                pickable,
                key="iss_bulk_ids",
                format_func=lambda i: f"#{i} · {titles.get(i, '')}",
                disabled=every,
                placeholder="Choose issues from the list",
                help=None
                if len(shown) <= BULK_PICK_LIMIT
                else f"The first {BULK_PICK_LIMIT:,} issues of the list; narrow the search to pick others.",
            )
            ids = list(shown) if every else [i for i in picked if i in shown]
            action = st.radio(
                "Change",
                list(BULK_ACTIONS),
                key="iss_bulk_action",
                format_func=BULK_ACTIONS.__getitem__,
                horizontal=True,
            )
            value: Any
            if action == "owner":
                value = st.selectbox(
                    "New owner", [None, *opts["owners"]], key="iss_bulk_owner", format_func=lambda o: o or "— nobody —"
                )
            elif action == "review":
                value = st.date_input("Next review", key="iss_bulk_review", format="DD/MM/YYYY", value=None)
            else:
                value = st.text_input("Tag to add", key="iss_bulk_tag", max_chars=60)
            label = f"Apply to {len(ids):,} issue{'s' if len(ids) != 1 else ''}"
            if st.button(label, key="iss_bulk_apply", type="primary", disabled=not ids):
                # Versions as the user saw them on the previous run, so a colleague's save in between is caught.
                pairs = [(i, seen.get(i, shown[i])) for i in ids]
                db = get_db()
                try:
                    if action == "owner":
                        done = svc.bulk_reassign(db, user, pairs, value)
                    elif action == "review":
                        done = svc.bulk_set_review(db, user, pairs, value)
                    else:
                        done = svc.bulk_add_tag(db, user, pairs, value or "")
                except InvalidInput as exc:
                    for e in exc.errors:
                        st.error(f"{md(e.field)}: {md(e.message)}")
                except EditConflict as exc:
                    st.warning(
                        f"Nothing was changed. Issue #{exc.entity_id}: {md(str(exc))}", icon=":material/sync_problem:"
                    )
                except (PermissionDenied, NotFound, StorageError) as exc:
                    st.error(md(str(exc)))
                else:
                    cache.after_write()
                    st.session_state.pop("iss_bulk_ids", None)
                    st.session_state.pop("iss_bulk_all", None)
                    flash(f"{BULK_ACTIONS[action]}: {len(done):,} issue{'s' if len(done) != 1 else ''} updated.")
                    st.session_state["iss_bulk_seen"] = {}
                    st.rerun()
    st.session_state["iss_bulk_seen"] = shown


# ================================================================== one issue


def issue_view(user: User, issue_id: int) -> None:
    db = get_db()
    issue = svc.find(db, issue_id)
    top = st.columns([4, 1])
    if top[0].button("All issues", icon=":material/arrow_back:", key="iss_back", type="tertiary"):
        close_issue()
    if issue is None:
        st.warning(f"There is no issue number {issue_id:,}. It may have been mistyped in the link.")
        return
    if st.session_state.get(OPEN) != issue_id:
        _forget_forms(st.session_state.get(OPEN))
        st.session_state[OPEN] = issue_id
    editing = can_edit(user)
    show_flash()
    if editing:
        with top[1]:
            _archive_actions(user, issue)
        issue = svc.find(db, issue_id) or issue
    _header(issue)
    labels = ["Details", "Timeline", "Linked", "History"]
    if editing and issue.archived_at is None:
        labels += ["Edit", "Move to stage…"]
    tabs = st.tabs(labels)
    with tabs[0]:
        _details(issue)
    with tabs[1]:
        _timeline(issue.id)
    with tabs[2]:
        _linked(issue.id)
    with tabs[3]:
        _history(issue.id)
    if len(tabs) > 4:
        with tabs[4]:
            _edit(user, issue)
        with tabs[5]:
            _move(user, issue)


def _forget_forms(issue_id: Any) -> None:
    if isinstance(issue_id, int):
        FormState(f"iss_e{issue_id}", ISSUE_FIELDS).clear()
        FormState(f"iss_m{issue_id}", MOVE_FIELDS).clear()


def _header(issue: Issue) -> None:
    st.title(md(issue.title))
    since = _stage_since(issue.id)
    parts = [
        f"**#{issue.id}**",
        f"**Stage:** {issue.stage.label}" + (f" since {clock.format_date(since)}" if since else ""),
        f"**Target:** {issue.target_stage.label}",
        f"**Lifecycle:** {issue.lifecycle.label}",
        f"**Owner:** {md(issue.owner) if issue.owner else 'nobody'}",
        f"**Next review:** {md(review_text(issue, clock.today()))}",
    ]
    st.markdown(" · ".join(parts))
    if issue.archived_at is not None:
        st.warning(
            f"Archived on {clock.format_timestamp(issue.archived_at)}: hidden from lists and charts, history kept.",
            icon=":material/archive:",
        )
    st.plotly_chart(issue_ladder(issue.stage, issue.target_stage), config=LADDER_CONFIG, key="iss_ladder")
    reached = issue.stage >= issue.target_stage
    st.caption(
        f"{issue.stage.phase} phase (stage {int(issue.stage)} of 5) · "
        + ("the target stage is reached" if reached else f"⚑ marks the target: {issue.target_stage.label}")
    )


def _stage_since(issue_id: int) -> dt.date | None:
    return svc.stage_since(get_db(), issue_id)


def _details(issue: Issue) -> None:
    c1, c2 = st.columns([3, 2])
    with c1:
        st.markdown("**Summary**")
        st.markdown(md_multiline(issue.summary) if issue.summary else "_No summary yet._")
        st.markdown("**The ask**")
        st.markdown(md_multiline(issue.ask) if issue.ask else "_Not set._")
        st.markdown("**Why it matters to members**")
        st.markdown(md_multiline(issue.why_it_matters) if issue.why_it_matters else "_Not set._")
    with c2:
        rows = [
            ("Policy area", value_text("policy_area", issue.policy_area)),
            ("Level", issue.level.label),
            ("Policy cycle stage", value_text("policy_cycle", issue.policy_cycle)),
            ("Policy reference", value_text("policy_reference", issue.policy_reference)),
            ("Priority", issue.priority.label),
            ("Our position", issue.position.label),
            ("Member relevance", f"{issue.member_relevance} / 5"),
            ("Member segments", value_text("member_segments", issue.member_segments)),
            ("Tags", value_text("tags", issue.tags)),
            ("Created", f"{clock.format_timestamp(issue.created_at)} by {issue.created_by or '—'}"),
            ("Last changed", f"{clock.format_timestamp(issue.updated_at)} by {issue.updated_by or '—'}"),
        ]
        st.dataframe(
            pd.DataFrame(rows, columns=["Field", "Value"]),
            hide_index=True,
            key="iss_facts",
            height=38 + 35 * len(rows),
            column_config={"Field": st.column_config.TextColumn(width="small")},
        )
        if issue.reference_url:
            st.markdown("Reference: " + md_link(issue.policy_reference or issue.reference_url, issue.reference_url))


def _timeline(issue_id: int) -> None:
    tl = timeline_frame(cached.timeline(issue_id))
    if tl.empty:
        st.info("Nothing on the timeline yet.")
        return
    st.caption("Stage changes and activities, newest first.")
    st.dataframe(
        tl,
        hide_index=True,
        key="iss_timeline",
        column_config={
            "Date": st.column_config.DateColumn("Date", format="D MMM YYYY", width="small"),
            "What": st.column_config.TextColumn("What", width="medium"),
            "Link": st.column_config.LinkColumn("Link", display_text="open", width="small"),
            "Note or summary": st.column_config.TextColumn(width="medium"),
            "Evidence": st.column_config.TextColumn(width="medium"),
            "By": st.column_config.TextColumn(width="small"),
        },
    )


def _linked(issue_id: int) -> None:
    consultations, positions = cached.links(issue_id)
    st.markdown("**Consultations**")
    if not consultations:
        st.caption("No consultation is linked to this issue.")
    for c in consultations:
        st.page_link(
            "pages/consultations.py",
            label=f"{md(c['title'])} — closes {clock.format_date(c['closes'])} · {response_label(c['response_status'])}",
            query_params={"consultation": str(c["id"])},
            icon=":material/event:",
        )
    st.markdown("**Joint positions**")
    if not positions:
        st.caption("No joint position is linked to this issue.")
    for p in positions:
        published = f" · published {clock.format_date(p['published_on'])}" if p.get("published_on") else ""
        st.page_link(
            "pages/joint_positions.py",
            label=f"{md(p['title'])} — {position_status_label(p['status'])}{published}",
            query_params={"position": str(p["id"])},
            icon=":material/handshake:",
        )


def _history(issue_id: int) -> None:
    frame = history_frame(cached.history(issue_id))
    if frame.empty:
        st.info("No changes have been recorded for this issue in this app yet.")
        return
    st.dataframe(frame, hide_index=True, key="iss_history")


# ------------------------------------------------------------------ edit


def _edit(user: User, issue: Issue) -> None:
    fs = FormState(f"iss_e{issue.id}", ISSUE_FIELDS)
    fs.ensure(issue.version, issue_defaults(issue))
    if fs.pressed("keep"):
        fs.rebase(issue.version, issue_defaults(issue))
        st.info("Your input is kept on top of the saved version. Check it and press Save changes.")
    elif fs.pressed("discard"):
        fs.load(issue.version, issue_defaults(issue))
    elif fs.pressed("save"):
        changed = fs.changed()
        if not changed:
            fs.errors = []
            st.info("Nothing to save: no field was changed.")
        else:
            base_version = fs.base_version
            assert base_version is not None
            saved = run_action(
                fs,
                lambda: svc.update(get_db(), user, issue.id, base_version, changed),
                lambda e: {"message": str(e), "current": e.current},
            )
            if saved is not None:
                cache.after_write()
                _forget_forms(issue.id)
                flash(f"Saved: {', '.join(field_label(f) for f in changed)}.")
                st.rerun()
    if fs.conflict:
        _show_edit_conflict(fs, issue)
    fs.error_summary()
    with st.form(f"iss_edit_form_{issue.id}", border=False, enter_to_submit=False):
        issue_fields(fs, cached.options(), creating=False)
        st.form_submit_button("Save changes", type="primary", key=fs.key("save"), icon=":material/save:")


def _show_edit_conflict(fs: FormState, issue: Issue) -> None:
    conflict = fs.conflict or {}
    st.warning(md(conflict.get("message", "")), icon=":material/sync_problem:")
    mine = {f: _comparable(f, v) for f, v in fs.values().items()}
    base = {f: _comparable(f, v) for f, v in fs.base.items()}
    current = {f: _comparable(f, getattr(issue, f)) for f in ISSUE_FIELDS}
    frame = conflict_frame(current, mine, base)
    if not frame.empty:
        st.caption("Fields where the saved issue and your unsaved input differ:")
        st.dataframe(frame, hide_index=True, key=f"iss_conflict_{issue.id}")
    c1, c2 = st.columns(2)
    c1.button("Keep my input on top of their changes", key=fs.key("keep"), icon=":material/merge:")
    c2.button("Discard my input", key=fs.key("discard"), icon=":material/undo:")


def _comparable(field: str, value: Any) -> Any:
    if field == "tags" and isinstance(value, str):
        return [t.strip() for t in value.replace(";", ",").split(",") if t.strip()]
    if value == "":
        return None
    return value


# ------------------------------------------------------------------ move


def _move(user: User, issue: Issue) -> None:
    fs = FormState(f"iss_m{issue.id}", MOVE_FIELDS)
    fs.ensure(issue.version, move_defaults(issue.stage))
    if fs.pressed("retry"):
        fs.rebase(issue.version, move_defaults(issue.stage))
    elif fs.pressed("discard"):
        fs.load(issue.version, move_defaults(issue.stage))
    elif fs.pressed("save"):
        data = fs.values()
        base_version = fs.base_version
        assert base_version is not None
        moved = run_action(
            fs,
            lambda: svc.move_stage(get_db(), user, issue.id, base_version, data),
            lambda e: {"message": str(e), "current": e.current},
        )
        if moved is not None:
            cache.after_write()
            _forget_forms(issue.id)
            flash(f"Moved from {issue.stage.label} to {moved.stage.label}. The event is on the timeline.")
            st.rerun()
    st.caption(
        f"Now at **{issue.stage.label}**. Moving up needs evidence (a reference or a link); "
        "moving down needs the reason in the note."
    )
    if fs.conflict:
        conflict = fs.conflict
        current = conflict.get("current") or {}
        st.warning(md(conflict.get("message", "")), icon=":material/sync_problem:")
        st.markdown(
            f"Saved now: stage **{stage_label(current.get('stage'))}**, lifecycle "
            f"**{code_label(Lifecycle, current.get('lifecycle'))}**. Your stage change below is not saved yet."
        )
        c1, c2 = st.columns(2)
        c1.button("I have reviewed their changes — try again", key=fs.key("retry"), icon=":material/refresh:")
        c2.button("Discard my stage change", key=fs.key("discard"), icon=":material/undo:")
    fs.error_summary()
    events = svc.events(get_db(), issue.id)
    last_date = events[0]["event_date"] if events else None
    with st.form(f"iss_move_form_{issue.id}", border=False, enter_to_submit=False):
        move_fields(fs, issue.stage, last_date)
        st.form_submit_button("Record stage change", type="primary", key=fs.key("save"), icon=":material/stairs:")


# ------------------------------------------------------------------ archive


def _archive_actions(user: User, issue: Issue) -> None:
    seen_key = f"iss_seen_{issue.id}"
    seen = st.session_state.get(seen_key, issue.version)
    archived = issue.archived_at is not None
    label = "Restore issue" if archived else "Archive issue"
    if st.button(
        label, key=f"iss_archive_{issue.id}", icon=":material/unarchive:" if archived else ":material/archive:"
    ):
        db = get_db()
        try:
            if archived:
                svc.restore(db, user, issue.id, seen)
            else:
                svc.archive(db, user, issue.id, seen)
        except EditConflict as exc:
            st.warning(md(str(exc)) + " Nothing was changed; the page now shows their version.")
        except (InvalidInput, PermissionDenied, NotFound, StorageError) as exc:
            st.error(md(str(exc)))
        else:
            cache.after_write()
            _forget_forms(issue.id)
            st.session_state.pop(seen_key, None)
            flash("Issue restored." if archived else "Issue archived. It stays reachable here and can be restored.")
            st.rerun()
    latest = svc.find(get_db(), issue.id)
    st.session_state[seen_key] = latest.version if latest else issue.version
