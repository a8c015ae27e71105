"""The organisation and contact forms: widgets in, a data dict for the services out."""

from __future__ import annotations

from typing import Any

import streamlit as st

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


def organisation_form(key: str, initial: dict[str, Any] | None, submit_label: str) -> dict[str, Any] | None:
    """Every field of an organisation; the entered data when submitted, else None."""
    init = initial or {}
    types = data.organisation_types()
    current_type = init.get("type")
    if current_type and current_type not in types:
        types = [*types, current_type]  # a retired value stays selectable while unchanged
    with st.form(key, border=True, enter_to_submit=False):
        name = st.text_input("Name", value=init.get("name") or "", max_chars=200, key=f"{key}_name")
        c1, c2 = st.columns(2)
        org_type = c1.selectbox(
            "Type",
            types,
            index=types.index(current_type) if current_type in types else None,
            placeholder="Choose a type",
            key=f"{key}_type",
        )
        country = c2.text_input("Country", value=init.get("country") or "", max_chars=60, key=f"{key}_country")
        c3, c4 = st.columns(2)
        register = c3.text_input(
            "EU Transparency Register number",
            value=init.get("transparency_register") or "",
            max_chars=20,
            help="As shown in the EU Transparency Register, e.g. 123456789012-34.",
            key=f"{key}_register",
        )
        website = c4.text_input(
            "Website", value=init.get("website") or "", max_chars=2000, placeholder="https://", key=f"{key}_website"
        )
        partner = st.checkbox(
            "Partner (co-signs positions or works with us)", value=bool(init.get("is_partner")), key=f"{key}_partner"
        )
        if not st.form_submit_button(submit_label, type="primary"):
            return None
    return {
        "name": name,
        "type": org_type,
        "country": country,
        "transparency_register": register,
        "is_partner": partner,
        "website": website,
    }


def contact_form(key: str, initial: dict[str, Any] | None, submit_label: str) -> dict[str, Any] | None:
    init = initial or {}
    orgs = data.organisation_choices()
    org_ids = list(orgs)
    current_org = init.get("organisation_id")
    with st.form(key, border=True, enter_to_submit=False):
        c1, c2 = st.columns(2)
        name = c1.text_input("Name", value=init.get("name") or "", max_chars=200, key=f"{key}_name")
        role = c2.text_input(
            "Role", value=init.get("role") or "", max_chars=200, placeholder="e.g. Head of unit, rapporteur"
        )
        c3, c4 = st.columns(2)
        institution = c3.text_input(
            "Institution",
            value=init.get("institution") or "",
            max_chars=200,
            help="A Commission DG, a Parliament committee, a ministry…",
        )
        organisation = c4.selectbox(
            "Organisation",
            org_ids,
            index=org_ids.index(current_org) if current_org in org_ids else None,
            format_func=lambda i: orgs.get(i, f"Organisation {i}"),
            placeholder="None",
        )
        c5, c6 = st.columns(2)
        email = c5.text_input("E-mail", value=init.get("email") or "", max_chars=254)
        phone = c6.text_input("Phone", value=init.get("phone") or "", max_chars=50)
        if not st.form_submit_button(submit_label, type="primary"):
            return None
    return {
        "name": name,
        "role": role,
        "institution": institution,
        "organisation_id": organisation,
        "email": email,
        "phone": phone,
    }
