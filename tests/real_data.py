"""Where the real Have Your Say export lives: the shared original, else the copy in tests/data."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_NAME = "eu_consultations_2016_2026.csv"
HAVE_YOUR_SAY = next(
    (p for p in (ROOT.parent / "shared" / "data" / _NAME, ROOT / "tests" / "data" / _NAME) if p.is_file()),
    ROOT / "tests" / "data" / _NAME,
)
