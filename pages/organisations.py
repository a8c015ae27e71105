"""Organisations page."""

import streamlit as st

from tracker.ui.frame import page_frame

user = page_frame("Organisations")

st.title("Organisations")
