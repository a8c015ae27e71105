"""The one DuckDB connection of a process, its cursors and its write transactions.

Every unit of work takes its own cursor (a connection is not thread-safe). Writes are
serialised by one process-wide first-come, first-served lock and retried when DuckDB reports
a write-write conflict; any other database failure becomes a :class:`StorageError`.

A write transaction normally holds the lock from BEGIN to COMMIT. One opened with
``read_first`` does its first reads before taking it (at its first write), so those reads run
alongside the writer ahead of it; if that writer changed a row this one then writes, DuckDB
refuses the write as a conflict and the whole unit runs again on a fresh snapshot.

Every committed write that changed data (any write not opened ``quiet``: sign-in and session
bookkeeping are quiet) adds one to the database's data epoch right after its COMMIT, under the
write lock, and calls the hooks registered with :meth:`Database.on_commit`. The hooks tell this
process at once (the UI clears its caches there); the epoch lets any process notice a write
made by another one by reading one number (:meth:`Database.data_epoch`).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from tracker.domain.errors import DatabaseUnavailable, StorageError

from .migrations import LATEST, MIGRATIONS

log = logging.getLogger(__name__)
T = TypeVar("T")

CONFLICT_RETRIES = 8


class ConflictError(Exception):
    """DuckDB's optimistic concurrency refused a write ("Conflict on ..."); safe to retry."""


def is_conflict(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.TransactionException) and "Conflict on" in str(exc)


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (set, tuple)):
        return list(value)
    return str(value) if not isinstance(value, (str, int, float, bool, list, dict, type(None))) else value


