"""SQL of backups and restores: ``EXPORT DATABASE`` to Parquet through the app's own connection
(a second process cannot open the file while the app runs, and copying the live file is not a
backup), reading a backup back to count its rows, and ``IMPORT DATABASE`` into a new file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb

from tracker.domain.errors import StorageError

from .database import Database, Tx

_COPY = re.compile(r"COPY\s+(\"(?:[^\"]|\"\")+\"|[\w.]+)\s+FROM\s+'((?:[^']|'')+)'", re.IGNORECASE)


def _literal(path: Path) -> str:
    """A path as an SQL string literal (EXPORT/IMPORT DATABASE take no parameters)."""
    return "'" + str(path).replace("'", "''") + "'"


def _counts(cur: Any) -> dict[str, int]:
    tables = [
        r[0]
        for r in cur.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
    ]
    out: dict[str, int] = {}
    for t in tables:
        quoted = '"' + t.replace('"', '""') + '"'
        out[t] = int(cur.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0])
    return out


def export_database(db: Database, folder: Path) -> dict[str, int]:
    """Write the whole database to ``folder`` (schema.sql, load.sql, one Parquet file per table).

    Runs under the write lock inside one transaction, so the row counts returned describe
    exactly what was written."""

    def work(tx: Tx) -> dict[str, int]:
        counts = _counts(tx.cur)
        tx.execute(f"EXPORT DATABASE {_literal(folder)} (FORMAT parquet)")
        return counts

    with db.transaction() as tx:
        return work(tx)


def files_of(folder: Path) -> dict[str, Path]:
    """Table → its Parquet file, as the backup's load.sql names them (relative to the folder)."""
    load = folder / "load.sql"
    if not load.exists():
        return {}
    out: dict[str, Path] = {}
    for m in _COPY.finditer(load.read_text(encoding="utf-8")):
        table = m.group(1)
        if table.startswith('"'):
            table = table[1:-1].replace('""', '"')
        out[table.split(".")[-1]] = folder / Path(m.group(2).replace("''", "'")).name
    return out


def backup_counts(folder: Path) -> dict[str, int]:
    """Rows per table read back from a backup's Parquet files."""
    con = duckdb.connect(":memory:")
    try:
        out: dict[str, int] = {}
        for table, path in files_of(folder).items():
            if not path.exists():
                out[table] = -1
                continue
            out[table] = int(con.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchone()[0])  # type: ignore[index]
        return out
    except duckdb.Error as exc:
        raise StorageError(f"The backup in {folder} cannot be read: {str(exc).splitlines()[0][:200]}") from None
    finally:
        con.close()


def backup_schema_version(folder: Path) -> int | None:
    """The newest migration recorded in the backup (None if it has no migrations table)."""
    path = files_of(folder).get("schema_migrations")
    if path is None or not path.exists():
        return None
    con = duckdb.connect(":memory:")
    try:
        row = con.execute("SELECT max(version) FROM read_parquet(?)", [str(path)]).fetchone()
        return int(row[0]) if row and row[0] is not None else None
    except duckdb.Error as exc:
        raise StorageError(f"The backup in {folder} cannot be read: {str(exc).splitlines()[0][:200]}") from None
    finally:
        con.close()


def import_database(target: Path, folder: Path) -> dict[str, int]:
    """Build a new database file at ``target`` from a backup; returns its rows per table."""
    con = duckdb.connect(str(target))
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"IMPORT DATABASE {_literal(folder)}")
        con.execute("CHECKPOINT")
        return _counts(con)
    except duckdb.Error as exc:
        raise StorageError(f"Restoring from {folder} failed: {str(exc).splitlines()[0][:200]}") from None
    finally:
        con.close()


def database_counts(db: Database) -> dict[str, int]:
    with db.cursor() as cur:
        return _counts(cur)


# ------------------------------------------------------------------ the backups table


def record(
    db: Database,
    *,
    path: str,
    taken_at: Any,
    taken_by: str,
    schema_version: int,
    verified: bool,
    detail: str,
) -> None:
    def work(tx: Tx) -> None:
        tx.execute("DELETE FROM backups WHERE path = ?", [path])
        tx.execute(
            "INSERT INTO backups (path, taken_at, taken_by, schema_version, verified, detail) VALUES (?, ?, ?, ?, ?, ?)",
            [path, taken_at, taken_by, schema_version, verified, detail],
        )

    db.write(work)


def recorded(db: Database, limit: int = 100) -> list[dict[str, Any]]:
    rows = db.read(
        "SELECT path, taken_at, taken_by, schema_version, verified, detail FROM backups ORDER BY taken_at DESC LIMIT ?",
        [limit],
    )
    keys = ("path", "taken_at", "taken_by", "schema_version", "verified", "detail")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def last_taken_by(db: Database, taken_by: str) -> Any:
    row = db.read("SELECT max(taken_at) FROM backups WHERE taken_by = ? AND verified", [taken_by])
    return row[0][0] if row else None
