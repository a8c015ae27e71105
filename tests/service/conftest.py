"""Accounts the issue service tests act as (on the empty ``db``: no account rows needed), and
cheap password hashing for the account tests."""

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


@pytest.fixture
def cheap_hashing(monkeypatch):
    """argon2id with minimal cost: the account tests are about who may do what and how often,
    not hash strength."""
    from argon2 import PasswordHasher

    from tracker.services import passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", cheap.hash("dummy"))
