"""Choosing several records (contacts, organisations, issues) without adding the wrong ones.

Streamlit 1.67's multiselect puts a "Select all" row at the top of its dropdown — "Select N
matches" while the user types — whenever two or more options are left (``select_all``, default
1000): one natural click on the first row added every match. Every picker here turns it off,
so the first row is the first record. Its chosen chips wrap onto more lines (``wrap``) so the
user can read all of them; in a column they would otherwise scroll sideways out of sight.

Outside a form a large list is searched first: the user types two letters in the search box and
the picker offers the best matches only (at most :data:`LIMIT`, plus what is already chosen), so
a rerun sends tens of options, not every record. Inside an ``st.form`` nothing reruns before the
form is submitted, so there the picker offers every record (typing in it still filters them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import streamlit as st
from streamlit.elements.lib.form_utils import is_in_form

from tracker.ui.kit.form_state import FormState
from tracker.ui.kit.text import md

LIMIT = 50  # options sent at most, besides the records already chosen
MIN_LETTERS = 2
SMALL = 30  # a list this short is offered whole, with no search box


def best_matches(names: Mapping[int, str], query: str, *, limit: int = LIMIT, exclude: Iterable[int] = ()) -> list[int]:
    """The ids whose name holds every word of ``query`` (any case), best first: the name starts
    with it, then a word starts with it, then it appears anywhere; ties by name (pure)."""
    words = query.casefold().split()
    if not words:
        return []
    phrase = " ".join(words)
    left_out = set(exclude)
    ranked: list[tuple[int, str, int]] = []
    for rid, name in names.items():
        text = str(name).casefold()
        if rid in left_out or not all(w in text for w in words):
            continue
        if text.startswith(phrase):
            rank = 0
        elif any(part.startswith(words[0]) for part in text.replace("(", " ").replace("-", " ").split()):
            rank = 1
        else:
            rank = 2
        ranked.append((rank, text, rid))
    ranked.sort()
    return [rid for _, _, rid in ranked[:limit]]


def pick_many(
    label: str,
    names: Mapping[int, str],
    *,
    key: str,
    noun: str = "record",
    placeholder: str | None = None,
    help: str | None = None,
) -> list[int]:
    """A multiselect of records (``names``: id → name) under ``key``; large lists search first.

    ``noun`` names one record in the search box's hint and for a chosen id missing from ``names``
    (e.g. an organisation merged since). Returns the chosen ids."""
    chosen = [i for i in (st.session_state.get(key) or [])]
    shown = dict(names)
    for i in chosen:
        shown.setdefault(i, f"{noun.capitalize()} {i}")
    options: list[int]
    if len(names) <= SMALL or is_in_form(st._main):
        options = list(shown)
        hint = placeholder or f"Choose {noun}s"
    else:
        query = st.text_input(
            f"Find {label.lower()}",
            key=f"{key}__find",
            placeholder="Type two letters of a name, then choose below",
            max_chars=100,
        )
        typed = query.strip()
        found = best_matches(names, typed, exclude=chosen) if len(typed) >= MIN_LETTERS else []
        options = chosen + found
        if len(typed) < MIN_LETTERS:
            hint = f"Type two letters in “Find {label.lower()}” first"
        elif found:
            hint = f"Choose among {len(found):,} matches of “{md(typed)}”"
        else:
            hint = f"No {noun} matches “{md(typed)}”"
    picked: list[int] = st.multiselect(
        label,
        options,
        format_func=shown.__getitem__,
        key=key,
        placeholder=hint,
        help=help,
        select_all=False,
        wrap=True,
    )
    return picked


def pick_many_field(fs: FormState, label: str, field: str, names: Mapping[int, str], noun: str, **options: Any) -> None:
    """:func:`pick_many` as one field of a form's state, its errors right under it."""
    pick_many(label, names, key=fs.key(field), noun=noun, **options)
    fs.field_error(field)
