"""Accounts the issue service tests act as (on the empty ``db``: no account rows needed)."""

from __future__ import annotations

import pytest

from tracker.domain.enums import Role
from tracker.domain.models import User


@pytest.fixture
def editor(db):
    return User(id=1, username="olivia", role=Role.EDITOR)


@pytest.fixture
def other(db):
    return User(id=2, username="karol", role=Role.EDITOR)
