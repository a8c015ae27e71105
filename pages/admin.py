"""Admin: accounts and roles, reference lists, the account audit log, backups."""

from tracker.ui.admin.page import admin_page
from tracker.ui.shell.frame import page_frame

user = page_frame("Admin")
admin_page(user)
