"""Joint positions: list, detail, status flow, signatories, and the Formal-input suggestion."""

from tracker.ui.positions.list_view import positions_page
from tracker.ui.shell.db import get_db
from tracker.ui.shell.frame import page_frame

user = page_frame("Joint positions")
positions_page(get_db(), user)
