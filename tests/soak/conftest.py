"""The soak run is long (minutes): it runs under `make soak` (SOAK=1), never in `make test`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.helpers import chromium_path


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    reason = None
    if os.environ.get("SOAK") != "1":
        reason = "soak tests run with `make soak` (SOAK=1)"
    elif not chromium_path():
        reason = "chromium is not installed (apt-get install -y chromium)"
    if reason is None:
        return
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.skip(reason=reason))
