"""The "Record Formal input?" proposal shown after a formal step (a published joint position, a
submitted consultation response): one pre-filled, one-click stage event per linked issue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import Role, Stage
from tracker.domain.models import User
from tracker.ui.kit.feedback import save, show_refusal
from tracker.ui.kit.form_state import FormState
from tracker.ui.kit.text import md


def formal_input_panel(
    user: User,
    suggestions: list[dict[str, Any]],
    *,
    key: str,
    why: str,
    dated: dt.date | None,
    record: Callable[[int, int], Any],
) -> None:
    """Never silent: each suggestion (from a service's ``formal_input_suggestions``) with its
    evidence, and for editors a button that records it (``record(issue_id, version)``).

    ``why`` says what happened ("This position is published"); ``dated`` is that step's date,
    so a proposal dated later (the issue moved since) says why."""
    if not suggestions:
        return
    can_edit = user.role.allows(Role.EDITOR)
    fs = FormState(key, ())
    with st.container(border=True):
        st.markdown(":material/lightbulb: **Record Formal input on the linked issues?**")
        st.caption(
            f"{why}, and these linked issues are still below Formal input on the ladder. "
            "Nothing changes until you record the event."
        )
        for s in suggestions:
            d = s["data"]
            st.markdown(f"**{md(s['title'])}** — now at {md(Stage(s['stage']).label)}")
            evidence = f"Evidence: {md(d['evidence_ref'])}"
            if d["evidence_url"]:
                evidence += f" · {md(d['evidence_url'])}"
            when = clock.format_date(d["event_date"])
            if d["event_date"] != dated:
                when += " (the issue's latest stage change is later)"
            st.caption(f"{evidence} · dated {when}")
            c1, c2 = st.columns([2, 3])
            if can_edit and c1.button(
                "Record Formal input", key=f"{key}_{s['issue_id']}", type="primary", icon=":material/trending_up:"
            ):
                save(fs, partial(record, s["issue_id"], s["version"]), f"Recorded Formal input on “{s['title']}”.")
            with c2:
                st.page_link(
                    "pages/issues.py",
                    label="Open the issue",
                    icon=":material/flag:",
                    query_params={"issue": str(s["issue_id"])},
                )
        show_refusal(fs)
