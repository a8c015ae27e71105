"""Admin page."""

import streamlit as st

from tracker.ui.frame import page_frame

user = page_frame("Admin")

st.title("Admin")
