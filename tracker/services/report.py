"""The board report: the overview's current view as one self-contained HTML file.

Self-contained means it opens on an intranet without internet access: plotly.js is inlined
from the copy bundled with the plotly package, the charts stay interactive, and the file
prints cleanly. Every piece of user text is HTML-escaped; figure JSON is embedded so that no
``<`` can close the script element.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from tracker.domain.clock import format_date, format_timestamp
from tracker.domain.enums import ConsultationType, ResponseStatus

from .metrics import Overview


@dataclass(frozen=True)
class ReportChart:
    """One chart of the report: its title, the figure as Plotly JSON (None: nothing to draw)
    and the sentence shown instead when empty."""

    key: str
    title: str
    figure_json: str | None
    empty: str
    subtitle: tuple[str, ...] = ()  # lines of plain text under the title


# The report's tables and the Overview's (tracker.ui.overview.tables) share these headers, so the
# board reads the same words on paper as on screen.
UPCOMING_TITLE = "Next consultation deadlines"
UPCOMING_HEADERS = ("Closes", "Consultation", "Type", "Our response", "Linked issues")
RESPONSE_AREA_TITLE = "Consultation response rate by policy area"
RESPONSE_AREA_HEADERS = ("Policy area", "Submitted", "Missed", "Skipped (left out)", "Response rate")
PAIRS_TITLE = "Who co-signs most often"
PAIRS_HEADERS = ("Organisation", "Co-signed with", "Positions together")


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _script_json(text: str) -> str:
    """JSON safe inside a <script> element: no '<' (so no '</script>'), no line separators."""
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _label(enum: type, value: object) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return str(value)


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]], empty: str) -> str:
    if not rows:
        return f'<p class="empty">{_e(empty)}</p>'
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;
color:#1f2933;background:#fff;padding:0 1rem;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d9dee3;
padding-bottom:.3rem} .meta{color:#52606d;margin:.1rem 0}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:.8rem;margin-top:1rem}
.kpi{border:1px solid #d9dee3;border-radius:8px;padding:.7rem .9rem}
.kpi .v{font-size:1.8rem;font-weight:600} .kpi .l{color:#52606d;font-size:.9rem}
.kpi .d{font-size:.85rem} .kpi .n{font-size:.8rem;color:#52606d} .kpi .h{font-size:.75rem;color:#7b8794;margin-top:.3rem}
.chart{margin:1.2rem 0;page-break-inside:avoid;break-inside:avoid}
.chart h3{font-size:1rem;margin:.2rem 0} .chart .sub{color:#52606d;font-size:.85rem;margin:.1rem 0 .3rem} .empty{color:#52606d;font-style:italic}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0} th,td{border-bottom:1px solid #e4e7eb;
text-align:left;padding:.3rem .4rem;vertical-align:top} th{background:#f5f7fa}
@media print{body{margin:0;max-width:none}.chart{page-break-inside:avoid}}
"""


def board_report_html(
    ov: Overview,
    charts: Sequence[ReportChart],
    *,
    generated_by: str,
    generated_at: dt.datetime,
) -> str:
    """The report as one HTML document (UTF-8 text)."""
    f = ov.filters
    p = f.period
    parts: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e('Board report · ' + p.label)}</title>",
        f"<style>{_CSS}</style>",
        f'<script type="text/javascript">{_plotly_js()}</script>',
        "</head><body>",
        "<h1>Policy influence: board report</h1>",
        f'<p class="meta">Period {_e(p.label)}, compared with {_e(p.prev_label)}.</p>',
        f'<p class="meta">Issues: {_e(f.describe())}.</p>',
        f'<p class="meta">Prepared by {_e(generated_by)} on {_e(format_timestamp(generated_at))}; '
        f"figures as of {_e(format_date(ov.today))}.</p>",
        "<h2>Key figures</h2>",
        '<div class="kpis">',
    ]
    for k in ov.kpis:
        delta = k.delta_text
        parts.append(
            '<div class="kpi">'
            f'<div class="l">{_e(k.label)}</div><div class="v">{_e(k.value_text)}</div>'
            + (f'<div class="d">{_e(delta)} against the previous period ({_e(k.previous_text)})</div>' if delta else "")
            + (f'<div class="n">{_e(k.note)}</div>' if k.note else "")
            + f'<div class="h">{_e(k.help)}</div></div>'
        )
    parts.append("</div>")

    parts.append("<h2>Charts</h2>")
    scripts: list[str] = []
    for i, c in enumerate(charts):
        parts.append(f'<div class="chart"><h3>{_e(c.title)}</h3>')
        if c.subtitle:
            parts.append(f'<p class="sub">{"<br>".join(_e(line) for line in c.subtitle)}</p>')
        if c.figure_json is None:
            parts.append(f'<p class="empty">{_e(c.empty)}</p></div>')
            continue
        div = f"chart-{i}"
        parts.append(f'<div id="{div}"></div></div>')
        scripts.append(
            f"(function(){{var f={_script_json(c.figure_json)};"
            f'Plotly.newPlot("{div}",f.data,f.layout,{{responsive:true,displaylogo:false}});}})();'
        )

    parts.append(f"<h2>{_e(UPCOMING_TITLE)}</h2>")
    up = ov.upcoming
    parts.append(
        _table(
            UPCOMING_HEADERS,
            [
                (
                    format_date(pd.Timestamp(r["closes"]).date()),
                    r["title"],
                    _label(ConsultationType, r["type"]),
                    _label(ResponseStatus, r["response_status"]),
                    r["issues"] or "",
                )
                for r in up.to_dict("records")
            ],
            "No consultation closes from today on.",
        )
    )
    parts.append(f"<h2>{_e(RESPONSE_AREA_TITLE)}, {_e(p.label)}</h2>")
    parts.append(
        _table(
            RESPONSE_AREA_HEADERS,
            [
                (
                    r["key"],
                    int(r["submitted"]),
                    int(r["missed"]),
                    int(r["skipped"]),
                    f"{r['rate']:.0%}" if r["rate"] is not None and r["rate"] == r["rate"] else "—",
                )
                for r in ov.response_areas.to_dict("records")
            ],
            "No consultation linked to these issues closed in this period.",
        )
    )
    parts.append(f"<h2>{_e(PAIRS_TITLE)}</h2>")
    parts.append(
        _table(
            PAIRS_HEADERS,
            [(r["a"], r["b"], f"{int(r['positions']):,}") for r in ov.top_pairs.to_dict("records")],
            "No joint position has been co-signed by two organisations yet.",
        )
    )
    parts.append(f"<script>{''.join(scripts)}</script>")
    parts.append("</body></html>")
    return "\n".join(parts)
