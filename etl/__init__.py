"""Command line: python -m etl COMMAND … [--db PATH]."""
