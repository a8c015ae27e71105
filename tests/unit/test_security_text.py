"""Titles and names are text: Markdown, Streamlit directives and links in them show literally."""

from __future__ import annotations

import re
import string

import pytest

from tracker.ui.kit.text import md

SAMPLES = [
    "**x**",
    ":red[x]",
    "[link](javascript:alert(1))",
    "![img](http://evil.example/x.png)",
    "<script>alert(1)</script>",
    "$x^2$ and `code` and # heading",
    "a_b_c ~~gone~~ | table |",
    "line\nbreak",
]
# CommonMark: a backslash before any ASCII punctuation character makes it a literal character.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def _as_rendered_text(markdown: str) -> str:
    return _ESCAPED.sub(r"\1", markdown)


@pytest.mark.parametrize("text", SAMPLES)
def test_markdown_in_a_name_renders_as_the_same_characters(text):
    assert _as_rendered_text(md(text)) == text.replace("\n", " ")


@pytest.mark.parametrize("text", SAMPLES)
def test_no_markdown_character_is_left_unescaped(text):
    escaped = md(text)
    bare = _ESCAPED.sub("", escaped)
    assert not set(bare) & set("*_[]()`#<>:$!|~\\")


def test_streamlit_receives_the_escaped_text(monkeypatch):
    from streamlit.testing.v1 import AppTest

    def page():
        import streamlit as st

        from tracker.ui.kit.text import md

        for sample in ("**x**", ":red[x]", "[link](javascript:alert(1))"):
            st.markdown(md(sample))

    at = AppTest.from_function(page).run()
    assert [m.value for m in at.markdown] == [r"\*\*x\*\*", r"\:red\[x\]", r"\[link\]\(javascript\:alert\(1\)\)"]


def test_every_ascii_punctuation_is_either_escaped_or_harmless():
    harmless = set(",;%/?@^")  # no Markdown or directive meaning on their own
    for ch in string.punctuation:
        assert md(ch) in (f"\\{ch}", ch)
        if md(ch) == ch:
            assert ch in harmless, ch
