"""Backups that restore: taken through the app's own connection, verified by reading them back,
recorded in the ``backups`` table, pruned to the newest few; restored only into a stopped app's
file, never from a newer schema, and checked row by row count afterwards.

Settings (environment): ``TRACKER_BACKUP_DIR`` (folder, default data/backups),
``TRACKER_BACKUP_HOUR`` (hour of the nightly backup in the organisation's time zone, default 2;
``off`` disables it) and ``TRACKER_BACKUP_KEEP`` (how many backups to keep, default 14).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker import config
from tracker.domain import clock
from tracker.domain.enums import Role
from tracker.domain.errors import InvalidInput, StorageError, TrackerError
from tracker.domain.models import User
from tracker.store import Database
from tracker.store import backup as store
from tracker.store.migrations import LATEST

from . import guard, upload_guard
from .background import BackgroundJob

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
FORMAT = "policy-influence-tracker backup"
NIGHTLY = "nightly job"
_NAME = re.compile(r"^tracker-\d{8}-\d{6}(-\d+)?$")


MANIFEST_MAX_BYTES = 1024 * 1024


class RestoreRefused(TrackerError):
    """The backup cannot be restored (missing, damaged, newer schema, target in use)."""


# ------------------------------------------------------------------ settings


def folder() -> Path:
    return config.backup_dir()


def nightly_hour() -> int | None:
    """The hour of the nightly backup, or None when switched off."""
    raw = os.environ.get("TRACKER_BACKUP_HOUR", "2").strip().lower()
    if raw in ("off", "none", "", "-1"):
        return None
    try:
        hour = int(raw)
    except ValueError:
        raise InvalidInput.one("TRACKER_BACKUP_HOUR", "must be an hour from 0 to 23, or off") from None
    if not 0 <= hour <= 23:
        raise InvalidInput.one("TRACKER_BACKUP_HOUR", "must be an hour from 0 to 23, or off")
    return hour


def keep() -> int:
    raw = os.environ.get("TRACKER_BACKUP_KEEP", "14").strip()
    try:
        n = int(raw)
    except ValueError:
        raise InvalidInput.one("TRACKER_BACKUP_KEEP", "must be a whole number of at least 1") from None
    if n < 1:
        raise InvalidInput.one("TRACKER_BACKUP_KEEP", "must be a whole number of at least 1")
    return n


# ------------------------------------------------------------------ taking backups


@dataclass
class BackupResult:
    path: Path
    taken_at: dt.datetime
    taken_by: str
    schema_version: int
    verified: bool
    detail: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def _new_folder(root: Path, at: dt.datetime) -> Path:
    base = f"tracker-{clock.local(at):%Y%m%d-%H%M%S}"
    path = root / base
    n = 1
    while path.exists() or path.with_name(path.name + ".partial").exists():
        n += 1
        path = root / f"{base}-{n}"
    return path


def _verify(expected: dict[str, int], found: dict[str, int]) -> tuple[bool, str]:
    problems = []
    for table, count in sorted(expected.items()):
        got = found.get(table)
        if got != count:
            problems.append(
                f"{table}: {count:,} rows in the database, {'none' if got is None else f'{got:,}'} in the backup"
            )
    for table in sorted(set(found) - set(expected)):
        problems.append(f"{table}: in the backup but not in the database")
    if problems:
        return False, "verification failed — " + "; ".join(problems[:5])
    return True, f"verified: {len(expected)} tables, {sum(expected.values()):,} rows read back"


def take(db: Database, *, taken_by: str, root: Path | None = None) -> BackupResult:
    """A backup of ``db`` in a new folder under ``root``, verified by reading it back."""
    root = Path(root or folder())
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"Cannot create the backup folder {root}: {exc.strerror or exc}") from None
    if not os.access(root, os.W_OK):
        raise StorageError(f"The backup folder {root} is not writable by the app.")
    taken_at = clock.now()
    version = db.schema_version()
    target = _new_folder(root, taken_at)
    partial = target.with_name(target.name + ".partial")
    try:
        counts = store.export_database(db, partial)
        verified, detail = _verify(counts, store.backup_counts(partial))
        (partial / MANIFEST).write_text(
            json.dumps(
                {
                    "format": FORMAT,
                    "schema_version": version,
                    "taken_at": taken_at.isoformat(),
                    "taken_by": taken_by,
                    "tables": counts,
                    "verified": verified,
                },
                indent=2,
            ),
            encoding="utf-8",
        )
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    store.record(
        db,
        path=str(target),
        taken_at=taken_at,
        taken_by=taken_by,
        schema_version=version,
        verified=verified,
        detail=detail,
    )
    if verified:
        prune(root, keep())
    else:
        log.error("backup %s: %s", target, detail)
    return BackupResult(target, taken_at, taken_by, version, verified, detail, counts)


def backup_now(db: Database, actor: User, root: Path | None = None) -> BackupResult:
    """An on-demand backup from the Admin page."""
    guard.require_role(actor, Role.ADMIN)
    return take(db, taken_by=actor.username, root=root)


def prune(root: Path, keep_count: int) -> list[Path]:
    """Delete all but the newest ``keep_count`` backups in ``root`` (only folders this app made)."""
    ours = sorted(
        (p for p in root.iterdir() if p.is_dir() and _NAME.match(p.name) and (p / MANIFEST).exists()),
        key=_order,
        reverse=True,
    )
    removed = []
    for old in ours[keep_count:]:
        shutil.rmtree(old, ignore_errors=True)
        removed.append(old)
    return removed


def _order(path: Path) -> tuple[str, int]:
    """tracker-YYYYMMDD-HHMMSS[-n] in the order taken (-10 after -9)."""
    stamp, suffix = (
        path.name[len("tracker-") : len("tracker-YYYYMMDD-HHMMSS")],
        path.name[len("tracker-YYYYMMDD-HHMMSS-") :],
    )
    return stamp, int(suffix) if suffix.isdigit() else 1


def history(db: Database, actor: User, limit: int = 50) -> list[dict[str, Any]]:
    """Recorded backups, newest first, with whether each folder is still there."""
    guard.require_role(actor, Role.ADMIN)
    rows = store.recorded(db, limit)
    for r in rows:
        r["present"] = Path(r["path"]).is_dir()
    return rows


# ------------------------------------------------------------------ restoring


@dataclass
class RestoreResult:
    target: Path
    source: Path
    schema_version: int
    counts: dict[str, int]
    previous: Path | None

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def read_manifest(source: Path) -> dict[str, Any]:
    path = source / MANIFEST
    if not source.is_dir():
        raise RestoreRefused(f"{source} is not a folder; give the backup's folder (tracker-YYYYMMDD-HHMMSS).")
    if not path.exists():
        raise RestoreRefused(f"{source} has no {MANIFEST}: it is not a backup made by this app.")
    try:
        # The shared upload guard first: a folder or manifest no backup has is refused unread.
        upload_guard.check_backup_folder(source)
        if path.stat().st_size > MANIFEST_MAX_BYTES:
            raise upload_guard.UploadRefused(f"{path} is larger than any manifest this app writes")
        text = path.read_text(encoding="utf-8")
        upload_guard.check_json_depth(text)
        manifest = json.loads(text)
    except upload_guard.UploadRefused as exc:
        raise RestoreRefused(f"This is not a backup made by this app: {exc.reason}.") from None
    except (OSError, ValueError):
        raise RestoreRefused(f"{path} cannot be read: the backup is damaged.") from None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or not isinstance(manifest.get("tables"), dict)
    ):
        raise RestoreRefused(f"{path} is not the manifest of a backup made by this app.")
    return manifest


def check(source: Path) -> dict[str, Any]:
    """A backup's manifest after checking it can be restored by this code; else :class:`RestoreRefused`."""
    manifest = read_manifest(source)
    version = manifest.get("schema_version")
    recorded_version = store.backup_schema_version(source)
    if not isinstance(version, int) or (recorded_version is not None and recorded_version != version):
        raise RestoreRefused(f"The backup in {source} has an inconsistent schema version; it cannot be trusted.")
    if version > LATEST:
        raise RestoreRefused(
            f"The backup in {source} has schema version {version}, newer than this application ({LATEST}). "
            "Update the application first, then restore."
        )
    ok, detail = _verify(manifest["tables"], store.backup_counts(source))
    if not ok:
        raise RestoreRefused(f"The backup in {source} is incomplete: {detail}")
    return manifest


