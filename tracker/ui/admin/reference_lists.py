"""The Admin page's reference lists: each list's values with their uses; add, rename, reorder, delete."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain.enums import ReferenceKind
from tracker.domain.models import User
from tracker.services import reference
from tracker.store import Database
from tracker.ui.kit.feedback import save, save_edits, save_new, show_refusal
from tracker.ui.shell.cache import TTL_SECONDS
from tracker.ui.shell.db import get_db

from .history import list_changes
from .record_form import RecordForm


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _entries(kind: ReferenceKind) -> list[dict[str, Any]]:
    # Counting every value's uses scans the issues, consultations and activities; every committed
    # write clears this, and a write from another process within a rerun (the data epoch).
    return reference.entries(get_db(), kind)


def reference_panel(db: Database, admin: User) -> None:
    kind = st.selectbox("List", list(ReferenceKind), format_func=lambda k: k.label, key="adm_ref_kind")
    if kind is None:
        return
    entries = _entries(kind)
    if entries:
        st.dataframe(
            pd.DataFrame(
                [{"#": i, "Value": e["value"], "Used by": e["uses"]} for i, e in enumerate(entries, start=1)],
                columns=["#", "Value", "Used by"],
            ),
            hide_index=True,
            width="stretch",
            column_config={"Used by": st.column_config.NumberColumn(help="Records using the value", format="%d")},
        )
    else:
        st.info("This list is empty: add its first value below.")
    _add_form(db, admin, kind)
    if entries:
        _change_value(db, admin, kind, entries)
    list_changes(admin)


def _add_form(db: Database, admin: User, kind: ReferenceKind) -> None:
    fs = RecordForm("adm_ref", kind.value, ("new",), {"new": "New value"}, aliases={"Value": "new"})
    save_new(
        fs,
        {"new": ""},
        lambda values: reference.add(db, admin, kind, str(values["new"] or "")),
        lambda entry: f"{entry['value']} added.",
    )
    with st.form(f"adm_ref_add_{kind.value}"):
        fs.error_summary()
        fs.widget(st.text_input, "New value", "new", max_chars=100)
        st.form_submit_button("Add to the list", key=fs.key("save"))


def _change_value(db: Database, admin: User, kind: ReferenceKind, entries: list[dict[str, Any]]) -> None:
    st.subheader("Change a value")
    by_id = {e["id"]: e for e in entries}
    chosen = st.selectbox(
        "Value", list(by_id), format_func=lambda i: by_id[i]["value"], key=f"adm_ref_pick_{kind.value}"
    )
    if chosen is None:
        return
    entry = by_id[chosen]
    buttons = RecordForm("adm_ref", chosen, (), state=f"adm_ref_actions_{chosen}")
    if buttons.pressed("up") or buttons.pressed("down"):
        step = -1 if buttons.pressed("up") else 1
        save(buttons, lambda: reference.move(db, admin, chosen, step), "Moved.")
    elif buttons.pressed("delete"):
        save(buttons, lambda: reference.delete(db, admin, chosen, entry["version"]), "Deleted.")
    fs = RecordForm("adm_ref", chosen, ("name",), {"name": "New name"}, aliases={"Value": "name"})
    save_edits(
        fs,
        entry["version"],
        {"name": entry["value"]},
        lambda version, sent: reference.rename(db, admin, chosen, version, sent["name"]),
        lambda changed, saved: "Renamed.",
        as_widgets=lambda current: {"name": current.get("value")},
    )
    uses = entry["uses"]
    with st.form(f"adm_ref_rename_{chosen}"):
        fs.widget(st.text_input, "New name", "name", max_chars=100)
        st.caption(
            f"Renaming changes it in the {uses:,} record{'s' if uses != 1 else ''} that use it, in one step."
            if uses
            else "No record uses this value."
        )
        st.form_submit_button("Rename", type="primary", key=fs.key("save"))
    c1, c2, c3 = st.columns(3)
    c1.button("Move up", key=buttons.key("up"), icon=":material/arrow_upward:")
    c2.button("Move down", key=buttons.key("down"), icon=":material/arrow_downward:")
    c3.button(
        "Delete",
        key=buttons.key("delete"),
        icon=":material/delete:",
        help="Only for values no record uses; rename a value in use instead.",
    )
    show_refusal(buttons)
