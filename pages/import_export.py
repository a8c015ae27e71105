"""Import & export page: spreadsheet imports and exports, the Have Your Say import."""

import streamlit as st

from tracker.ui.frame import page_frame
from tracker.ui.have_your_say_upload import render_have_your_say_import

user = page_frame("Import & export")

st.title("Import & export")
render_have_your_say_import(user)
