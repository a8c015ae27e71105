"""E-mail digests: per person, what changed or falls due for them since their last digest.

Choice per account (``users.digest``): ``daily``, ``weekly`` (Mondays) or ``none``; unset means
the role's default: editors (and admins) daily, viewers weekly. A digest covers the *period* from
the end of the person's previous one (``users.last_digest_at``) to its *slot*: the latest
``TRACKER_DIGEST_HOUR``:00 (default 7) in ``TRACKER_TZ`` — a Monday's for weekly digests.

- Editors: reviews, follow-ups, signatories and consultations of their My work that fall due
  (today, or this week for a weekly digest, plus any since the previous digest), follow-ups
  newly assigned to them, and the moves on their issues.
- Viewers: a portfolio summary — moves up and down, consultation deadlines, newly published joint
  positions — with a link to the Overview.
A person's first digest starts from everything outstanding. An empty digest is not sent.

Every digest is recorded (``digests``) before it is sent: the row's unique (person, slot) key
means a restart, a second thread or a second process never sends a period twice; a failed send
stays recorded as failed and is tried again at the next run, from the recorded text.

The parts: :mod:`.choice` (who gets which, when), :mod:`.content` (what one says), :mod:`.runs`
(recording and sending).
"""

from __future__ import annotations

from .choice import (
    CHOICE_LABELS,
    CHOICES,
    DEFAULT_HOUR,
    choice_of,
    default_choice,
    digest_hour,
    effective_choice,
    set_choice,
    slot,
)
from .content import MAX_ITEMS, Digest, Item, Section, compose
from .runs import ABANDONED_AFTER, MAX_ATTEMPTS, RunReport, due_digests, recent, run

__all__ = [
    "ABANDONED_AFTER",
    "CHOICES",
    "CHOICE_LABELS",
    "DEFAULT_HOUR",
    "MAX_ATTEMPTS",
    "MAX_ITEMS",
    "Digest",
    "Item",
    "RunReport",
    "Section",
    "choice_of",
    "compose",
    "default_choice",
    "digest_hour",
    "due_digests",
    "effective_choice",
    "recent",
    "run",
    "set_choice",
    "slot",
]
