"""Joint positions page."""

import streamlit as st

from tracker.ui.frame import page_frame

user = page_frame("Joint positions")

st.title("Joint positions")
