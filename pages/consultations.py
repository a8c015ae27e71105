"""Consultations: deadlines and due-soon warnings, our responses, the Have Your Say import, the calendar."""

from tracker.ui.consultations.page import consultations_page
from tracker.ui.shell.db import get_db
from tracker.ui.shell.frame import page_frame

user = page_frame("Consultations")
consultations_page(get_db(), user)
