"""User text is text: one escaping helper for every title and name shown through Markdown."""

from __future__ import annotations

import re

# Every character Markdown, Streamlit's directives (:red[..], :emoji:), LaTeX ($) or HTML
# could give meaning to is backslash-escaped, so it shows literally.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>:$&=\"'])")


def md(text: object) -> str:
    """``text`` escaped for st.markdown / headers / labels: it renders exactly as typed."""
    if text is None:
        return ""
    s = str(text).replace("\r", " ").replace("\n", " ")
    return _SPECIAL.sub(r"\\\1", s)


def md_multiline(text: object) -> str:
    """Like :func:`md` but keeps line breaks."""
    if text is None:
        return ""
    return "  \n".join(md(line) for line in str(text).splitlines())
