"""A follow-up's controls — mark done, hand to another editor — on My work and on the activity's
own page, through the feedback kit (a refusal or a colleague's save is said where the button was)."""

from __future__ import annotations

import streamlit as st

from tracker.domain.models import User
from tracker.services import my_work
from tracker.store import Database
from tracker.ui.kit.feedback import save, show_refusal
from tracker.ui.kit.form_state import FormState


def follow_up_controls(
    db: Database, user: User, activity_id: int, version: int, assignee: str | None, names: dict[str, str]
) -> None:
    """Mark done and Reassign for one open follow-up (editors only; the caller checks the role)."""
    key = f"my_work_{activity_id}_{version}"
    fs = FormState(key, ())
    done, other = st.columns(2)
    if done.button("Mark done", key=f"{key}_done", icon=":material/check:"):
        save(fs, lambda: my_work.mark_done(db, user, activity_id, version), "Follow-up marked done.")
    with other.popover("Reassign", icon=":material/person_add:"):
        choices = [u for u in names if u != assignee]
        if not choices:
            st.caption("There is no other editor to hand this to.")
        else:
            target = st.selectbox("Assign to", choices, format_func=lambda u: names.get(u, u), key=f"{key}_to")
            if st.button("Reassign", key=f"{key}_reassign"):
                save(
                    fs,
                    lambda: my_work.reassign(db, user, activity_id, version, str(target)),
                    f"Follow-up handed to {names.get(str(target), target)}.",
                )
    show_refusal(fs)
