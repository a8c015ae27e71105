"""Consultations: deadlines and due-soon warnings, our responses, the Have Your Say import, the calendar."""

import streamlit as st

from tracker.ui.consultations.detail import QUERY_KEY, render_consultation, show_flash
from tracker.ui.consultations.listing import render_consultation_list
from tracker.ui.shell.frame import page_frame

user = page_frame("Consultations")

st.title("Consultations")
show_flash()
wanted = st.query_params.get(QUERY_KEY)
if wanted and wanted.isdigit():
    render_consultation(user, int(wanted))
else:
    if wanted:
        st.warning("That link does not name a consultation; here is the list.")
    render_consultation_list(user)