class FairLock:
    """A lock handed to its waiters in the order they asked (first come, first served).

    ``threading.Lock`` lets the thread that just released it take it straight back (it still
    holds the GIL while the woken waiter is not yet running), so under eight busy writers one
    write can wait through many others' and the slowest writes wait far longer than the rest.
    Here ``release`` hands the lock directly to the longest waiter.
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held = False
        self._waiters: deque[threading.Lock] = deque()

    def acquire(self) -> None:
        with self._mutex:
            if not self._held:
                self._held = True
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append(turn)
        try:
            turn.acquire()  # released by ``release`` when it is this waiter's turn: then it holds the lock
        except BaseException:  # interrupted while waiting: leave the queue, or pass on a turn already given
            with self._mutex:
                try:
                    self._waiters.remove(turn)
                    given = False
                except ValueError:
                    given = True
            if given:
                self.release()
            raise

    def release(self) -> None:
        with self._mutex:
            if not self._held:
                raise RuntimeError("release of an unheld FairLock")
            if self._waiters:
                self._waiters.popleft().release()  # stays held: ownership passes to that waiter
            else:
                self._held = False

    def locked(self) -> bool:
        return self._held

    def __enter__(self) -> FairLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class Tx:
    """A write transaction: a cursor inside BEGIN … COMMIT, plus the audit writer."""

    def __init__(
        self, cur: duckdb.DuckDBPyConnection, write_lock: FairLock | None = None, *, holds_lock: bool = True
    ) -> None:
        self.cur = cur
        self._write_lock = write_lock
        self.holds_lock = holds_lock
        # A unit that took the lock is taken to have changed data (it took it to write).
        self.locked_once = holds_lock

    def lock(self) -> None:
        """Take the write lock before this transaction's first write: needed once in a
        transaction opened with ``read_first`` (:meth:`audit` takes it too), a no-op in any
        other. One that only read commits without it."""
        if not self.holds_lock and self._write_lock is not None:
            self._write_lock.acquire()
            self.holds_lock = True
        self.locked_once = True

    def execute(self, sql: str, params: Any = None) -> duckdb.DuckDBPyConnection:
        return self.cur.execute(sql, params) if params is not None else self.cur.execute(sql)

    def one(self, sql: str, params: Any = None) -> tuple[Any, ...] | None:
        return self.execute(sql, params).fetchone()

    def all(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        return self.execute(sql, params).fetchall()

    def count(self, sql: str, params: Any = None) -> int:
        """Run an INSERT, UPDATE or DELETE; how many rows it changed (DuckDB answers with the
        count, so no RETURNING is needed: see :mod:`tracker.store.versioned`)."""
        row = self.one(sql, params)
        return int(row[0]) if row is not None else 0

    def audit(
        self, actor: str, entity: str, entity_id: int | None, action: str, changes: dict[str, Any] | None = None
    ) -> None:
        """Record who changed what (field → [before, after]) in this same transaction."""
        self.lock()
        payload = json.dumps(changes or {}, default=_jsonable, ensure_ascii=False)
        self.cur.execute(
            'INSERT INTO audit ("at", actor, entity, entity_id, action, changes) '
            "VALUES (now()::TIMESTAMP, ?, ?, ?, ?, ?)",
            [actor, entity, entity_id, action, payload],
        )


class Database:
    """One DuckDB file, opened once per process."""

    def __init__(self, path: Path, conn: duckdb.DuckDBPyConnection) -> None:
        self.path = path
        self.conn = conn
        self._write_lock = FairLock()
        self.broken: str | None = None
        self._commit_hooks: list[Callable[[], None]] = []

    # ------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = False, migrate: bool = True) -> Database:
        """Open the file at ``path``. Without ``create`` a missing file is an error, never a new
        empty database in the wrong place."""
        p = Path(path).expanduser()
        if not create and not p.exists():
            raise DatabaseUnavailable(
                f"No database at {p}. Create one with `python -m etl init --db {p}` "
                f"(empty) or `python -m etl demo --db {p}` (demo data)."
            )
        if create and not p.parent.exists():
            raise DatabaseUnavailable(f"Cannot create the database at {p}: folder {p.parent} does not exist.")
        if p.exists() and not os.access(p, os.W_OK):
            raise DatabaseUnavailable(f"The database at {p} is not writable by this user; check its permissions.")
        if create and not os.access(p.parent, os.W_OK):
            raise DatabaseUnavailable(f"Cannot create the database at {p}: folder {p.parent} is not writable.")
        try:
            conn = duckdb.connect(str(p))
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise DatabaseUnavailable(
                    f"The database at {p} is in use by the running app. Use the Admin page, "
                    f"or stop the app and try again."
                ) from None
            raise DatabaseUnavailable(f"Cannot open the database at {p}: {exc}") from None
        except duckdb.Error as exc:
            raise DatabaseUnavailable(f"Cannot open the database at {p}: {exc}") from None
        db = cls(p, conn)
        try:
            # Stored timestamps are naive UTC whatever the server's zone.
            conn.execute("SET TimeZone = 'UTC'")
            current = db.schema_version()
            if current > LATEST:
                raise DatabaseUnavailable(
                    f"The database at {p} has schema version {current}, newer than this code "
                    f"({LATEST}). Update the application before opening it."
                )
            if migrate and db.pending_migrations():
                db.migrate()
        except BaseException:
            conn.close()
            raise
        return db

    def close(self) -> None:
        try:
            self.conn.close()
        except duckdb.Error:
            pass

    # ------------------------------------------------------------ schema

    def schema_version(self) -> int:
        with self.cursor() as cur:
            exists = cur.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
            ).fetchone()
            if not exists or not exists[0]:
                return 0
            row = cur.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
            return int(row[0]) if row else 0

    def pending_migrations(self) -> list[int]:
        """Numbers of the migration files not yet applied (any number, not only above the highest)."""
        if self.schema_version() == 0:
            return [n for n, _, _ in MIGRATIONS]
        with self.cursor() as cur:
            done = {r[0] for r in cur.execute("SELECT version FROM schema_migrations").fetchall()}
        return [n for n, _, _ in MIGRATIONS if n not in done]

    def migrate(self) -> list[int]:
        """Apply pending migrations; re-running is a no-op. Returns the numbers applied."""
        applied: list[int] = []
        with self._write_lock, self.cursor() as cur:
            cur.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "applied_at TIMESTAMP NOT NULL DEFAULT (now()::TIMESTAMP))"
            )
            done = {r[0] for r in cur.execute("SELECT version FROM schema_migrations").fetchall()}
            for number, name, sql in MIGRATIONS:
                if number in done:
                    continue
                cur.execute("BEGIN TRANSACTION")
                try:
                    cur.execute(sql)
                    cur.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [number, name])
                    cur.execute("COMMIT")
                except BaseException:
                    cur.execute("ROLLBACK")
                    raise
                applied.append(number)
            if applied:
                cur.execute("CHECKPOINT")
        return applied

    # ------------------------------------------------------------ change notification

    def on_commit(self, hook: Callable[[], None]) -> None:
        """Call ``hook`` after every committed write that changed data (not after quiet ones)."""
        if hook not in self._commit_hooks:
            self._commit_hooks.append(hook)

    def data_epoch(self) -> int:
        """A number that grows with every committed data change, whichever process made it."""
        with self.cursor() as cur:
            row = cur.execute("SELECT epoch FROM data_epoch WHERE id = 1").fetchone()
        return int(row[0]) if row else 0

    def _bump_epoch(self, cur: duckdb.DuckDBPyConnection) -> None:
        """Count a committed change, after its COMMIT and still under the write lock.

        Not inside the unit's own transaction: there, every unit that read before taking the lock
        would conflict on this one row with any commit it overlapped. Here the bump is its own
        tiny transaction, serialised by the lock. Were it lost (a crash or a full disk between the
        two), the change is still saved and this process's hooks still run; other processes
        notice at the next change, and their cached views expire within their ttl anyway."""
        try:
            cur.execute("UPDATE data_epoch SET epoch = epoch + 1 WHERE id = 1")
        except duckdb.Error as exc:
            log.warning("data epoch not moved after a commit: %s", _short(exc))

    def _committed(self) -> None:
        for hook in list(self._commit_hooks):
            try:
                hook()
            except Exception:  # a listener's failure must not turn a saved change into an error
                log.exception("on-commit hook failed")

    # ------------------------------------------------------------ units of work

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A fresh cursor for one unit of read work."""
        self._check_usable()
        cur = self.conn.cursor()
        try:
            yield cur
        except duckdb.FatalException as exc:
            self._mark_broken(exc)
            raise StorageError(f"The database failed and must be reopened: {exc}") from None
        finally:
            cur.close()

    @contextmanager
    def transaction(self, *, read_first: bool = False, quiet: bool = False) -> Iterator[Tx]:
        """One write transaction under the process-wide write lock (first come, first served).

        With ``read_first`` the lock is taken at the first write (:meth:`Tx.lock`), not before
        BEGIN: the transaction's reads up to there run while another writer holds the lock. Its
        snapshot may then predate that writer's commit; writing a row changed since is a
        write-write conflict (DuckDB refuses it), so nothing read stale can be written back.

        ``quiet``: bookkeeping that no cached view shows (sign-in counters, sessions): it moves
        no data epoch and calls no commit hook.

        A write-write conflict surfaces as :class:`ConflictError` (see :meth:`write` to retry);
        other database failures as :class:`StorageError` — never retried.
        """
        self._check_usable()
        held = not read_first
        if held:
            self._write_lock.acquire()
        tx: Tx | None = None
        changed = False
        try:
            cur = self.conn.cursor()
            try:
                tx = Tx(cur, self._write_lock, holds_lock=held)
                cur.execute("BEGIN TRANSACTION")
                try:
                    yield tx
                    changed = tx.locked_once and not quiet
                    cur.execute("COMMIT")  # under the lock once the unit has written
                    if changed:
                        self._bump_epoch(cur)
                except BaseException:
                    try:
                        cur.execute("ROLLBACK")
                    except duckdb.Error:
                        pass
                    raise
            except duckdb.Error as exc:
                if is_conflict(exc):
                    raise ConflictError(str(exc)) from None
                if isinstance(exc, duckdb.FatalException) or "invalidated" in str(exc):
                    self._mark_broken(exc)
                log.error("database write failed: %s", exc)
                raise StorageError(
                    "The database could not save this change (" + _short(exc) + "). "
                    "Nothing was changed; committed data is safe."
                ) from None
            finally:
                cur.close()
        finally:
            if tx.holds_lock if tx is not None else held:
                self._write_lock.release()
        if changed:
            self._committed()

    def write(self, fn: Callable[[Tx], T], *, read_first: bool = False, quiet: bool = False) -> T:
        """Run ``fn`` in a transaction, retrying it from scratch on a write-write conflict.

        ``read_first``: ``fn`` reads, then calls :meth:`Tx.lock` before its first write (see
        :meth:`transaction`); meant for a unit that reads the rows it is about to change. A
        retry runs with the lock held from BEGIN.
        ``quiet``: see :meth:`transaction`."""
        for attempt in range(CONFLICT_RETRIES):
            try:
                # Only the first attempt reads before the lock: a read-first unit refused for a
                # row another writer changed meanwhile retries holding the lock from BEGIN, sees
                # the latest snapshot and cannot be refused by this process's writers again
                # (under sixteen busy writers, retrying read-first could run out of attempts).
                with self.transaction(read_first=read_first and attempt == 0, quiet=quiet) as tx:
                    return fn(tx)
            except ConflictError:
                if attempt == CONFLICT_RETRIES - 1:
                    raise StorageError("The database stayed busy; please try again.") from None
                time.sleep(0.005 * (2**attempt))
        raise AssertionError("unreachable")

    def read(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        with self.cursor() as cur:
            return (cur.execute(sql, params) if params is not None else cur.execute(sql)).fetchall()

    def read_df(self, sql: str, params: Any = None) -> Any:
        """A query result as a pandas DataFrame."""
        with self.cursor() as cur:
            return (cur.execute(sql, params) if params is not None else cur.execute(sql)).df()

    # ------------------------------------------------------------ health

    def _mark_broken(self, exc: BaseException) -> None:
        self.broken = str(exc)

    def _check_usable(self) -> None:
        if self.broken:
            raise StorageError(f"The database connection failed earlier ({self.broken[:200]}); the app must reopen it.")


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]
