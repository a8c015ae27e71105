"""Import & export page: spreadsheet imports and exports, the Have Your Say import."""

import streamlit as st

from tracker.ui.frame import page_frame

user = page_frame("Import & export")

st.title("Import & export")
