"""A failed write names its own cause, so the log and the message point at the real problem."""

from __future__ import annotations

import pytest

from tracker.domain.errors import StorageError
from tracker.store.bulk import insert_columns


def test_a_failed_bulk_insert_reports_its_cause(demo):
    with pytest.raises(StorageError) as caught:
        demo.write(lambda tx: insert_columns(tx, "organisations", {"id": [1], "name": ["Same id again"]}))
    assert "Current transaction is aborted" not in str(caught.value)
    assert "Duplicate key" in str(caught.value) or "constraint" in str(caught.value).lower()
