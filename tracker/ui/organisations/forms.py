"""The organisation and contact forms: their fields, their state, their widgets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from tracker.ui.kit.form_state import FormState
from tracker.ui.organisations import data

ORG_LABELS = {
    "name": "Name",
    "type": "Type",
    "country": "Country",
    "transparency_register": "EU Transparency Register number",
    "is_partner": "Partner",
    "website": "Website",
}
CONTACT_LABELS = {
    "name": "Name",
    "role": "Role",
    "institution": "Institution",
    "organisation_id": "Organisation",
    "email": "E-mail",
    "phone": "Phone",
}
_ORG_KEYS = {"transparency_register": "register", "is_partner": "partner"}
_TEXT = ("name", "country", "transparency_register", "website", "role", "institution", "email", "phone")


def organisation_state(prefix: str) -> FormState:
    return FormState(prefix, tuple(ORG_LABELS), ORG_LABELS, keys=_ORG_KEYS)


def contact_state(prefix: str) -> FormState:
    return FormState(prefix, tuple(CONTACT_LABELS), CONTACT_LABELS)


def as_widgets(record: Mapping[str, Any] | None) -> dict[str, Any]:
    """A stored organisation or contact (or nothing, for a new one) as its form's widget values."""
    init = dict(record or {})
    out = {k: init.get(k) for k in (*ORG_LABELS, *CONTACT_LABELS)}
    for k in _TEXT:
        out[k] = out[k] or ""
    out["is_partner"] = bool(out["is_partner"])
    return out


def organisation_form(fs: FormState, submit_label: str) -> None:
    """Every field of an organisation; its submit button is ``fs.key("save")``."""
    types = data.organisation_types()
    current_type = st.session_state.get(fs.key("type"))
    if current_type and current_type not in types:
        types = [*types, current_type]  # a retired value stays selectable while unchanged
    with st.form(f"{fs.prefix}_form", border=True, enter_to_submit=False):
        fs.widget(st.text_input, "Name", "name", max_chars=200)
        c1, c2 = st.columns(2)
        with c1:
            fs.widget(st.selectbox, "Type", "type", options=types, placeholder="Choose a type")
        with c2:
            fs.widget(st.text_input, "Country", "country", max_chars=60)
        c3, c4 = st.columns(2)
        with c3:
            register_help = "As shown in the EU Transparency Register, e.g. 123456789012-34."
            fs.widget(
                st.text_input,
                ORG_LABELS["transparency_register"],
                "transparency_register",
                max_chars=20,
                help=register_help,
            )
        with c4:
            fs.widget(st.text_input, "Website", "website", max_chars=2000, placeholder="https://")
        fs.widget(st.checkbox, "Partner (co-signs positions or works with us)", "is_partner")
        st.form_submit_button(submit_label, type="primary", key=fs.key("save"))


def contact_form(fs: FormState, submit_label: str) -> None:
    """Every field of a contact; its submit button is ``fs.key("save")``."""
    orgs = data.organisation_choices()
    names = dict(orgs)
    current = st.session_state.get(fs.key("organisation_id"))
    if current is not None and current not in names:
        names[current] = f"Organisation {current}"  # a merged organisation stays shown while unchanged
    with st.form(f"{fs.prefix}_form", border=True, enter_to_submit=False):
        c1, c2 = st.columns(2)
        with c1:
            fs.widget(st.text_input, "Name", "name", max_chars=200)
        with c2:
            fs.widget(st.text_input, "Role", "role", max_chars=200, placeholder="e.g. Head of unit, rapporteur")
        c3, c4 = st.columns(2)
        with c3:
            institution_help = "A Commission DG, a Parliament committee, a ministry…"
            fs.widget(st.text_input, "Institution", "institution", max_chars=200, help=institution_help)
        with c4:
            fs.records("Organisation", "organisation_id", names, "None")
        c5, c6 = st.columns(2)
        with c5:
            fs.widget(st.text_input, "E-mail", "email", max_chars=254)
        with c6:
            fs.widget(st.text_input, "Phone", "phone", max_chars=50)
        st.form_submit_button(submit_label, type="primary", key=fs.key("save"))
