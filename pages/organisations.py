"""Organisations: the partner directory, one organisation's record, contacts, merging duplicates."""

from tracker.ui.organisations.page import organisations_page
from tracker.ui.shell.db import get_db
from tracker.ui.shell.frame import page_frame

user = page_frame("Organisations")
organisations_page(get_db(), user)
