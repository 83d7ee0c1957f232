"""`python -m mitche.commands <command>`: maintenance an operator runs against a project.

The commands use the same lazy client as the functions: against the emulator when
FIRESTORE_EMULATOR_HOST is set, otherwise against the project of GOOGLE_CLOUD_PROJECT with
Application Default Credentials.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import uuid
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from mitche.commands._backfill import backfill_day
from mitche.commands._catalog import load_catalog
from mitche.commands._members import DEFAULT_PAGE_SIZE, recompute_totals, reevaluate_achievements
from mitche.commands._setup import grant_role, init_settings
from mitche.errors import MitcheError
from mitche.handlers import Deps, default_deps
from mitche.models import Role, parse_day_id

__all__ = ["main"]

PROGRAM = "python -m mitche.commands"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROGRAM, description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    totals = commands.add_parser(
        "recompute-totals", help="set points, experience and level from each member's ledger"
    )
    totals.add_argument("--uid", action="append", help="only this member (repeatable)")
    totals.add_argument("--page-size", type=int, default=DEFAULT_PAGE_SIZE)
    again = commands.add_parser(
        "reevaluate-achievements", help="evaluate the whole catalog for every member"
    )
    again.add_argument("--uid", action="append", help="only this member (repeatable)")
    again.add_argument("--page-size", type=int, default=DEFAULT_PAGE_SIZE)
    again.add_argument(
        "--run-id", default=None, help="repeat an interrupted run (default: a new id)"
    )
    backfill = commands.add_parser(
        "backfill-analytics", help="recompute past days' analytics from the source collections"
    )
    backfill.add_argument("--from", dest="first", required=True, help="first day, YYYY-MM-DD")
    backfill.add_argument("--to", dest="last", help="last day, YYYY-MM-DD (default: --from)")
    backfill.add_argument(
        "--force", action="store_true", help="replace days that already have a document"
    )
    commands.add_parser("load-catalog", help="create or update the seed achievement catalog")
    commands.add_parser(
        "init-settings", help="create the missing settings documents at their code defaults"
    )
    grant = commands.add_parser(
        "grant-role", help="give a member a role as the operator (how the first admin is made)"
    )
    grant.add_argument("--uid", required=True, help="the member's Firebase Authentication uid")
    grant.add_argument("--role", required=True, choices=[role.value for role in Role])
    return parser


def _days(first: str, last: str | None) -> list[str]:
    start, end = parse_day_id(first), parse_day_id(last or first)
    if end < start:
        raise ValueError(f"--to {last} is before --from {first}")
    return [(start + dt.timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]


def _run(args: argparse.Namespace, deps: Deps) -> dict[str, Any]:
    if args.command == "recompute-totals":
        return asdict(recompute_totals(deps, args.uid, page_size=args.page_size))
    if args.command == "reevaluate-achievements":
        run_id = args.run_id or uuid.uuid4().hex[:12]
        result = reevaluate_achievements(deps, args.uid, run_id=run_id, page_size=args.page_size)
        return {"runId": run_id, **asdict(result)}
    if args.command == "backfill-analytics":
        written: list[str] = []
        kept: list[str] = []
        for day in _days(args.first, args.last):
            (written if backfill_day(deps, day, force=args.force) else kept).append(day)
        return {"written": written, "kept": kept}
    if args.command == "init-settings":
        return asdict(init_settings(deps))
    if args.command == "grant-role":
        return grant_role(deps, args.uid, Role(args.role))
    return asdict(load_catalog(deps))


def main(argv: Sequence[str] | None = None, *, deps: Deps | None = None) -> int:
    """Run one command; prints its outcome as JSON and returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        outcome = _run(args, deps or default_deps())
    except (ValueError, MitcheError) as error:
        print(f"{PROGRAM} {args.command}: {error}", file=sys.stderr)
        return 2
    print(json.dumps(outcome, indent=2, sort_keys=True))
    return 0
