"""Saving an organisation: create or edit through the kit, the near-duplicate name question, merging."""

from __future__ import annotations

from functools import partial
from typing import Any

import streamlit as st

from tracker.domain.models import Organisation, User
from tracker.services import organisations
from tracker.store import Database
from tracker.ui.kit.confirm import ask_once
from tracker.ui.kit.feedback import save, save_new, save_record_edits, show_refusal
from tracker.ui.kit.form_state import FormState
from tracker.ui.kit.record_picker import choose_record
from tracker.ui.kit.text import md
from tracker.ui.organisations import data
from tracker.ui.organisations.forms import as_widgets, organisation_form, organisation_state

PAGE = "pages/organisations.py"
PENDING = "org_pending_similar"


def open_link(org_id: int, name: str) -> None:
    st.page_link(PAGE, label=md(name), icon=":material/apartment:", query_params={"organisation": str(org_id)})


def show_organisation(org: Organisation) -> None:
    st.query_params["organisation"] = str(org.id)


def new_organisation(db: Database, user: User) -> None:
    fs = organisation_state("org_new")
    save_new(
        fs,
        as_widgets(None),
        lambda values: _ask(db, user, "create", values)(),
        lambda org: f"Saved {org.name}.",
        then=show_organisation,
    )
    pending_similar(db, user)
    fs.error_summary()
    organisation_form(fs, "Create organisation")


def edit_organisation(db: Database, user: User, org: Organisation) -> None:
    fs = organisation_state(f"org_edit_{org.id}")
    save_record_edits(
        fs,
        org,
        lambda version, values: _ask(db, user, "update", values, org.id, version)(),
        partial(organisations.get, db, org.id),
        as_widgets,
        lambda saved: f"Saved {saved.name}.",
        then=show_organisation,
    )
    organisation_form(fs, "Save changes")


def _ask(
    db: Database, user: User, mode: str, values: dict[str, Any], org_id: int | None = None, version: int = 0
) -> Any:
    """The service call for ``mode``; a near-duplicate name becomes a question (see :func:`pending_similar`)."""

    def run() -> Organisation:
        try:
            if mode == "create":
                return organisations.create(db, user, values)
            assert org_id is not None
            return organisations.update(db, user, org_id, version, values)
        except organisations.SimilarName as exc:
            st.session_state[PENDING] = {
                "mode": mode,
                "data": values,
                "id": org_id,
                "version": version,
                "matches": [(m.id, m.name) for m in exc.matches],
            }
            st.rerun()

    return run


def pending_similar(db: Database, user: User) -> None:
    """A name refused as a near-duplicate: offer the existing organisation, or save anyway."""
    pending = st.session_state.get(PENDING)
    if not pending:
        return
    st.warning(
        f"**{md(pending['data']['name'])}** matches an existing organisation apart from case or spaces. "
        "Use the existing one, or confirm that it is a different organisation.",
        icon=":material/content_copy:",
    )
    for match_id, match_name in pending["matches"]:
        open_link(match_id, f"Use the existing: {match_name}")
    fs = FormState("org_similar", ())
    c1, c2 = st.columns(2)
    label = "Create it anyway" if pending["mode"] == "create" else "Save the new name anyway"
    if c1.button(label, key="org_confirm_similar"):
        st.session_state.pop(PENDING, None)
        if pending["mode"] == "create":
            save(
                fs,
                lambda: organisations.create(db, user, pending["data"], confirm_similar=True),
                lambda org: f"Saved {org.name}.",
                then=show_organisation,
            )
        else:
            save(
                fs,
                lambda: organisations.update(
                    db, user, pending["id"], pending["version"], pending["data"], confirm_similar=True
                ),
                lambda org: f"Saved {org.name}.",
                then=show_organisation,
            )
    if c2.button("Cancel", key="org_cancel_similar"):
        st.session_state.pop(PENDING, None)
        st.rerun()
    show_refusal(fs)


def merge_form(db: Database, user: User, keep_id: int | None) -> None:
    """Fold a duplicate into the organisation to keep; every link moves over."""
    orgs = data.organisation_choices()
    ids = list(orgs)
    if len(ids) < 2:
        st.caption("There are fewer than two organisations: nothing to merge.")
        return
    st.caption(
        "Every signatory, activity, contact and lead role of the duplicate moves to the organisation you keep; "
        "empty fields of the kept one take the duplicate's values; the duplicate is kept, marked as merged."
    )
    c1, c2 = st.columns(2)
    if keep_id is None:
        with c1:
            keep = choose_record("Keep", orgs, key="merge_keep", placeholder="Organisation to keep")
    else:
        keep = keep_id
        c1.text_input("Keep", value=orgs.get(keep_id, ""), disabled=True, key="merge_keep_fixed")
    with c2:
        drop = choose_record(
            "Duplicate (merged into the kept one)",
            orgs,
            ids=[i for i in ids if i != keep],
            key=f"merge_drop_{keep_id}",
            placeholder="Organisation to merge away",
        )
    if keep is None or drop is None:
        return
    moving = data.link_counts(drop)
    st.info(
        f"**{md(orgs[drop])}** → **{md(orgs[keep])}**: "
        + ", ".join(f"{n:,} {kind}" for kind, n in moving.items())
        + " will move.",
        icon=":material/merge:",
    )
    fs = FormState(f"merge_{keep_id}", ())
    question = (
        f"Merge **{md(orgs[drop])}** into **{md(orgs[keep])}**? Its links move for good and it is marked "
        "as merged; this cannot be undone. Check that they are the same organisation."
    )
    if ask_once(
        f"merge_q_{keep_id}",
        "Merge…",
        question,
        "Merge permanently",
        confirm_key=f"merge_go_{keep_id}",
        icon=":material/merge:",
    ):

        def run() -> Organisation:
            k, d = organisations.get(db, keep), organisations.get(db, drop)
            return organisations.merge(db, user, k.id, k.version, d.id, d.version)

        save(fs, run, lambda merged: f"Merged {orgs[drop]} into {merged.name}.", then=show_organisation)
    show_refusal(fs)
