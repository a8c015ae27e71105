"""Demo activities: the cluster's work log, linked to issues, organisations and contacts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from tracker.domain.enums import INFLUENCING_ACTIVITY_TYPES
from tracker.store import Tx
from tracker.store.bulk import insert_columns, next_ids

from .vocabulary import ACTIVITY_TYPES, FUNDING_SOURCES
from .world import World

# Activities grow faster than issues: the L benchmark wants a realistic 200,000-row log.
ACTIVITIES = {1: 400, 10: 4_000, 100: 200_000}
OUTCOMES = [
    None,
    "Members informed",
    "Follow-up meeting agreed",
    "Our amendment was noted",
    "Position shared with partners",
]
EFFORT_DAYS = [0.25, 0.5, 0.5, 1, 1, 1.5, 2, 3]
LINKS = ("activity_issues", "activity_organisations", "activity_contacts")


def build_activities(tx: Tx, world: World) -> int:
    rng, today = world.rng, world.today
    n_act = ACTIVITIES[world.k]
    act_ids = next_ids(tx, "activities", n_act)
    acts: dict[str, list[Any]] = defaultdict(list)
    links: dict[str, dict[str, list[Any]]] = {t: defaultdict(list) for t in LINKS}
    others = [t for t in ACTIVITY_TYPES if t not in INFLUENCING_ACTIVITY_TYPES]
    for aid in act_ids:
        iid = rng.choice(world.issue_ids)
        start = world.issue_start[iid]
        day = start + dt.timedelta(days=rng.randint(0, max(0, (today - start).days)))
        # Influencing work grows with the rung an issue reached.
        influencing_share = 0.1 + 0.15 * world.final_stage[iid]
        if rng.random() < influencing_share:
            atype = rng.choice(sorted(INFLUENCING_ACTIVITY_TYPES))
        else:
            atype = rng.choice(others)
        acts["id"].append(aid)
        acts["activity_date"].append(day)
        acts["type"].append(atype)
        acts["summary"].append(f"{atype} on {world.title_of[iid][:60]}")
        acts["outcome"].append(rng.choice(OUTCOMES))
        acts["is_influencing"].append(atype in INFLUENCING_ACTIVITY_TYPES)
        acts["effort_days"].append(rng.choice(EFFORT_DAYS))
        acts["funding_source"].append(rng.choices(FUNDING_SOURCES, weights=[6, 2, 2, 2, 1])[0])
        acts["follow_up"].append(day + dt.timedelta(days=rng.randint(3, 30)) if rng.random() < 0.2 else None)
        acts["created_by"].append(rng.choice(world.owners))
        acts["created_at"].append(dt.datetime.combine(day, dt.time(18, 0)))
        _link(world, aid, iid, atype, links)
    insert_columns(tx, "activities", acts)
    for table in LINKS:
        insert_columns(tx, table, links[table])
    return n_act


def _link(world: World, aid: int, iid: int, atype: str, links: dict[str, dict[str, list[Any]]]) -> None:
    """The activity's issue, up to two organisations and, for influencing work, often a contact."""
    rng = world.rng
    links["activity_issues"]["activity_id"].append(aid)
    links["activity_issues"]["issue_id"].append(iid)
    for oid in rng.sample(world.org_ids, rng.randint(0, 2)):
        links["activity_organisations"]["activity_id"].append(aid)
        links["activity_organisations"]["organisation_id"].append(oid)
    if atype in INFLUENCING_ACTIVITY_TYPES and rng.random() < 0.6:
        links["activity_contacts"]["activity_id"].append(aid)
        links["activity_contacts"]["contact_id"].append(rng.choice(world.contact_ids))
