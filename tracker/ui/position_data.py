"""Cached readers for joint positions (ids and filters in, plain data out)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from tracker.services import joint_positions

from .cache import TTL_SECONDS
from .db import get_db


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def position_table(search: str, status: str | None, organisation_id: int | None, sort: str) -> Any:
    return joint_positions.search(
        get_db(), {"search": search, "status": status, "organisation_id": organisation_id, "sort": sort}
    )


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def issue_choices() -> dict[int, str]:
    return dict(joint_positions.issue_choices(get_db()))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def consultation_choices() -> dict[int, str]:
    return dict(joint_positions.consultation_choices(get_db()))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def signatories(position_id: int) -> list[dict[str, Any]]:
    return joint_positions.signatories(get_db(), position_id)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def linked_issues(position_id: int) -> list[dict[str, Any]]:
    return joint_positions.linked_issues(get_db(), position_id)
