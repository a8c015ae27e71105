"""Realistic demo data for a MedTech/health cluster and its partners.

Identical output for the same seed and today. Scale S is about 40 issues with full stage
histories; M is about 10× and L about 100× (for benchmarks). Rows are built in Python and
written set-wise, so L generates in seconds. One builder per entity, run in a fixed order on
one random source (:class:`World`): reordering them, or their draws, changes the data.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from tracker.services.passwords import hash_password
from tracker.store import Database, Tx

from .accounts import build_accounts, build_reference_lists
from .activities import ACTIVITIES, build_activities
from .consultations import build_consultations
from .issues import build_issues
from .organisations import build_contacts, build_organisations
from .positions import build_joint_positions
from .vocabulary import (
    ACTIVITY_TYPES,
    FUNDING_SOURCES,
    MEMBER_SEGMENTS,
    ORGANISATION_TYPES,
    POLICY_AREAS,
)
from .world import World

__all__ = [
    "ACTIVITIES",
    "ACTIVITY_TYPES",
    "DEMO_PASSWORD",
    "FUNDING_SOURCES",
    "MEMBER_SEGMENTS",
    "ORGANISATION_TYPES",
    "POLICY_AREAS",
    "SCALES",
    "DemoSummary",
    "generate",
]

SCALES = {"S": 1, "M": 10, "L": 100}
DEMO_PASSWORD = "demo"  # noqa: S105 - the documented demo password


@dataclass
class DemoSummary:
    issues: int
    stage_events: int
    consultations: int
    joint_positions: int
    organisations: int
    contacts: int
    activities: int

    def __str__(self) -> str:
        return (
            f"{self.issues:,} issues, {self.stage_events:,} stage events, {self.consultations:,} "
            f"consultations, {self.joint_positions:,} joint positions, {self.organisations:,} "
            f"organisations, {self.contacts:,} contacts, {self.activities:,} activities"
        )


def generate(db: Database, *, scale: str = "S", seed: int = 7, today: dt.date) -> DemoSummary:
    """Fill an empty database with demo data and the demo accounts."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}")
    k = SCALES[scale]
    rng = random.Random(f"{seed}-{scale}-{today.isoformat()}")
    stamp = dt.datetime.combine(today, dt.time(9, 0))
    # Hash outside the transaction: argon2 is deliberately slow.
    demo_hash = hash_password(DEMO_PASSWORD)
    owner_hash = hash_password(f"{rng.random()}-{seed}-locked")

    def work(tx: Tx) -> DemoSummary:
        return _build(tx, World(rng, k, today, stamp), demo_hash, owner_hash)

    return db.write(work)


def _build(tx: Tx, world: World, demo_hash: str, owner_hash: str) -> DemoSummary:
    build_accounts(tx, world, demo_hash, owner_hash)
    build_reference_lists(tx)
    n_orgs = build_organisations(tx, world)
    n_contacts = build_contacts(tx, world)
    n_issues, n_events = build_issues(tx, world)
    n_jp = build_joint_positions(tx, world)
    n_cons = build_consultations(tx, world)
    n_act = build_activities(tx, world)
    k, today = world.k, world.today
    tx.audit("system", "database", None, "demo data", {"scale": [None, k], "today": [None, today.isoformat()]})
    return DemoSummary(n_issues, n_events, n_cons, n_jp, n_orgs, n_contacts, n_act)
