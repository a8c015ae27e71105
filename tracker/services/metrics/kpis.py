"""The KPI tiles: what each counts, its definition, and the change from the previous period."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .periods import DUE_DAYS

# ------------------------------------------------------------------ KPIs


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    value: float | None
    previous: float | None
    help: str
    percent: bool = False
    note: str = ""
    # "normal": a rise is good; "off": neither good nor bad.
    delta_color: Literal["normal", "off"] = "normal"

    @property
    def value_text(self) -> str:
        if self.value is None:
            return "—"
        return f"{self.value:.0%}" if self.percent else f"{self.value:,.0f}"

    @property
    def previous_text(self) -> str:
        if self.previous is None:
            return "—"
        return f"{self.previous:.0%}" if self.percent else f"{self.previous:,.0f}"

    @property
    def delta_text(self) -> str | None:
        """The change against the previous period, or None when either side is unknown."""
        if self.value is None or self.previous is None:
            return None
        if self.percent:
            pts = round((self.value - self.previous) * 100)
            return f"{pts:+d} pts" if pts else "no change"
        diff = round(self.value - self.previous)
        return f"{diff:+,d}" if diff else "no change"


KPI_HELP = {
    "active": (
        "Active issue: lifecycle status active (as recorded now) and not archived at the period's end; "
        "issues count from their first stage event."
    ),
    "top_rungs": (
        "Share of the active issues whose rung at the period's end is Active influencing (4) or Policy uptake (5)."
    ),
    "moved_up": (
        "Moved up: the rung at the period's end (or at the archive date) is above the rung at its start "
        "(net; an issue identified during the period starts where it was first recorded)."
    ),
    "due": (
        f"Due: open or upcoming consultations closing within {DUE_DAYS} days of today (compared with the same "
        "window before the previous period's end). With filters, only consultations linked to a selected issue."
    ),
    "response": (
        "Response rate: among consultations that closed in the period and are linked to one of our issues, "
        "submitted ÷ (submitted + missed). Missed: closed without a submitted response. Deliberately skipped "
        "ones are shown apart and left out of the rate."
    ),
    "published": "Joint positions with status published and a publication date in the period.",
    "partners": (
        "Active partner: an organisation with a signature (agreed, dated in the period) on a joint position "
        "or an activity with us in the period."
    ),
}


def build_kpis(row: Mapping[str, Any], prev: Mapping[str, Any]) -> list[Kpi]:
    def rate(r: Mapping[str, Any]) -> float | None:
        d = int(r["submitted"]) + int(r["missed"])
        return int(r["submitted"]) / d if d else None

    def share(r: Mapping[str, Any]) -> float | None:
        return int(r["top_rungs"]) / int(r["active"]) if int(r["active"]) else None

    return [
        Kpi("active", "Active issues", row["active"], prev["active"], KPI_HELP["active"]),
        Kpi(
            "top_rungs",
            "Active issues at rungs 4–5",
            share(row),
            share(prev),
            KPI_HELP["top_rungs"],
            percent=True,
            note=f"{int(row['top_rungs']):,} of {int(row['active']):,} active issues",
        ),
        Kpi(
            "moved_up",
            "Issues that moved up",
            row["moved_up"],
            prev["moved_up"],
            KPI_HELP["moved_up"],
            note=f"{int(row['moved_down']):,} moved down",
        ),
        Kpi(
            "due",
            f"Consultations due in {DUE_DAYS} days",
            row["due_30"],
            prev["due_30"],
            KPI_HELP["due"],
            delta_color="off",
        ),
        Kpi(
            "response",
            "Consultation response rate",
            rate(row),
            rate(prev),
            KPI_HELP["response"],
            percent=True,
            note=(
                f"{int(row['submitted']):,} submitted, {int(row['missed']):,} missed; "
                f"{int(row['skipped']):,} skipped (left out)"
            ),
        ),
        Kpi("published", "Joint positions published", row["published"], prev["published"], KPI_HELP["published"]),
        Kpi(
            "partners",
            "Active partner organisations",
            row["active_partners"],
            prev["active_partners"],
            KPI_HELP["partners"],
        ),
    ]
