"""Activities: quick entry with effort and funding, the filtered log, follow-ups due this week."""

from tracker.ui.activities.page import activities_page
from tracker.ui.shell.db import get_db
from tracker.ui.shell.frame import page_frame

user = page_frame("Activities")
activities_page(get_db(), user)
