"""What the demo builders share: the random source, the scale and the rows built so far."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field


@dataclass
class World:
    """One build's state. The builders run in a fixed order and draw from one random source, so
    the same seed and today give the same data; later builders refer to earlier builders' rows."""

    rng: random.Random
    k: int  # the scale's multiplier
    today: dt.date
    stamp: dt.datetime  # 09:00 on today, for rows whose creation time is not part of the story
    owners: list[str] = field(default_factory=list)
    org_ids: list[int] = field(default_factory=list)
    partner_ids: list[int] = field(default_factory=list)
    contact_ids: list[int] = field(default_factory=list)
    issue_ids: list[int] = field(default_factory=list)
    title_of: dict[int, str] = field(default_factory=dict)
    area_of: dict[int, str] = field(default_factory=dict)
    final_stage: dict[int, int] = field(default_factory=dict)
    issue_start: dict[int, dt.date] = field(default_factory=dict)
    jp_of_issue: dict[int, int] = field(default_factory=dict)
