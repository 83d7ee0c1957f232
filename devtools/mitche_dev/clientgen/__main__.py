"""`python -m mitche_dev.clientgen [--check] [--root DIR]`: regenerate the client package's
sources and reference, or verify that they are up to date (exit status 1 listing stale files)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from mitche_dev.clientgen._files import CLIENT_DIR, find_stale, generate, write
from mitche_dev.clientgen._naming import COMMAND


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status."""
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__)
    parser.add_argument("--check", action="store_true", help="verify without writing")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository root")
    args = parser.parse_args(argv)
    root: Path = args.root
    if not (root / "functions" / "mitche").is_dir():
        print(
            f"{root} is not the repository root (no functions/mitche); pass --root", file=sys.stderr
        )
        return 2
    try:
        files = generate(root)
    except LookupError as exc:
        print(f"cannot generate {CLIENT_DIR}: {exc}", file=sys.stderr)
        return 1
    if args.check:
        stale = find_stale(root, files)
        if stale:
            print(
                f"{CLIENT_DIR} is stale; run `.venv/bin/{COMMAND}` to regenerate:",
                *(f"  {item}" for item in stale),
                sep="\n",
                file=sys.stderr,
            )
            return 1
        print(f"{CLIENT_DIR} is up to date ({len(files)} files)")
        return 0
    changes = write(root, files)
    print(f"{CLIENT_DIR}: {len(changes)} of {len(files)} files changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
