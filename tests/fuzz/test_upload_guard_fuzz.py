"""Fuzz: whatever the nesting and size of a JSON text, the depth guard either refuses it with a
reason or lets through only what the json module parses without recursing too deep."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.services.upload_guard import LIMITS, UploadRefused, check_json_depth

_OPEN = st.sampled_from(["[", '{"k":', "[1,", '{"[":'])


@settings(max_examples=150, deadline=None)
@given(openers=st.lists(_OPEN, min_size=0, max_size=3000), tail=st.text(max_size=20))
def test_depth_guard_refuses_or_json_parses_without_recursion_error(openers: list[str], tail: str) -> None:
    text = "".join(openers) + tail
    try:
        check_json_depth(text)
    except UploadRefused as exc:
        assert "deep" in exc.reason
        assert len(openers) > LIMITS.max_depth
        return
    try:
        json.loads(text)
    except json.JSONDecodeError:
        pass  # malformed is the parser's message to give; recursing too deep is not possible here
