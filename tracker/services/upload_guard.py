"""One guard for every file a user hands us (spreadsheet imports, Have Your Say exports, backups
to restore): size, type, archive shape and nesting depth are checked before any parser sees the
bytes, so a hostile file is refused within a second and in bounded memory.

Why before parsing: openpyxl inflates every sheet it reads, and a few kilobytes of zip can
inflate to gigabytes; Python's json module recurses once per nesting level and a file nested
10,000 deep ends in a RecursionError. The zip directory states every part's compressed and
uncompressed size, and bracket depth can be counted in one pass, so both are checked without
inflating or building anything.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What any upload may be. README's "Import limits" states the same numbers."""

    max_bytes: int = 50 * MB  # the file as uploaded (Streamlit's own upload cap is the same)
    max_rows: int = 200_000  # data lines of one import
    max_unpacked_bytes: int = 400 * MB  # an .xlsx's parts once inflated, all together
    max_ratio: int = 120  # inflated ÷ compressed size of any one part
    max_parts: int = 2_000  # parts in an .xlsx archive (a normal workbook has a few dozen)
    max_depth: int = 32  # JSON nesting (a Have Your Say export is a list of flat objects: 2)
    max_backup_files: int = 200  # files in a backup folder to restore


LIMITS = Limits()

# A part may be small enough that a high ratio is harmless (a sheet of one repeated value):
# the ratio rule applies only from this inflated size up.
_RATIO_FLOOR = 8 * MB


class UploadRefused(ValueError):
    """The file is refused as a whole; ``reason`` completes "The file …" for the user."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def _mb(n: int) -> str:
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n / 1024:,.0f} KB"


def check_size(size: int, limits: Limits = LIMITS) -> None:
    if size > limits.max_bytes:
        raise UploadRefused(f"is {_mb(size)}; the limit is {_mb(limits.max_bytes)}")
    if size == 0:
        raise UploadRefused("is empty")


def check_xlsx(data: bytes, limits: Limits = LIMITS) -> None:
    """Refuse a workbook whose zip directory promises more than any real workbook inflates to
    (the file's own size is :func:`check_size`'s, which the command line skips)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadRefused(
            "is named .xlsx but is not an Excel workbook; save it again from Excel as .xlsx or as CSV UTF-8"
        ) from None
    if len(parts) > limits.max_parts:
        raise UploadRefused(f"holds {len(parts):,} parts; a workbook has at most {limits.max_parts:,}")
    total = sum(p.file_size for p in parts)
    if total > limits.max_unpacked_bytes:
        raise UploadRefused(
            f"would unpack to {_mb(total)}; the limit is {_mb(limits.max_unpacked_bytes)}. "
            "Split it into smaller files, or save it as CSV"
        )
    for part in parts:
        if part.file_size >= _RATIO_FLOOR and part.file_size > limits.max_ratio * max(part.compress_size, 1):
            raise UploadRefused(
                f"has a part ({part.filename[:60]}) that inflates {part.file_size // max(part.compress_size, 1):,} "
                "times; it is not a workbook this app can read safely"
            )


def check_json_depth(text: str, limits: Limits = LIMITS) -> None:
    """Refuse JSON nested deeper than ``max_depth`` (counted outside strings, in one pass)."""
    depth = 0
    in_string = False
    escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limits.max_depth:
                raise UploadRefused(
                    f"nests lists or objects more than {limits.max_depth} deep; an export is a list of flat records"
                )
        elif ch in "]}":
            depth -= 1


def check_rows(count: int, limits: Limits = LIMITS) -> None:
    """Refuse an import over the row limit (call as soon as the count is known to exceed it)."""
    if count > limits.max_rows:
        raise UploadRefused(
            f"has more than {limits.max_rows:,} data lines; the limit per import is {limits.max_rows:,}. "
            "Split it into several files"
        )


def limit_rows(rows: Iterable[T], limits: Limits = LIMITS) -> Iterator[T]:
    """Pass ``rows`` through, refusing the file at the first line over the limit (never reads past it)."""
    for n, row in enumerate(rows, start=1):
        if n > limits.max_rows:
            check_rows(n, limits)
        yield row


def check_backup_folder(folder: Path, limits: Limits = LIMITS) -> None:
    """Refuse a backup folder to restore that holds more or other than a backup does."""
    if not folder.is_dir():
        raise UploadRefused(f"{folder} is not a folder")
    files = [p for p in folder.iterdir()]
    if len(files) > limits.max_backup_files:
        raise UploadRefused(f"{folder} holds {len(files):,} files; a backup holds at most {limits.max_backup_files}")
    odd = [
        p.name
        for p in files
        if p.is_dir() or p.is_symlink() or p.suffix.lower() not in {".sql", ".csv", ".parquet", ".json"}
    ]
    if odd:
        raise UploadRefused(f"{folder} holds files a backup never does: {', '.join(sorted(odd)[:5])}")
