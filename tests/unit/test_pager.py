"""Long lists go to the browser a page at a time."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _app() -> None:
    import pandas as pd
    import streamlit as st

    from tracker.ui.kit.pager import page_of

    n = st.session_state.get("n", 450)
    shown = page_of(pd.DataFrame({"id": range(1, n + 1)}), "pg")
    st.dataframe(shown)


def _run(n: int, at: AppTest | None = None) -> AppTest:
    at = at or AppTest.from_function(_app)
    at.session_state["n"] = n
    return at.run()


def test_a_short_list_is_shown_whole_without_a_pager():
    at = _run(150)
    assert len(at.dataframe[0].value) == 150
    assert not at.number_input


def test_a_long_list_shows_one_page_and_says_which_rows():
    at = _run(450)
    assert list(at.dataframe[0].value["id"])[:1] == [1] and len(at.dataframe[0].value) == 200
    assert "Rows 1–200 of 450" in at.caption[0].value
    at.number_input(key="pg").set_value(3).run()
    assert list(at.dataframe[0].value["id"]) == list(range(401, 451))
    assert "Rows 401–450 of 450 · page 3 of 3" in at.caption[0].value


def test_a_narrower_list_moves_a_page_past_the_end_back_to_the_last_page():
    at = _run(450)
    at.number_input(key="pg").set_value(3).run()
    at = _run(250, at)
    assert list(at.dataframe[0].value["id"]) == list(range(201, 251))
