"""Irreversible actions ask once: the first button opens a question in place, the second acts.

The question is opened through a session-state flag, not an ``st.dialog`` behind ``if
st.button``: a dialog opened that way loses its buttons' clicks (in AppTest, pitfall 6), and an
inline question stays next to the record it is about.
"""

from __future__ import annotations

import streamlit as st

from tracker.ui.kit.text import md


def _flag(key: str) -> str:
    return f"{key}__asking"


def asking(key: str) -> bool:
    """Whether the question under ``key`` is open."""
    return bool(st.session_state.get(_flag(key)))


def done_asking(key: str) -> None:
    """Close the question (after its action ran, or was cancelled)."""
    st.session_state.pop(_flag(key), None)


def ask_once(
    key: str,
    label: str,
    question: str,
    confirm_label: str,
    *,
    confirm_key: str | None = None,
    icon: str | None = None,
    disabled: bool = False,
    help: str | None = None,
) -> bool:
    """``label`` (ending "…") opens ``question`` (Markdown, names already escaped) with
    ``confirm_label`` and Cancel; True on the run in which the user confirmed. The confirm
    button is keyed ``confirm_key`` (default ``<key>_go``) so a form state can read it."""
    if not asking(key):
        st.button(
            label,
            key=f"{key}_ask",
            icon=icon,
            disabled=disabled,
            help=help,
            on_click=st.session_state.__setitem__,
            args=(_flag(key), True),
        )
        return False
    st.warning(question, icon=":material/warning:")
    c1, c2 = st.columns(2)
    confirmed = c1.button(md(confirm_label), type="primary", key=confirm_key or f"{key}_go")
    c2.button("Cancel", key=f"{key}_cancel", on_click=done_asking, args=(key,))
    if confirmed:
        done_asking(key)
    return confirmed
