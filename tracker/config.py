"""Settings read from the environment; one place, so every entry point agrees."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "tracker.duckdb"


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database path: an explicit one (``--db``), else ``TRACKER_DB``, else data/tracker.duckdb."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("TRACKER_DB")
    return Path(env).expanduser() if env else DEFAULT_DB


def timezone_name() -> str:
    return os.environ.get("TRACKER_TZ", "Europe/Brussels")


def idle_timeout_minutes() -> int:
    return int(os.environ.get("TRACKER_IDLE_MINUTES", "60"))


def backup_dir() -> Path:
    return Path(os.environ.get("TRACKER_BACKUP_DIR", str(PROJECT_ROOT / "data" / "backups")))
