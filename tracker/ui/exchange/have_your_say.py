"""Upload of the Commission's Have Your Say export: preview counts, progress, result or the full error report."""

from __future__ import annotations

import hashlib
from typing import Any

import streamlit as st

from tracker.domain.enums import Role
from tracker.domain.errors import ImportRefused, PermissionDenied, StorageError
from tracker.domain.models import User
from tracker.services.exchange import have_your_say
from tracker.ui.kit.text import md
from tracker.ui.shell.db import get_db

from .refusal import show_refusal


def render_have_your_say_import(user: User, key: str = "import_export") -> None:
    """The whole import flow; ``key`` keeps two placements of it apart."""
    st.subheader("Have Your Say consultations", anchor=False)
    st.caption(
        "The European Commission's public consultations, from its Have Your Say export (CSV, or JSON as a list "
        "of objects with the same keys). Importing again updates the Commission's details and never touches "
        "our responses, links or notes. One unusable row refuses the whole file and nothing is written."
    )
    if not user.role.allows(Role.EDITOR):
        st.info("Importing needs the Editor role.", icon=":material/lock:")
        return
    upload = st.file_uploader("Have Your Say export (CSV or JSON)", type=["csv", "json"], key=f"{key}_hys_file")
    if upload is None:
        return
    if upload.size > have_your_say.MAX_BYTES:
        st.error(f"Import refused: {have_your_say.too_large_message(upload.size)}", icon=":material/block:")
        return
    content = upload.getvalue()
    digest = hashlib.sha256(content).hexdigest()
    done = st.session_state.get(f"{key}_hys_done")
    if done and done[0] == digest:
        st.success(md(done[1]), icon=":material/check_circle:")
        for note in done[2]:
            st.info(md(note))
        return

    with st.spinner("Checking the file…"):
        preview = _import(user, content, upload.name, key, dry_run=True)
    if preview is None:
        return

    st.markdown(f"**{md(upload.name)}** · {preview.file_format} · {preview.total:,} consultations, all usable")
    c1, c2, c3 = st.columns(3)
    c1.metric("New", f"{preview.inserted:,}")
    c2.metric("Updated", f"{preview.updated:,}")
    c3.metric("Unchanged", f"{preview.unchanged:,}")
    for note in preview.notes:
        st.info(md(note))
    if preview.inserted + preview.updated == 0:
        st.caption("Everything in this file is already here; importing it would change nothing.")
        return
    if st.button(f"Import {preview.inserted + preview.updated:,} consultations", type="primary", key=f"{key}_hys_go"):
        bar = st.progress(0.0, text="Checking rows…")

        def progress(n: int, total: int) -> None:
            bar.progress(min(1.0, n / total) if total else 1.0, text=f"Checked {n:,} of {total:,} rows")

        report = _import(user, content, upload.name, key, on_progress=progress)
        if report is None:
            return
        st.session_state[f"{key}_hys_done"] = (digest, f"Imported {upload.name} — {report.summary()}.", report.notes)
        st.rerun()


def _import(user: User, content: bytes, name: str, key: str, **options: Any) -> have_your_say.HaveYourSayReport | None:
    """The import (or with ``dry_run`` its check); a refusal is shown and gives None."""
    try:
        return have_your_say.import_export(get_db(), user, content, filename=name, **options)
    except ImportRefused as exc:
        show_refusal(str(exc), exc.errors, "have-your-say-import-errors.csv", f"{key}_hys_errors")
    except (PermissionDenied, StorageError) as exc:
        st.error(md(str(exc)), icon=":material/error:")
    return None
