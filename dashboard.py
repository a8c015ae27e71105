"""Overview: the directors' page and the app's entry point. Are we climbing the ladder?"""

from tracker.ui.overview.page import overview_page
from tracker.ui.shell.frame import page_frame

user = page_frame("Overview")
overview_page(user)
