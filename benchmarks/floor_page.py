"""The floor of a page: the very same elements, captured from the page's own run, drawn with
no database work. Run by AppTest with BENCH_FLOOR pointing at the captured pickle.

The captured elements are loaded and the figures rebuilt once, not on every rerun: a warm rerun
of the floor does only what any page must do — hand the same objects to Streamlit.
"""

import os
import pickle

import plotly.io as pio
import streamlit as st


@st.cache_resource
def _load(path: str) -> list:
    with open(path, "rb") as fh:
        captured = pickle.load(fh)
    return _rebuild(captured)


def _rebuild(items: list) -> list:
    out = []
    for kind, payload in items:
        if kind == "plotly":
            payload = pio.from_json(payload)
        elif kind == "block":
            payload = _rebuild(payload)
        out.append((kind, payload))
    return out


st.set_page_config(layout="wide")
elements = _load(os.environ["BENCH_FLOOR"])

counter = iter(range(1_000_000))


def draw(items: list) -> None:
    for kind, payload in items:
        key = f"floor{next(counter)}"
        if kind == "block":
            with st.container():
                draw(payload)
        elif kind == "markdown":
            st.markdown(payload)
        elif kind == "metric":
            st.metric(**payload)
        elif kind == "dataframe":
            st.dataframe(payload)
        elif kind == "plotly":
            # The page hands Streamlit a built Figure to serialise; so does the floor.
            st.plotly_chart(payload, key=key)
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
            st.markdown(payload)
        elif kind == "alert":
            st.info(payload)


draw(elements)
