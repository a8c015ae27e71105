"""Someone saved first: their values beside the user's, the user's input kept, two ways on.

The form keeps what the user typed. The panel shows, field by field, the values saved now
("theirs") beside the unsaved input ("yours"), says who saved and when, and offers "Keep mine
on top of theirs" (the user's changed fields are saved over the newer version) or "Discard
mine" (the form takes the saved values).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain.errors import EditConflict, TrackerError
from tracker.ui.kit.form_state import FormState
from tracker.ui.kit.records import shown
from tracker.ui.kit.text import md

Show = Callable[[str, Any], str]
KEEP, DISCARD = "keep", "discard"


def plain(field: str, value: Any) -> str:
    """A value as the records show it (a feature passes its own for codes and labels)."""
    return shown(value)


def conflict_frame(
    current: Mapping[str, Any],
    mine: Mapping[str, Any],
    label: Callable[[str], str],
    show: Show = plain,
) -> pd.DataFrame:
    """The fields where the saved values and the user's unsaved input differ: field, theirs, yours."""
    rows = [
        {"Field": label(field), "Theirs": show(field, current[field]), "Yours": show(field, yours)}
        for field, yours in mine.items()
        if field in current and show(field, current[field]) != show(field, yours)
    ]
    return pd.DataFrame(rows, columns=["Field", "Theirs", "Yours"])


def remember(
    fs: FormState,
    exc: EditConflict,
    reread: Callable[[], Mapping[str, Any]] | None = None,
    as_widgets: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None,
) -> None:
    """Keep the conflict on the form: its message and the values saved now, as widget values.

    The values come from the conflict when the service gives them for every field of the form,
    else from ``reread`` (the record read again); ``as_widgets`` turns stored values into what
    the form's widgets hold.
    """
    current: Mapping[str, Any] = exc.current or {}
    if not all(f in current for f in fs.fields) and reread is not None:
        try:
            current = reread()
        except TrackerError:  # the conflict message still stands without their values
            current = {}
    elif as_widgets is not None:
        current = as_widgets(current)
    fs.errors = []
    fs.conflict = {
        "message": str(exc),
        "by": exc.changed_by,
        "at": exc.changed_at,
        "current": {f: current[f] for f in fs.fields if f in current},
    }


def resolve(fs: FormState, version: int | None, values: Mapping[str, Any]) -> bool:
    """Act on the panel's buttons (call at the top of the run, ``values`` saved now).

    True when the user chose "Keep mine on top of theirs": the form now stands on ``version``
    with the user's changes kept, and the caller saves it.
    """
    if fs.pressed(DISCARD):
        fs.load(version, values)
    elif fs.pressed(KEEP) and fs.conflict:
        fs.rebase(version, values)
        return True
    return False


def conflict_panel(fs: FormState, show: Show = plain, note: str | None = None) -> None:
    """The conflict on ``fs`` (if any): who saved when, theirs beside yours, keep or discard."""
    conflict = fs.conflict
    if not conflict:
        return
    st.warning(md(conflict.get("message", "")), icon=":material/sync_problem:")
    if note:
        st.markdown(note)
    frame = conflict_frame(conflict.get("current") or {}, fs.values(), fs.label, show)
    if not frame.empty:
        st.caption("Saved now (theirs) beside your unsaved input (yours):")
        st.dataframe(frame, hide_index=True, key=fs.key("conflict_table"))
    st.caption("Your input is still in the form below; nothing of yours is saved yet.")
    c1, c2 = st.columns(2)
    c1.button("Keep mine on top of theirs", key=fs.key(KEEP), icon=":material/merge:")
    c2.button("Discard mine", key=fs.key(DISCARD), icon=":material/undo:")
