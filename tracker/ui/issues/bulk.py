"""Bulk actions on the Issues list: reassign, set the review date or add a tag to many issues."""

from __future__ import annotations

from typing import Any

import streamlit as st

from tracker.domain.models import User
from tracker.services import issues as svc
from tracker.store import Database
from tracker.ui.issues import data
from tracker.ui.issues.forms import FIRST_DAY, LAST_DAY
from tracker.ui.kit.feedback import save, show_refusal
from tracker.ui.kit.form_state import FormState

BULK_PICK_LIMIT = 1_000
BULK_ACTIONS = {"owner": "Reassign owner", "review": "Set next review date", "tag": "Add tag"}


def bulk_panel(db: Database, user: User, listing: data.Listing, opts: dict[str, list[str]]) -> None:
    fs = FormState("iss_bulk", ())
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
                    "New owner",
                    [None, *opts["owners"]],
                    key="iss_bulk_owner",
                    format_func=lambda o: data.person(o) if o else "— nobody —",
                )
            elif action == "review":
                value = st.date_input(
                    "Next review",
                    key="iss_bulk_review",
                    format="DD/MM/YYYY",
                    value=None,
                    min_value=FIRST_DAY,
                    max_value=LAST_DAY,
                )
            else:
                value = st.text_input("Tag to add", key="iss_bulk_tag", max_chars=60)
            label = f"Apply to {len(ids):,} issue{'s' if len(ids) != 1 else ''}"
            if st.button(label, key="iss_bulk_apply", type="primary", disabled=not ids):
                # Versions as the user saw them on the previous run, so a colleague's save in between is caught.
                pairs = [(i, seen.get(i, shown[i])) for i in ids]
                save(
                    fs,
                    lambda: _apply(db, user, action, pairs, value),
                    lambda done: f"{BULK_ACTIONS[action]}: {len(done):,} issue{'s' if len(done) != 1 else ''} updated.",
                    then=_forget_picks,
                )
            show_refusal(fs)
    st.session_state["iss_bulk_seen"] = shown


def _apply(db: Database, user: User, action: str, pairs: list[tuple[int, int]], value: Any) -> list[Any]:
    if action == "owner":
        return list(svc.bulk_reassign(db, user, pairs, value))
    if action == "review":
        return list(svc.bulk_set_review(db, user, pairs, value))
    return list(svc.bulk_add_tag(db, user, pairs, value or ""))


def _forget_picks(_: Any) -> None:
    st.session_state.pop("iss_bulk_ids", None)
    st.session_state.pop("iss_bulk_all", None)
    st.session_state["iss_bulk_seen"] = {}
