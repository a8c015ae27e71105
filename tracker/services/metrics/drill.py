"""Drill-downs: from a chart's selected element to the issues behind it."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from tracker.domain import clock
from tracker.domain.enums import STAGE_LABELS, Stage
from tracker.store import Database
from tracker.store import metrics as store
from tracker.store.metrics import DRILL_LIMIT

from .periods import LIFECYCLE_LABELS, Filters

# ------------------------------------------------------------------ drill-down

# Argument types of each drill-down kind, in order.
_DRILL_ARGS: dict[str, tuple[type, ...]] = {
    "stage": (int,),
    "month_stage": (dt.date, int),
    "moves": (dt.date, str),
    "transition": (int, int),
    "stay": (int,),
    "relevance": (int, int),
    "deadline_week": (dt.date,),
    "response_year": (int, str),
    "partner": (int,),
    "effort": (str, int),  # the rung may be None: activities not linked to an issue
    "activity_month": (dt.date, bool),
}


@dataclass(frozen=True)
class DrillTarget:
    """One chart element whose issues can be listed: a kind and its arguments.

    ``label`` (what the element shows, in words) travels with it but is not part of its identity.
    """

    kind: str
    args: tuple[Any, ...]
    label: str = field(default="", compare=False)

    def encode(self) -> str:
        """A compact string for a chart point's customdata."""
        return json.dumps([self.kind, *(a.isoformat() if isinstance(a, dt.date) else a for a in self.args)])

    @classmethod
    def decode(cls, text: object, label: str = "") -> DrillTarget | None:
        """The target a customdata string names, or None if it names none (never raises)."""
        try:
            raw = json.loads(str(text))
            kind, values = raw[0], raw[1:]
            types = _DRILL_ARGS[kind]
            if len(values) != len(types):
                return None
            args: list[Any] = []
            for typ, v in zip(types, values, strict=True):
                if v is None and kind == "effort":
                    args.append(None)
                elif typ is dt.date:
                    args.append(dt.date.fromisoformat(v))
                elif typ is bool:
                    if not isinstance(v, bool):
                        return None
                    args.append(v)
                elif typ is int:
                    if isinstance(v, bool) or not isinstance(v, int):
                        return None
                    args.append(v)
                else:
                    if not isinstance(v, str):
                        return None
                    args.append(v)
            return cls(kind, tuple(args), label)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            return None


@dataclass
class DrillResult:
    target: DrillTarget
    rows: pd.DataFrame  # issue_id, title, stage, stage_label, policy_area, owner, lifecycle, detail
    truncated: bool


def drill_issues(db: Database, filters: Filters, target: DrillTarget, today: dt.date | None = None) -> DrillResult:
    """The issues behind one chart element (at most DRILL_LIMIT; ``truncated`` says if cut)."""
    today = today or clock.today()
    p = filters.period
    df = store.drill(db, filters.scope, target.kind, target.args, start=p.start, end=p.end, today=today)
    truncated = len(df) > DRILL_LIMIT
    df = df.head(DRILL_LIMIT).copy()
    df["stage_label"] = [STAGE_LABELS[Stage(int(s))] if pd.notna(s) else "No stage recorded" for s in df["stage"]]
    df["lifecycle"] = [LIFECYCLE_LABELS.get(v, v) for v in df["lifecycle"]]
    df["detail"] = [d if isinstance(d, str) else "" for d in df["detail"]]
    return DrillResult(target, df.reset_index(drop=True), truncated)
