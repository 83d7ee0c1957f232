"""`python -m mitche_dev.indexgen [--check] [--root DIR]`: write firestore.indexes.json from
the query catalog, or verify that it is up to date (exit status 1 if not)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from firelab.indexes import IndexFile
from mitche.queries._catalog import CATALOG
from mitche_dev.indexgen._plan import plan_indexes

__all__ = ["COMMAND", "INDEX_FILE", "generated_text", "main"]

COMMAND: Final = "python -m mitche_dev.indexgen"
INDEX_FILE: Final = "firestore.indexes.json"


def generated_text() -> str:
    """The file's text as the catalog generates it (the Firebase CLI's format)."""
    return plan_indexes(CATALOG.values()).file.to_json()


def _summary(text: str) -> str:
    parsed = IndexFile.parse(text)
    ttl = sum(1 for override in parsed.field_overrides if override.ttl)
    return (
        f"{len(parsed.indexes)} composite indexes, {len(parsed.field_overrides)} field "
        f"overrides ({ttl} TTL policies)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status."""
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__)
    parser.add_argument("--check", action="store_true", help="verify without writing")
    parser.add_argument(
        "--root", type=Path, default=Path.cwd(), help="repository root (default: current directory)"
    )
    args = parser.parse_args(argv)
    path: Path = args.root / INDEX_FILE
    text = generated_text()
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if args.check:
        if current != text:
            print(f"{INDEX_FILE} is stale; run `.venv/bin/{COMMAND}`", file=sys.stderr)
            return 1
        print(f"{INDEX_FILE} is up to date: {_summary(text)}")
        return 0
    if current == text:
        print(f"{INDEX_FILE} is up to date: {_summary(text)}")
        return 0
    try:
        path.write_text(text, encoding="utf-8", newline="\n")
    except OSError as error:
        print(f"cannot write {path}: {error}", file=sys.stderr)
        return 2
    print(f"wrote {INDEX_FILE}: {_summary(text)}")
    return 0
