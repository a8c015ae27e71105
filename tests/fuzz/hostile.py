"""Hypothesis strategies for hostile input: what a careless paste, a broken export or an
attacker puts in a form field or a spreadsheet cell."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

SQL = [
    "'; DROP TABLE issues; --",
    "' OR '1'='1",
    '" OR 1=1 --',
    "'); DELETE FROM audit; --",
    "1; ATTACH '/tmp/x.duckdb' AS x; --",
    "COPY issues TO '/tmp/leak.csv'",
    "%",
    "_",
    "\\",
    "NULL",
    "$$",
    "?",
    "?, ?, ?",
]
FORMULAS = ["=1+1", '=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1"]
MARKUP = ["**bold** :red[x]", "<script>alert(1)</script>", "[link](javascript:alert(1))", "<img src=x onerror=1>"]
NUMBER_WORDS = ["NaN", "nan", "inf", "-inf", "Infinity", "-Infinity", "1e309", "-0", "0x10", "1_000", "٣", "Ⅻ", "½"]
DATE_WORDS = [
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-0001-01-01",
    "2026-02-30",
    "2026-13-01",
    "31/12/2026",
    "12/31/2026",
    "2026-11-27T25:00:00",
    "27 Nov 2026",
    "yesterday",
]

control = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from(["\x7f", "\u2028", "\u200b", "\ufeff"])
any_text = st.text(st.characters(codec="utf-8"), max_size=60)
dirty_text = st.lists(st.one_of(any_text, control.map(str), st.sampled_from(SQL + FORMULAS + MARKUP)), max_size=4).map(
    "".join
)
huge_text = st.builds(
    lambda ch, extra: ch * (100_000 + extra), st.sampled_from(["x", "é", "😀", "\n", " "]), st.integers(0, 3)
)
# Signalling NaN (Decimal("sNaN")) is left out: no form, cell or JSON document can produce one,
# and pydantic itself raises decimal.InvalidOperation on it.
BIG = [2**63, -(2**63) - 1, 2**70, Decimal("1e400")]
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, math.inf, -math.inf, Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), *BIG]),
    st.decimals(allow_nan=True, allow_infinity=True).filter(lambda d: not d.is_snan()),
)
dates = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.sampled_from(DATE_WORDS),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    dirty_text,
    huge_text,
    numbers,
    dates,
    st.sampled_from(NUMBER_WORDS + SQL),
    st.binary(max_size=20),
)
hostile: st.SearchStrategy[Any] = st.one_of(
    scalars,
    st.lists(scalars, max_size=4),
    st.dictionaries(any_text, scalars, max_size=2),
)


def cell_text(value: Any) -> str:
    """How a value would look in a spreadsheet cell."""
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, (list, dict)):
        return str(value)
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


cells = st.one_of(
    scalars.map(cell_text),
    st.binary(max_size=20).map(cell_text),  # binary garbage read as Latin-1 text
    st.sampled_from(DATE_WORDS + NUMBER_WORDS + SQL + FORMULAS),
)
