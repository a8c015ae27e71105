"""The organisation directory: search and filters, the table, opening one organisation."""

from __future__ import annotations

import streamlit as st

from tracker.services import organisations
from tracker.ui.kit.exports import export_buttons
from tracker.ui.kit.pager import page_of
from tracker.ui.kit.record_picker import open_record_picker, record_table
from tracker.ui.organisations import data

SORTS = {
    "name": "Name",
    "country": "Country",
    "type": "Type",
    "positions": "Positions signed",
    "activities": "Activities",
}


def directory() -> None:
    """Search, filter and sort the organisations; a click on a row opens one."""
    c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
    search = c1.text_input("Search", placeholder="Name or register number", key="org_search")
    org_type = c2.selectbox("Type", data.organisation_types(), index=None, placeholder="All types", key="org_type")
    country = c3.selectbox("Country", data.countries(), index=None, placeholder="All countries", key="org_country")
    sort = c4.selectbox("Sort by", list(SORTS), format_func=SORTS.__getitem__, key="org_sort")
    partners_only = st.toggle("Partners only", key="org_partners")
    found = data.directory(search.strip(), org_type, country, partners_only, sort or "name")
    table = found.rows
    if table.empty:
        st.info("No organisation matches these filters.")
        return
    if len(table) >= organisations.DIRECTORY_LIMIT:
        st.caption(f"Showing the first {len(table):,} organisations; search or filter to find others.")
    else:
        st.caption(f"{len(table):,} organisations")
    export_buttons("organisations", table, key="organisations_list")
    shown = page_of(found.shown, "org_page")
    record_table(
        shown,
        "organisation",
        key="org_table",
        # Sized to fit the page at 1400 px; the register number and website come last.
        column_order=(
            "name",
            "type",
            "country",
            "is_partner",
            "positions_signed",
            "activities",
            "transparency_register",
            "website",
        ),
        column_config={
            "name": st.column_config.TextColumn("Name", width=250),
            "type": st.column_config.TextColumn("Type", width=80),
            "country": st.column_config.TextColumn("Country", width=90),
            "is_partner": st.column_config.CheckboxColumn("Partner", width=60),
            "positions_signed": st.column_config.NumberColumn("Positions signed", format="%d", width=110),
            "activities": st.column_config.NumberColumn("Activities", format="%d", width=80),
            "transparency_register": st.column_config.TextColumn("Transparency Register", width=130),
            "website": st.column_config.LinkColumn("Website", width=150),
        },
    )
    open_record_picker("Open an organisation", found.names, "organisation", key="org_open")
