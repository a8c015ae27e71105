"""Import & export page: exports of every list, spreadsheet imports, the Have Your Say import."""

from tracker.ui.exchange.page import import_export_page
from tracker.ui.shell.frame import page_frame

user = page_frame("Import & export")
import_export_page(user)
