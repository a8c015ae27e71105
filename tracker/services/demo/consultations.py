"""Demo consultations: a third open or upcoming, the rest closed, linked to the issues."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from tracker.domain.enums import ConsultationType, ResponseStatus
from tracker.store import Tx
from tracker.store.bulk import insert_columns, next_ids

from .world import World

WINDOW_DAYS = {
    ConsultationType.CALL_FOR_EVIDENCE: 28,
    ConsultationType.PUBLIC_CONSULTATION: 84,
    ConsultationType.FEEDBACK_ON_PROPOSAL: 56,
    ConsultationType.DRAFT_ACT: 28,
    ConsultationType.NATIONAL: 42,
}
# In turn, so every demo has deadlines inside 3 and 14 days and further out.
OPEN_DEADLINES = (2, 6, 10, 13, 20, 27, 35, 48, 70)
DGS = [
    "European Commission — DG SANTE",
    "European Commission — DG GROW",
    "European Commission — DG CNECT",
    "European Commission — DG ENV",
]


def build_consultations(tx: Tx, world: World) -> int:
    rng, today = world.rng, world.today
    n_cons = 18 * world.k
    cons_ids = next_ids(tx, "consultations", n_cons)
    cons: dict[str, list[Any]] = defaultdict(list)
    cons_links: dict[str, list[Any]] = defaultdict(list)
    for c, cid in enumerate(cons_ids):
        ctype = rng.choice(list(ConsultationType))
        # A third are open or upcoming relative to today; the rest closed in the last two years.
        if c % 3 == 0:
            closes = today + dt.timedelta(days=OPEN_DEADLINES[(c // 3) % len(OPEN_DEADLINES)])
        else:
            closes = today - dt.timedelta(days=int(rng.triangular(3, 730, 3)))
        opens = closes - dt.timedelta(days=WINDOW_DAYS[ctype])
        iid = world.issue_ids[(c * 3) % len(world.issue_ids)]
        response = _response(rng, closes, today)
        title = world.title_of[iid].split(":")[0]
        cons["id"].append(cid)
        cons["title"].append(f"{title} — {ctype.label.lower()}")
        cons["authority"].append("Ministry of Health" if ctype == ConsultationType.NATIONAL else rng.choice(DGS))
        cons["policy_areas"].append([world.area_of[iid]])
        cons["type"].append(ctype.value)
        cons["reference"].append(f"Ares(20{rng.randint(24, 26)}){rng.randrange(10**6, 10**7)}")
        cons["url"].append("https://ec.europa.eu/info/law/better-regulation/have-your-say")
        cons["opens"].append(opens)
        cons["closes"].append(closes)
        cons["response_status"].append(response.value)
        submitted = closes - dt.timedelta(days=rng.randint(0, 10)) if response == ResponseStatus.SUBMITTED else None
        cons["submitted_on"].append(submitted)
        cons["feedback_reference"].append(f"F{rng.randrange(10**6, 10**7)}" if submitted else None)
        cons["joint_position_id"].append(world.jp_of_issue.get(iid))
        cons["created_at"].append(dt.datetime.combine(opens, dt.time(9, 0)))
        cons_links["consultation_id"].append(cid)
        cons_links["issue_id"].append(iid)
    insert_columns(tx, "consultations", cons)
    insert_columns(tx, "consultation_issues", cons_links)
    return n_cons


def _response(rng: random.Random, closes: dt.date, today: dt.date) -> ResponseStatus:
    """Open consultations are being worked on; most closed ones got a response."""
    if closes >= today:
        return rng.choice([ResponseStatus.NOT_STARTED, ResponseStatus.DRAFTING, ResponseStatus.DRAFTING])
    return rng.choices(
        [ResponseStatus.SUBMITTED, ResponseStatus.SKIPPED, ResponseStatus.NOT_STARTED, ResponseStatus.DRAFTING],
        weights=[6, 1, 1, 1],
    )[0]
