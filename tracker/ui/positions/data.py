"""Cached readers for joint positions (ids and filters in, plain data out)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from tracker.domain.enums import JointPositionStatus
from tracker.services import joint_positions
from tracker.ui.kit.records import date_cell
from tracker.ui.shell.cache import TTL_SECONDS, shared
from tracker.ui.shell.db import get_db

STATUS_LABELS = {s.value: s.label for s in JointPositionStatus}
EMPTY = "—"  # an empty cell, never "None"


@dataclass(frozen=True)
class PositionList:
    """The joint positions matching the filters, built once and shared read-only."""

    rows: pd.DataFrame  # as the service returns them (exports, opening a row)
    shown: pd.DataFrame  # the same rows as displayed
    titles: dict[int, str]  # id → title, for the "Open a joint position" box


@shared
def position_list(search: str, status: str | None, organisation_id: int | None, sort: str) -> PositionList:
    rows = joint_positions.search(
        get_db(), {"search": search, "status": status, "organisation_id": organisation_id, "sort": sort}
    )
    # What matters at a glance; the target institution and the rest are on the position's page.
    shown = pd.DataFrame(
        {
            "id": rows["id"],
            "title": rows["title"],
            "status": rows["status"].map(STATUS_LABELS),
            "lead_organisation": rows["lead_organisation"].fillna(EMPTY),
            "published_on": rows["published_on"].map(lambda d: date_cell(d) or EMPTY),
            "signatories": [f"{a:,} of {n:,}" for a, n in zip(rows["agreed"], rows["invited_total"], strict=True)],
            "issues": rows["issues"],
        }
    )
    titles = dict(zip(rows["id"].astype(int), rows["title"], strict=True))
    return PositionList(rows, shown, titles)


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
