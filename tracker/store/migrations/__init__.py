"""Numbered schema migrations: one ``NNN_name.sql`` file each in this folder, applied in order,
each in its own transaction and recorded in ``schema_migrations``. Never edit a released
migration: add the next number."""

from __future__ import annotations

import re
from pathlib import Path

_FOLDER = Path(__file__).resolve().parent
_NAME = re.compile(r"^(\d{3})_(\w+)\.sql$")


def _load() -> list[tuple[int, str, str]]:
    found = []
    for path in sorted(_FOLDER.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise RuntimeError(f"migration file name must look like 001_name.sql: {path.name}")
        found.append((int(match.group(1)), match.group(2).replace("_", " "), path.read_text(encoding="utf-8")))
    numbers = [n for n, _, _ in found]
    if len(set(numbers)) != len(numbers):
        raise RuntimeError(f"two migrations share a number: {numbers}")
    return found


MIGRATIONS: list[tuple[int, str, str]] = _load()
LATEST = MIGRATIONS[-1][0]
