"""Issues: the searchable list, one issue with its ladder, timeline and history, and the editors' forms."""

from tracker.ui.issues.page import issues_page
from tracker.ui.shell.db import get_db
from tracker.ui.shell.frame import page_frame

user = page_frame("Issues")
issues_page(get_db(), user)
