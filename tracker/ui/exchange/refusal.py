"""A refused import: why, every unusable line with its column and reason, and the whole report as CSV."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from tracker.domain.errors import FieldError
from tracker.services.exchange import imports, spreadsheet
from tracker.ui.kit.text import md

SHOWN_ERRORS = 500


def show_refusal(summary: str, errors: Sequence[FieldError], file_name: str, key: str) -> None:
    """The refusal (escaped), the first unusable lines, and the report download (formulas neutralised)."""
    st.error(md(summary), icon=":material/block:")
    if not errors:
        return
    shown = errors[:SHOWN_ERRORS]
    frame = pd.DataFrame(
        {"Line": [e.line for e in shown], "Column": [e.field for e in shown], "Reason": [e.message for e in shown]}
    )
    st.dataframe(
        frame, hide_index=True, width="stretch", column_config={"Line": st.column_config.NumberColumn(format="%d")}
    )
    if len(errors) > SHOWN_ERRORS:
        st.caption(f"The first {SHOWN_ERRORS:,} of {len(errors):,} are shown; the report has them all.")
    st.download_button(
        "Download the report (CSV)",
        data=imports.errors_csv(errors),
        file_name=file_name,
        mime=spreadsheet.CSV_MIME,
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )
