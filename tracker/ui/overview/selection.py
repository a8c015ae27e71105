"""The Overview's drill-down selection, kept in the page's address like the filters.

A click on a bar is first a Plotly widget's state, which lives only in this browser session.
Copied into the query parameters (one ``drill=<chart>~<element>`` per selected element), it
survives Back and forward, a reload and a shared link. One parameter, so that a click adds one
entry to the browser's history (each change of the query parameters pushes one). The address
is the source of truth:

* when the address changed under us (Back, forward, a link, a new session), it wins, and the
  charts' own selections are dropped (their widgets get a new key) so no bar stays highlighted
  for a list that is no longer shown;
* otherwise a chart whose selection the user just changed writes it to the address; emptying
  it (a double click) removes it.

Only one chart's selection is listed at a time: selecting on another chart replaces it.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from tracker import charts
from tracker.services.metrics import DrillTarget

URL_KEYS = ("drill",)
_SEP = "~"
MAX_PICKS = 12  # what a link may carry; the page lists at most three
_WRITTEN = "ov_sel_written"  # the selection this session last put into (or read from) the address
_SEEN = "ov_sel_seen"  # per chart: the widget selection seen on the previous run
_GEN = "ov_sel_gen"  # per chart: bumped to give its widget a new key (which clears its selection)


@dataclass(frozen=True)
class Selection:
    """A chart and the encoded targets picked on it (empty: nothing selected)."""

    chart: str = ""
    picks: tuple[str, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.chart and self.picks)

    def params(self) -> dict[str, list[str]]:
        return {"drill": [f"{self.chart}{_SEP}{p}" for p in self.picks]} if self else {}


def from_params(params: dict[str, list[str]]) -> Selection:
    """The selection a link names (the first chart named; its elements); anything unknown or
    malformed is ignored, never an error."""
    chart = ""
    picks: list[str] = []
    for value in params.get("drill") or []:
        name, _, pick = value.partition(_SEP)
        if name not in charts.CHARTS or (chart and name != chart):
            continue
        target = DrillTarget.decode(pick)
        if target is not None and target.encode() not in picks:
            chart = name
            picks.append(target.encode())
    return Selection(chart, tuple(picks[:MAX_PICKS])) if picks else Selection()


def _url() -> Selection:
    return from_params({k: st.query_params.get_all(k) for k in URL_KEYS})


def _write(sel: Selection) -> None:
    """One change of the address (one history entry)."""
    if sel:
        st.query_params.update(sel.params())
    elif "drill" in st.query_params:
        del st.query_params["drill"]


def widget_key(name: str, view_key: object) -> str:
    """The chart's widget key: it carries the filters (a selection never outlives its view) and
    a generation (bumped to clear a selection the address no longer holds)."""
    gen = st.session_state.get(_GEN, {}).get(name, 0)
    return f"ov_chart_{name}_{zlib.crc32(repr(view_key).encode()):08x}_{gen}"


def _widget_picks(name: str, view_key: object) -> tuple[str, ...]:
    state: Any = st.session_state.get(widget_key(name, view_key))
    selection = state.get("selection") if isinstance(state, dict) else getattr(state, "selection", None)
    return tuple(t.encode() for t in charts.selection_targets(selection))


def current(names: Iterable[str], view_key: object) -> Selection:
    """Reconcile the address with the charts' widget selections (call once per run, before any
    chart is drawn) and return the selection to list."""
    ss = st.session_state
    url = _url()
    seen: dict[str, tuple[str, ...]] = ss.setdefault(_SEEN, {})
    gens: dict[str, int] = ss.setdefault(_GEN, {})
    names = list(names)
    if _WRITTEN not in ss or ss[_WRITTEN] != url:
        # Back, forward, a link or a new session: the address wins over what the charts hold.
        for name in names:
            if seen.get(name):
                gens[name] = gens.get(name, 0) + 1
            seen[name] = ()
        ss[_WRITTEN] = url
        return url
    chosen = url
    for name in names:
        picks = _widget_picks(name, view_key)
        if picks == seen.get(name, ()):
            continue
        seen[name] = picks
        if picks:
            chosen = Selection(name, picks)
        elif url.chart == name:
            chosen = Selection()
    if chosen != url:
        for name in names:  # one chart's selection at a time: clear the others' highlight
            if name != chosen.chart and seen.get(name):
                gens[name] = gens.get(name, 0) + 1
                seen[name] = ()
        _write(chosen)
        ss[_WRITTEN] = chosen
    return chosen


def targets(sel: Selection, fig: object) -> list[DrillTarget]:
    """The selection's targets with the labels the chart gives them (from its points' customdata)."""
    labels: dict[str, str] = {}
    for trace in getattr(fig, "data", ()) or ():
        for cd in getattr(trace, "customdata", None) or ():
            if isinstance(cd, (list, tuple)) and len(cd) > 1 and isinstance(cd[0], str):
                labels.setdefault(cd[0], str(cd[1]))
    out = []
    for p in sel.picks:
        t = DrillTarget.decode(p, labels.get(p, ""))
        if t is not None:
            out.append(t)
    return out


def forget() -> None:
    """Drop the selection from the address (the filters changed, or the user closed its list)."""
    _write(Selection())
