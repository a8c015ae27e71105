"""The server: the Overview and its pages (dashboard.py, pages/) plus the sign-in cookie, the
calendar feed and a health route. Run it with ``streamlit run app.py`` (see README)."""

import streamlit as st

from tracker.ui import server

app = st.App("dashboard.py", routes=server.routes(), middleware=server.middleware(), lifespan=server.lifespan)
