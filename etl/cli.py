"""The command line. Each command lives in its own module with ``register`` and ``run``;
errors a user can fix become one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import Any

from tracker.domain.errors import ImportRefused, InvalidInput, TrackerError

# Every etl/cmd_*.py module is a command module: ``register(subparsers)`` returns
# {command name: handler}. Adding a command never touches this file.
COMMAND_MODULES = sorted(f"etl.{p.stem}" for p in Path(__file__).parent.glob("cmd_*.py"))


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Any]]:
    parser = argparse.ArgumentParser(prog="python -m etl", description="Policy Influence Tracker: data commands.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    handlers: dict[str, Any] = {}
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        handlers.update(module.register(sub))
    return parser, handlers


def add_db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="PATH", help="database file (default: $TRACKER_DB or data/tracker.duckdb)")


def main(argv: list[str] | None = None) -> int:
    parser, handlers = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(handlers[args.command](args) or 0)
    except ImportRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        for err in exc.errors:
            print(f"  {err}", file=sys.stderr)
        return 1
    except InvalidInput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except TrackerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing was committed by the unfinished command", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"error: {exc.strerror or exc}: {getattr(exc, 'filename', '') or ''}".rstrip(": "), file=sys.stderr)
        return 1
