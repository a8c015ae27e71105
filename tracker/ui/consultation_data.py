"""Cached readers for the Consultations page: ids and filters in, plain data out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from tracker.services import calendar
from tracker.services import consultations as service

from .cache import TTL_SECONDS
from .db import get_db


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def search(filters: dict[str, Any], today: dt.date) -> pd.DataFrame:
    return service.search(get_db(), filters, today)


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def filter_options() -> dict[str, list[Any]]:
    return service.filter_options(get_db())


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def issue_choices() -> dict[int, str]:
    return dict(service.issue_choices(get_db()))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def joint_position_choices() -> dict[int, str]:
    return dict(service.joint_position_choices(get_db()))


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def deadlines_ics(today: dt.date) -> bytes:
    return calendar.deadlines_ics(get_db(), today)
