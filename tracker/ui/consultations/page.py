"""The Consultations page: one consultation when the link names one, else the deadlines list."""

from __future__ import annotations

from functools import partial

from tracker.domain.models import User
from tracker.store import Database
from tracker.ui.consultations.detail import QUERY_KEY, render_consultation
from tracker.ui.consultations.listing import render_consultation_list
from tracker.ui.kit.feedback import record_or_list


def consultations_page(db: Database, user: User) -> None:
    if not record_or_list("Consultations", QUERY_KEY, "a consultation", partial(render_consultation, db, user)):
        render_consultation_list(db, user)