def restore(source: Path, target: Path, *, replace: bool = False) -> RestoreResult:
    """Build ``target`` from the backup in ``source`` (the app must be stopped).

    An existing ``target`` is replaced only with ``replace``, and kept beside it as
    ``<name>.before-restore-<time>``. The new file is built aside and moved into place only after
    its row counts match the backup's.
    """
    source, target = Path(source), Path(target)
    manifest = check(source)
    if target.exists():
        if not replace:
            raise RestoreRefused(f"{target} exists; add --force to replace it (it is kept as a .before-restore copy).")
        # Refuses (DatabaseUnavailable) while the running app holds the file.
        Database.open(target, migrate=False).close()
    if not target.parent.is_dir():
        raise RestoreRefused(f"Folder {target.parent} does not exist.")
    building = target.with_name(target.name + ".restoring")
    for leftover in (building, building.with_name(building.name + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        counts = store.import_database(building, source)
        expected = {t: n for t, n in manifest["tables"].items()}
        ok, detail = _verify(expected, counts)
        if not ok:
            raise RestoreRefused(f"The restored database does not match the backup: {detail}")
        # Migrates a backup of an older schema up to this code's.
        Database.open(building).close()
    except BaseException:
        for leftover in (building, building.with_name(building.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    previous = None
    if target.exists():
        previous = target.with_name(f"{target.name}.before-restore-{clock.local(clock.now()):%Y%m%d-%H%M%S}")
        target.rename(previous)
        wal = target.with_name(target.name + ".wal")
        if wal.exists():
            wal.rename(previous.with_name(previous.name + ".wal"))
    building.rename(target)
    return RestoreResult(target, source, int(manifest["schema_version"]), counts, previous)


# ------------------------------------------------------------------ the nightly job


def next_run(now_local: dt.datetime, hour: int) -> dt.datetime:
    """The next time the clock in the organisation's zone shows ``hour``:00."""
    run = now_local.replace(hour=hour, minute=0, second=0, microsecond=0)
    return run if run > now_local else run + dt.timedelta(days=1)


def due(db: Database, now_local: dt.datetime, hour: int) -> bool:
    """Whether tonight's backup is due and not yet taken (also after a restart past the hour)."""
    if now_local.hour < hour:
        return False
    last = store.last_taken_by(db, NIGHTLY)
    return last is None or clock.local(last).date() < now_local.date()


class NightlyBackups(BackgroundJob["BackupResult"]):
    """A daemon thread that takes one backup a night through the app's connection."""

    def __init__(self, get_db: Callable[[], Database], *, poll_seconds: float = 60.0) -> None:
        super().__init__(get_db, poll_seconds=poll_seconds, name="nightly-backups", log=log)

    def run_once(self) -> BackupResult | None:
        """Take tonight's backup if it is due; never raises."""
        return self.guarded(self._take_if_due, "nightly backup")

    def _take_if_due(self) -> BackupResult | None:
        hour = nightly_hour()
        if hour is None:
            return None
        db = self._get_db()
        now_local = clock.local(clock.now())
        if not due(db, now_local, hour):
            return None
        self.last = take(db, taken_by=NIGHTLY)
        self.last_error = None if self.last.verified else self.last.detail
        return self.last
