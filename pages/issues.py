"""Issues: the searchable list, one issue with its ladder, timeline and history, and the editors' forms."""

import streamlit as st

from tracker.ui.issues.views import issue_view, list_view, requested_issue
from tracker.ui.kit.text import md
from tracker.ui.shell.frame import page_frame

user = page_frame("Issues")

wanted = requested_issue()
if isinstance(wanted, int):
    issue_view(user, wanted)
else:
    st.title("Issues")
    if isinstance(wanted, str):
        st.warning(f"“{md(wanted[:50])}” is not an issue number; showing the list instead.")
    list_view(user)
