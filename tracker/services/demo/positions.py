"""Demo joint positions with partner organisations and their signatories."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from tracker.domain.enums import JointPositionStatus, SignatoryStatus
from tracker.store import Tx
from tracker.store.bulk import insert_columns, next_ids

from .world import World

INSTITUTIONS = ["European Commission", "European Parliament", "Council of the EU", "Ministry of Health"]


def build_joint_positions(tx: Tx, world: World) -> int:
    rng, today = world.rng, world.today
    n_jp = 8 * world.k
    jp_ids = next_ids(tx, "joint_positions", n_jp)
    jps: dict[str, list[Any]] = defaultdict(list)
    jp_links: dict[str, list[Any]] = defaultdict(list)
    sigs: dict[str, list[Any]] = defaultdict(list)
    for j, jid in enumerate(jp_ids):
        iid = world.issue_ids[(j * 5) % len(world.issue_ids)]
        status = rng.choices(list(JointPositionStatus), weights=[1, 2, 2, 1, 4])[0]
        # Recent work is denser than old work, so "this quarter" has something to show.
        ago = int(rng.triangular(3, 700, 3))
        published = today - dt.timedelta(days=ago) if status == JointPositionStatus.PUBLISHED else None
        title = world.title_of[iid]
        jps["id"].append(jid)
        jps["title"].append(f"Joint position: {title.split(':')[0]}")
        jps["summary"].append("Partner clusters call for proportionate rules that keep SMEs in the market.")
        jps["status"].append(status.value)
        jps["lead_organisation_id"].append(rng.choice(world.partner_ids))
        jps["target_institution"].append(rng.choice(INSTITUTIONS))
        jps["published_on"].append(published)
        jps["document_url"].append(f"https://www.cluster.example/positions/{jid}.pdf" if published else None)
        jps["created_at"].append(world.stamp - dt.timedelta(days=rng.randint(30, 800)))
        jp_links["joint_position_id"].append(jid)
        jp_links["issue_id"].append(iid)
        world.jp_of_issue[iid] = jid
        _signatories(world, jid, status, published or today - dt.timedelta(days=rng.randint(1, 60)), sigs)
    insert_columns(tx, "joint_positions", jps)
    insert_columns(tx, "joint_position_issues", jp_links)
    sigs["id"] = next_ids(tx, "signatories", len(sigs["status"]))
    insert_columns(tx, "signatories", sigs)
    return n_jp


def _signatories(
    world: World, jid: int, status: JointPositionStatus, base_day: dt.date, sigs: dict[str, list[Any]]
) -> None:
    """Three to seven partners invited; once circulating, most agree."""
    rng, partner_ids = world.rng, world.partner_ids
    for n, oid in enumerate(rng.sample(partner_ids, min(len(partner_ids), rng.randint(3, 7)))):
        s = (
            rng.choices(list(SignatoryStatus), weights=[1, 6, 1, 0.3])[0]
            if status.rank >= JointPositionStatus.CIRCULATING.rank
            else SignatoryStatus.INVITED
        )
        if n == 0 and status == JointPositionStatus.PUBLISHED:
            s = SignatoryStatus.AGREED  # a published position has at least one agreed signatory
        sigs["joint_position_id"].append(jid)
        sigs["organisation_id"].append(oid)
        sigs["status"].append(s.value)
        sigs["status_date"].append(base_day - dt.timedelta(days=rng.randint(0, 30)))
