"""A joint position's signatories: invite, change a status, remove."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain import clock
from tracker.domain.enums import Role, SignatoryStatus
from tracker.domain.models import JointPosition, User
from tracker.services import joint_positions as jp
from tracker.store import Database
from tracker.ui.kit.date_field import ANY_DATE
from tracker.ui.kit.feedback import save, show_refusal
from tracker.ui.kit.form_state import FormState
from tracker.ui.kit.records import shown
from tracker.ui.kit.search_picker import pick_many_field
from tracker.ui.organisations import data as organisation_data
from tracker.ui.positions import data

SIGNATORY_LABELS = {s.value: s.label for s in SignatoryStatus}


def signatories_tab(db: Database, user: User, position: JointPosition) -> None:
    """Who was asked to sign and where they stand; for editors, inviting and changing a status."""
    sigs = data.signatories(position.id)
    agreed = sum(1 for s in sigs if s["status"] == SignatoryStatus.AGREED.value)
    if not sigs:
        st.caption("No signatories yet: invite partner organisations below.")
    else:
        st.caption(f"{agreed:,} agreed of {len(sigs):,} invited.")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Organisation": s["organisation"],
                        "Status": SIGNATORY_LABELS[s["status"]],
                        "Since": shown(s["status_date"]),
                    }
                    for s in sigs
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    if not user.role.allows(Role.EDITOR):
        return
    _invite(db, user, position)
    if sigs:
        _change_status(db, user, position, sigs)


INVITE_LABELS = {"organisation_ids": "Organisation", "status": "Signatory status", "status_date": "Date"}


def invite_state(position_id: int) -> FormState:
    return FormState(
        f"invite_{position_id}",
        tuple(INVITE_LABELS),
        INVITE_LABELS,
        aliases={"Organisations": "organisation_ids"},
        keys={"organisation_ids": "orgs"},
    )


def _invite(db: Database, user: User, position: JointPosition) -> None:
    """Several organisations at once; after "Added 3 signatories" the form starts empty again,
    a refused batch keeps what was chosen so it can be corrected."""
    fs = invite_state(position.id)
    fs.ensure(None, {"organisation_ids": [], "status": SignatoryStatus.INVITED, "status_date": clock.today()})
    if fs.pressed("save"):
        invited = fs.values()
        save(
            fs,
            lambda: jp.add_signatories(db, user, position.id, invited),
            lambda added: f"Added {len(added):,} signator{'y' if len(added) == 1 else 'ies'}.",
        )
    orgs = organisation_data.organisation_choices()
    with st.form(fs.prefix, border=True, enter_to_submit=False):
        st.markdown("**Add signatories**")
        fs.error_summary()
        pick_many_field(
            fs, "Organisations", "organisation_ids", orgs, "organisation", placeholder="Choose organisations"
        )
        c1, c2 = st.columns(2)
        with c1:
            statuses = {"options": list(SignatoryStatus), "format_func": lambda s: s.label}
            fs.widget(st.selectbox, "Signatory status", "status", **statuses)
        with c2:
            fs.widget(st.date_input, "Date", "status_date", **ANY_DATE, help="Today or earlier.")
        fs.submit("Add signatories", icon=":material/group_add:")


def _change_status(db: Database, user: User, position: JointPosition, sigs: list[dict[str, Any]]) -> None:
    fs = FormState(f"sig_update_{position.id}", ())
    by_id = {s["id"]: s for s in sigs}
    with st.form(f"sig_update_{position.id}", border=True, enter_to_submit=False):
        st.markdown("**Change a signatory's status**")
        sid = st.selectbox(
            "Signatory",
            list(by_id),
            format_func=lambda i: f"{by_id[i]['organisation']} ({SIGNATORY_LABELS[by_id[i]['status']]})",
            key=f"sig_pick_{position.id}",
        )
        c1, c2 = st.columns(2)
        new_status = c1.selectbox(
            "New status", list(SignatoryStatus), format_func=lambda s: s.label, key=f"sig_status_{position.id}"
        )
        day = c2.date_input(
            "Date of the change",
            value=clock.today(),
            key=f"sig_date_{position.id}",
            help="Today or earlier.",
            **ANY_DATE,
        )
        c3, c4 = st.columns(2)
        change = c3.form_submit_button("Save status", type="primary")
        remove = c4.form_submit_button(
            "Remove (added by mistake)", help="A partner who changed their mind is Withdrawn, not removed."
        )
    sig = by_id[sid]
    if change and new_status is not None:
        change = {"status": new_status, "status_date": day}
        save(
            fs,
            lambda: jp.update_signatory(db, user, sig["id"], sig["version"], change),
            f"{sig['organisation']} is now {new_status.label}.",
        )
    if remove:
        save(fs, lambda: jp.remove_signatory(db, user, sig["id"], sig["version"]), f"Removed {sig['organisation']}.")
    show_refusal(fs)
