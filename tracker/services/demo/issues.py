"""Demo issues and their ladder history (stage events)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from tracker.domain.enums import Level, Lifecycle, PolicyCycle, Position, Priority, Stage
from tracker.store import Tx
from tracker.store.bulk import insert_columns, next_ids

from .vocabulary import EVIDENCE, ISSUE_TOPICS, MEMBER_SEGMENTS, VARIANTS
from .world import World

TAGS = [
    "MDR",
    "SMEs",
    "digital",
    "funding",
    "sustainability",
    "supply chain",
    "data",
    "procurement",
    "skills",
    "regional",
]
History = list[tuple[int, dt.date]]


def build_issues(tx: Tx, world: World) -> tuple[int, int]:
    """The issues with full stage histories; (issues, stage events)."""
    n_issues = 50 * world.k
    issue_ids = next_ids(tx, "issues", n_issues)
    issues: dict[str, list[Any]] = defaultdict(list)
    events: dict[str, list[Any]] = defaultdict(list)
    for i, iid in enumerate(issue_ids):
        row, start, history = _issue(world, i, iid)
        for key, value in row.items():
            issues[key].append(value)
        world.final_stage[iid] = history[-1][0]
        world.issue_start[iid] = start
        _history(world, iid, row["owner"], history, events)
    insert_columns(tx, "issues", issues)
    world.issue_ids = issue_ids
    world.title_of = dict(zip(issue_ids, issues["title"], strict=True))
    world.area_of = dict(zip(issue_ids, issues["policy_area"], strict=True))
    events["id"] = next_ids(tx, "stage_events", len(events["issue_id"]))
    insert_columns(tx, "stage_events", events)
    return n_issues, len(events["issue_id"])


def _issue(world: World, i: int, iid: int) -> tuple[dict[str, Any], dt.date, History]:
    """One issue's row (the random draws in a fixed order), its start and its ladder history."""
    rng, today = world.rng, world.today
    title, area, level, ref = ISSUE_TOPICS[i % len(ISSUE_TOPICS)]
    round_ = i // len(ISSUE_TOPICS)
    if round_:
        title = f"{title} — {VARIANTS[round_ % len(VARIANTS)]} {round_ // len(VARIANTS) + 1}"
    start = today - dt.timedelta(days=rng.randint(60, 3 * 365))
    stage, _, history = _walk(rng, start, today)
    lifecycle = _lifecycle(rng, stage)
    relevance = rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 4, 4, 3])[0]
    archived = lifecycle in (Lifecycle.DROPPED, Lifecycle.LOST) and rng.random() < 0.4
    last_day = history[-1][1]
    owner = world.owners[i % len(world.owners)]
    row = {
        "id": iid,
        "title": title,
        "summary": f"Tracks {title.split(':')[0]} and its effect on our members. The cluster wants the final text to "
        f"keep compliance costs proportionate for SMEs.\n\nSee the initiative page for the current draft.",
        "policy_area": area,
        "level": level.value,
        "policy_reference": ref,
        "reference_url": "https://ec.europa.eu/info/law/better-regulation/have-your-say" if level == Level.EU else None,
        "policy_cycle": rng.choice(list(PolicyCycle)).value,
        "owner": owner,
        "priority": rng.choices(list(Priority), weights=[3, 5, 2])[0].value,
        "position": rng.choices(list(Position), weights=[4, 2, 5, 1])[0].value,
        "ask": "Proportionate requirements and longer transition periods for SMEs.",
        "member_relevance": relevance,
        "member_segments": rng.sample(MEMBER_SEGMENTS, rng.randint(1, 3)),
        "why_it_matters": "Members face new certification costs and delays in bringing products to market.",
        "target_stage": rng.choice([3, 4, 4, 5]),
        "lifecycle": lifecycle.value,
        "next_review": today + dt.timedelta(days=rng.randint(-20, 90))
        if lifecycle in (Lifecycle.ACTIVE, Lifecycle.PAUSED)
        else None,
        "tags": rng.sample(TAGS, rng.randint(0, 3)),
        "created_at": dt.datetime.combine(start, dt.time(10, 0)),
        "created_by": owner,
        "updated_at": dt.datetime.combine(last_day, dt.time(16, 0)),
        "updated_by": owner,
        "archived_at": dt.datetime.combine(min(today, last_day + dt.timedelta(days=30)), dt.time(12, 0))
        if archived
        else None,
        "version": len(history),
    }
    return row, start, history


def _history(world: World, iid: int, author: str, history: History, events: dict[str, list[Any]]) -> None:
    """The issue's stage events, with evidence for each move up and a reason for each move down."""
    prev: int | None = None
    for n, (to, when) in enumerate(history):
        ref_text, url = EVIDENCE[Stage(to)]
        down = prev is not None and to < prev
        events["issue_id"].append(iid)
        events["from_stage"].append(prev)
        events["to_stage"].append(to)
        events["event_date"].append(when)
        events["author"].append(author)
        events["note"].append(
            "Moved back: the file was reopened after the trilogue stalled."
            if down
            else ("Issue identified and owner set." if prev is None else f"Reached {Stage(to).label}.")
        )
        events["evidence_ref"].append(ref_text.format(n=world.rng.randrange(10**6, 10**7)) if not down else None)
        events["evidence_url"].append(url if not down else None)
        events["recorded_at"].append(dt.datetime.combine(when, dt.time(17, 0)) + dt.timedelta(seconds=n))
        prev = to


def _walk(rng: random.Random, start: dt.date, today: dt.date) -> tuple[int, dt.date, list[tuple[int, dt.date]]]:
    """A plausible ladder history, never in the future: each rung is harder to climb and easier
    to slip from than the one below, so most issues sit mid-ladder and few reach uptake."""
    history = [(0, start)]
    stage, day = 0, start
    while True:
        day = day + dt.timedelta(days=rng.randint(7, 45))
        if day > today:
            break
        r = rng.random()
        down = 0.12 + 0.04 * stage if stage > 0 else 0.0
        up = 0.42 - 0.07 * stage
        if r < down:
            stage -= 1
        elif r < down + up and stage < 5:
            stage += 1
        else:
            continue
        history.append((stage, day))
    return stage, history[-1][1], history


def _lifecycle(rng: random.Random, stage: int) -> Lifecycle:
    if stage == 5:
        return rng.choice([Lifecycle.WON, Lifecycle.WON, Lifecycle.ACTIVE])
    return rng.choices([Lifecycle.ACTIVE, Lifecycle.PAUSED, Lifecycle.LOST, Lifecycle.DROPPED], weights=[16, 2, 1, 1])[
        0
    ]
