"""Date inputs that send the date typed, so the service saves it or refuses it in words.

``st.date_input`` silently keeps its previous (or default) value when the typed date lies
outside ``min_value``/``max_value`` — in the browser the field only turns red — and its default
range is ten years either side of today. So every date input takes these wide bounds, and the
rules (not in the future, on or after the opening date…) are checked by the services, whose
refusals name the allowed range at the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracker.ui.kit.records import DATE_FORMAT

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)
# Keyword arguments for st.date_input (directly or through FormState.widget).
ANY_DATE: dict[str, Any] = {"min_value": EARLIEST, "max_value": LATEST, "format": DATE_FORMAT}
