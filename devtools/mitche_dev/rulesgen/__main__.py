"""`python -m mitche_dev.rulesgen [--check] [--root DIR]`: regenerate the generated section of
firestore.rules from the models, or verify that it is up to date (exit status 1 if not)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from mitche.models.registry import collection_specs
from mitche_dev.rulesgen._files import RULES_FILE, splice
from mitche_dev.rulesgen._regex import RulesGenError
from mitche_dev.rulesgen._render import COMMAND, render_section


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status."""
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__)
    parser.add_argument("--check", action="store_true", help="verify without writing")
    parser.add_argument(
        "--root", type=Path, default=Path.cwd(), help="repository root (default: current directory)"
    )
    args = parser.parse_args(argv)
    path: Path = args.root / RULES_FILE
    if not path.is_file():
        print(f"{path} not found; pass --root", file=sys.stderr)
        return 2
    try:
        result = splice(path, render_section(collection_specs().values()))
    except RulesGenError as exc:
        print(f"cannot generate the rules: {exc}", file=sys.stderr)
        return 1
    if args.check:
        if result.changed:
            print(f"{RULES_FILE} is stale; run `.venv/bin/{COMMAND}`", file=sys.stderr)
            return 1
        print(f"{RULES_FILE}: the generated section is up to date")
        return 0
    if result.changed:
        path.write_text(result.text, encoding="utf-8", newline="\n")
        print(f"wrote the generated section of {RULES_FILE}")
    else:
        print(f"{RULES_FILE}: the generated section is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
