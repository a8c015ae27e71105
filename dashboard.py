"""Overview: the directors' page and the app's entry point."""

import streamlit as st

from tracker.ui.frame import page_frame

user = page_frame("Overview")

st.title("Overview")
