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
        st.text_input("Name", max_chars=200, key=fs.key("name"))
        fs.field_error("name")
        c1, c2 = st.columns(2)
        with c1:
            st.selectbox("Type", types, placeholder="Choose a type", key=fs.key("type"))
            fs.field_error("type")
        with c2:
            st.text_input("Country", max_chars=60, key=fs.key("country"))
            fs.field_error("country")
        c3, c4 = st.columns(2)
        with c3:
            st.text_input(
                "EU Transparency Register number",
                max_chars=20,
                help="As shown in the EU Transparency Register, e.g. 123456789012-34.",
                key=fs.key("transparency_register"),
            )
            fs.field_error("transparency_register")
        with c4:
            st.text_input("Website", max_chars=2000, placeholder="https://", key=fs.key("website"))
            fs.field_error("website")
        st.checkbox("Partner (co-signs positions or works with us)", key=fs.key("is_partner"))
        fs.field_error("is_partner")
        st.form_submit_button(submit_label, type="primary", key=fs.key("save"))


def contact_form(fs: FormState, submit_label: str) -> None:
    """Every field of a contact; its submit button is ``fs.key("save")``."""
    orgs = data.organisation_choices()
    ids = list(orgs)
    current = st.session_state.get(fs.key("organisation_id"))
    if current is not None and current not in orgs:
        ids.append(current)  # a merged organisation stays shown while unchanged
    with st.form(f"{fs.prefix}_form", border=True, enter_to_submit=False):
        c1, c2 = st.columns(2)
        with c1:
            st.text_input("Name", max_chars=200, key=fs.key("name"))
            fs.field_error("name")
        with c2:
            st.text_input("Role", max_chars=200, placeholder="e.g. Head of unit, rapporteur", key=fs.key("role"))
            fs.field_error("role")
        c3, c4 = st.columns(2)
        with c3:
            st.text_input(
                "Institution",
                max_chars=200,
                help="A Commission DG, a Parliament committee, a ministry…",
                key=fs.key("institution"),
            )
            fs.field_error("institution")
        with c4:
            st.selectbox(
                "Organisation",
                ids,
                format_func=lambda i: orgs.get(i, f"Organisation {i}"),
                placeholder="None",
                key=fs.key("organisation_id"),
            )
            fs.field_error("organisation_id")
        c5, c6 = st.columns(2)
        with c5:
            st.text_input("E-mail", max_chars=254, key=fs.key("email"))
            fs.field_error("email")
        with c6:
            st.text_input("Phone", max_chars=50, key=fs.key("phone"))
            fs.field_error("phone")
        st.form_submit_button(submit_label, type="primary", key=fs.key("save"))
