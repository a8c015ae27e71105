"""The overview's sidebar filters, kept in the URL so that a shared link opens the same view.

The URL is the source of truth when the page opens (the sign-in form keeps it, so a link
survives the recipient's sign-in); after that the widgets are, and every change is written
back to the URL.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from tracker.domain.enums import Level, Lifecycle
from tracker.services import metrics
from tracker.ui.overview import data, selection

URL_KEYS = ("period", "from", "to", "area", "level", "owner", "tag", "status")
_PREFIX = "ov_f_"
_W = {
    "period": _PREFIX + "period",
    "range": _PREFIX + "range",
    "area": _PREFIX + "area",
    "level": _PREFIX + "level",
    "owner": _PREFIX + "owner",
    "tag": _PREFIX + "tag",
    "status": _PREFIX + "status",
}


def _url_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in URL_KEYS if st.query_params.get_all(k)}


def _seed(url: metrics.Filters, choices: dict[str, list]) -> None:
    """Put the URL's filters into the widgets the first time the page runs in this session."""
    if _W["period"] in st.session_state:
        return
    s = url.scope
    owners = [u for u, _ in choices["owners"]]
    st.session_state[_W["period"]] = url.period.kind
    st.session_state[_W["range"]] = (url.period.start, url.period.end)
    st.session_state[_W["area"]] = [a for a in s.areas if a in choices["areas"]]
    st.session_state[_W["level"]] = list(s.levels)
    st.session_state[_W["owner"]] = [o for o in s.owners if o in owners]
    st.session_state[_W["tag"]] = [t for t in s.tags if t in choices["tags"]]
    st.session_state[_W["status"]] = list(s.lifecycles)


def _reset() -> None:
    for key in _W.values():
        st.session_state.pop(key, None)
    for key in (*URL_KEYS, *selection.URL_KEYS):
        if key in st.query_params:
            del st.query_params[key]


def sidebar_filters(today: dt.date) -> metrics.Filters:
    """Draw the filters in the sidebar and return them; the URL is updated to match."""
    choices = data.choices()
    _seed(metrics.filters_from_params(_url_params(), today), choices)
    owner_names = dict(choices["owners"])
    with st.sidebar:
        st.divider()
        st.markdown("**Overview filters**")
        kind = st.selectbox(
            "Period", list(metrics.PERIOD_KINDS), format_func=metrics.PERIOD_KINDS.__getitem__, key=_W["period"]
        )
        start = end = None
        if kind == "custom":
            if _W["range"] not in st.session_state:
                p12 = metrics.make_period("12m", today)
                st.session_state[_W["range"]] = (p12.start, p12.end)
            picked = st.date_input(
                "From – to", key=_W["range"], max_value=today, format="DD/MM/YYYY", help="Pick the first and last day."
            )
            if isinstance(picked, (tuple, list)):
                start = picked[0] if len(picked) > 0 else None
                end = picked[1] if len(picked) > 1 else None
            elif isinstance(picked, dt.date):
                start = picked
        areas = st.multiselect("Policy area", choices["areas"], key=_W["area"], placeholder="All areas")
        levels = st.multiselect(
            "Level",
            [m.value for m in Level],
            format_func=metrics.LEVEL_LABELS.__getitem__,
            key=_W["level"],
            placeholder="All",
        )
        owners = st.multiselect(
            "Owner",
            list(owner_names),
            format_func=lambda u: owner_names.get(u, u),
            key=_W["owner"],
            placeholder="All owners",
        )
        tags = st.multiselect("Tag", choices["tags"], key=_W["tag"], placeholder="Any tag")
        statuses = st.multiselect(
            "Lifecycle status",
            [m.value for m in Lifecycle],
            format_func=metrics.LIFECYCLE_LABELS.__getitem__,
            key=_W["status"],
            placeholder="Any status",
        )
        st.button("Reset filters", on_click=_reset, key=_PREFIX + "reset", icon=":material/restart_alt:")
        st.caption("The filters are part of this page's address: copy it to share this view.")
    period = metrics.make_period(kind, today, start, end)
    scope = metrics.Scope(
        areas=tuple(sorted(areas)),
        levels=tuple(sorted(levels)),
        owners=tuple(sorted(owners)),
        tags=tuple(sorted(tags)),
        lifecycles=tuple(sorted(statuses)),
    )
    filters = metrics.Filters(period, scope)
    wanted = metrics.filters_to_params(filters)
    if wanted != _url_params():
        # Only the filters' own keys, set in one change (one history entry; a removed filter
        # adds one): the open sections stay open. A selection belonged to the old view, so it goes.
        st.query_params.update(wanted)
        for k in URL_KEYS:
            if k in st.query_params and k not in wanted:
                del st.query_params[k]
        selection.forget()
    return filters
