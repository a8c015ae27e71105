"""The demo accounts and the reference lists."""

from __future__ import annotations

from tracker.domain.enums import ReferenceKind, Role
from tracker.store import Tx
from tracker.store.bulk import insert_columns

from .vocabulary import (
    ACTIVITY_TYPES,
    FUNDING_SOURCES,
    MEMBER_SEGMENTS,
    ORGANISATION_TYPES,
    OWNERS,
    POLICY_AREAS,
    STAFF,
)
from .world import World


def build_accounts(tx: Tx, world: World, demo_hash: str, owner_hash: str) -> None:
    """The staff accounts (password demo) and the issue owners' accounts (locked)."""
    insert_columns(
        tx,
        "users",
        {
            "username": [u for u, _, _ in STAFF] + [u for u, _ in OWNERS],
            "display_name": [n for _, n, _ in STAFF] + [n for _, n in OWNERS],
            "email": [f"{u}@cluster.example" for u, _, _ in STAFF] + [f"{u}@cluster.example" for u, _ in OWNERS],
            "role": [r.value for _, _, r in STAFF] + [Role.EDITOR.value] * len(OWNERS),
            "password_hash": [demo_hash] * len(STAFF) + [owner_hash] * len(OWNERS),
            "is_demo": [True] * (len(STAFF) + len(OWNERS)),
        },
    )
    world.owners = ["officer"] + [u for u, _ in OWNERS]


def build_reference_lists(tx: Tx) -> None:
    refs: list[tuple[str, str, int]] = []
    for kind, values in (
        (ReferenceKind.POLICY_AREA, POLICY_AREAS),
        (ReferenceKind.MEMBER_SEGMENT, MEMBER_SEGMENTS),
        (ReferenceKind.FUNDING_SOURCE, FUNDING_SOURCES),
        (ReferenceKind.ACTIVITY_TYPE, ACTIVITY_TYPES),
        (ReferenceKind.ORGANISATION_TYPE, ORGANISATION_TYPES),
    ):
        refs += [(kind.value, v, i) for i, v in enumerate(values)]
    insert_columns(
        tx,
        "reference_values",
        {"kind": [r[0] for r in refs], "value": [r[1] for r in refs], "position": [r[2] for r in refs]},
    )
