"""The floor of a page: the very same elements, captured from the page's own run, drawn with
no database work. Run by AppTest with BENCH_FLOOR pointing at the captured pickle."""

import os
import pickle

import plotly.io as pio
import streamlit as st

st.set_page_config(layout="wide")
with open(os.environ["BENCH_FLOOR"], "rb") as fh:
    elements = pickle.load(fh)

for i, (kind, payload) in enumerate(elements):
    key = f"floor{i}"
    if kind == "markdown":
        st.markdown(payload)
    elif kind == "metric":
        st.metric(**payload)
    elif kind == "dataframe":
        st.dataframe(payload)
    elif kind == "plotly":
        # The page builds a Figure and Streamlit serialises it; so does the floor.
        st.plotly_chart(pio.from_json(payload), key=key)
    elif kind == "selectbox":
        st.selectbox(payload["label"], payload["options"], key=key)
    elif kind == "multiselect":
        st.multiselect(payload["label"], payload["options"], key=key)
    elif kind == "text_input":
        st.text_input(payload, key=key)
    elif kind == "button":
        st.button(payload, key=key)
    elif kind == "checkbox":
        st.checkbox(payload, key=key)
    elif kind == "date_input":
        st.date_input(payload, key=key)
    elif kind == "page_link":
        st.sidebar.markdown(payload)
    elif kind == "alert":
        st.info(payload)
