"""My work: the signed-in person's issues, follow-ups, closing consultations and joint positions."""

from tracker.ui.my_work.view import render
from tracker.ui.shell.frame import page_frame

user = page_frame("My work")
render(user)
