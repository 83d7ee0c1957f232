"""`python -m mitche_dev.schemagen [--check] [--root DIR]`: regenerate schema/ from the models, or
verify that it is up to date (exit status 1 listing the stale files)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from mitche.callables import CallableSpec
from mitche.models.registry import CollectionSpec, collection_specs
from mitche_dev.schemagen._callables import registered
from mitche_dev.schemagen._describe import COMMAND
from mitche_dev.schemagen._documents import SchemaGenError
from mitche_dev.schemagen._files import SCHEMA_DIR, find_stale, generate, write


def main(
    argv: Sequence[str] | None = None,
    *,
    specs: Iterable[CollectionSpec] | None = None,
    callables: Sequence[CallableSpec[Any, Any]] | None = None,
) -> int:
    """Run the command over `specs` and `callables` (default: every collection and every
    registered callable); returns the exit status."""
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="verify the files without writing them"
    )
    parser.add_argument(
        "--root", type=Path, default=Path.cwd(), help="repository root (default: current directory)"
    )
    args = parser.parse_args(argv)
    root: Path = args.root
    if not (root / "functions" / "mitche").is_dir():
        print(
            f"{root} is not the repository root (no functions/mitche); pass --root", file=sys.stderr
        )
        return 2
    try:
        files = generate(
            collection_specs().values() if specs is None else specs,
            registered() if callables is None else callables,
        )
    except SchemaGenError as exc:
        print(f"cannot generate {SCHEMA_DIR}/: {exc}", file=sys.stderr)
        return 1
    if args.check:
        stale = find_stale(root, files)
        if stale:
            print(
                f"{SCHEMA_DIR}/ is stale; run `.venv/bin/{COMMAND}` to regenerate:",
                *(f"  {item}" for item in stale),
                sep="\n",
                file=sys.stderr,
            )
            return 1
        print(f"{SCHEMA_DIR}/ is up to date ({len(files)} files)")
        return 0
    changes = write(root, files)
    for change in changes:
        print(f"{'removed' if change.reason == 'obsolete' else 'wrote'} {change.path}")
    print(f"{SCHEMA_DIR}/: {len(changes)} of {len(files)} files changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
