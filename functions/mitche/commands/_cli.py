"""`python -m mitche.commands <command>`: maintenance an operator runs against a project.

The commands use the same lazy client as the functions: against the emulator when
FIRESTORE_EMULATOR_HOST is set; without it they would reach production, which they refuse
unless `--project` names the project (Application Default Credentials). They share the
migration runner's conventions: `--dry-run` computes and reports every change through the same
code, rolling each unit back; member commands show progress on a terminal and resume after a
member with `--after`; the outcome is printed as a JSON summary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from mitche.commands._backfill import backfill_day
from mitche.commands._catalog import load_catalog
from mitche.commands._keys import rewrap_keys
from mitche.commands._members import (
    DEFAULT_PAGE_SIZE,
    Progress,
    recompute_totals,
    reevaluate_achievements,
    sync_privileges,
)
from mitche.commands._setup import grant_role, init_settings
from mitche.errors import MitcheError
from mitche.handlers import Deps, default_deps
from mitche.models import Role, parse_day_id
from mitche.services import dry_run

__all__ = ["main"]

PROGRAM = "python -m mitche.commands"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROGRAM, description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", help="the project; required to reach production")
    parser.add_argument(
        "--dry-run", action="store_true", help="report what would change, writing nothing"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    totals = commands.add_parser(
        "recompute-totals", help="set points, experience and level from each member's ledger"
    )
    totals.add_argument("--uid", action="append", help="only this member (repeatable)")
    totals.add_argument("--page-size", type=int, default=DEFAULT_PAGE_SIZE)
    totals.add_argument("--after", help="resume after this member id")
    again = commands.add_parser(
        "reevaluate-achievements", help="evaluate the whole catalog for every member"
    )
    again.add_argument("--uid", action="append", help="only this member (repeatable)")
    again.add_argument("--page-size", type=int, default=DEFAULT_PAGE_SIZE)
    again.add_argument("--after", help="resume after this member id")
    again.add_argument(
        "--run-id", default=None, help="repeat an interrupted run (default: a new id)"
    )
    privileges = commands.add_parser(
        "sync-privileges",
        help="copy each member's level privileges again (after levelBenefits was edited)",
    )
    privileges.add_argument("--uid", action="append", help="only this member (repeatable)")
    privileges.add_argument("--page-size", type=int, default=DEFAULT_PAGE_SIZE)
    privileges.add_argument("--after", help="resume after this member id")
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
    rewrap = commands.add_parser(
        "rewrap-keys",
        help="after rotating the key-encryption key: re-wrap each member's data key with its "
        "current version (sealed data untouched; resumable with --after)",
    )
    rewrap.add_argument("--uid", action="append", help="only this member (repeatable)")
    rewrap.add_argument("--page-size", type=int, default=DEFAULT_PAGE_SIZE)
    rewrap.add_argument("--after", help="resume after this member id")
    scan = commands.add_parser(
        "scan-member",
        help="after an erasure: every document and file still holding the member's uid, email, "
        "alias or other given text (reads the whole database: on demand only)",
    )
    scan.add_argument("--uid", required=True, help="the erased member's uid")
    scan.add_argument("--email", help="their email")
    scan.add_argument("--alias", help="their anonymous alias")
    scan.add_argument("--text", action="append", default=[], help="more text to find (repeatable)")
    scan.add_argument("--bucket", help="also the names of this bucket's objects")
    return parser


def _scan(deps: Deps, args: argparse.Namespace) -> dict[str, Any]:
    from mitche.handlers._erasure import scan_for_member
    from mitche.queries import query_for
    from mitche.triggers.attachments import bucket_named

    needles = {"uid": args.uid, "email": args.email or "", "alias": args.alias or ""}
    needles |= {f"text {n}": text for n, text in enumerate(args.text, start=1)}
    erasures = query_for(deps.client, "functions.privacy.erasureRecords").stream()
    records = [snapshot.reference.path for snapshot in erasures]
    bucket = bucket_named(args.bucket) if args.bucket else None
    found = scan_for_member(deps.client, bucket, needles, allowed=records)
    return {"clean": not found, "findings": [asdict(finding) for finding in found]}


def _days(first: str, last: str | None) -> list[str]:
    start, end = parse_day_id(first), parse_day_id(last or first)
    if end < start:
        raise ValueError(f"--to {last} is before --from {first}")
    return [(start + dt.timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]


def _progress(stream: Any, noun: str = "members") -> Progress | None:
    """Items done, rate and the last item (members resume with --after; days already written
    are kept on a rerun), rewritten on one terminal line; nothing when not a terminal."""
    if not stream.isatty():
        return None
    started = time.monotonic()

    def show(visited: int, last: str) -> None:
        rate = visited / max(time.monotonic() - started, 1e-6)
        stream.write(f"\r\x1b[2K{visited:,} {noun}  {rate:,.1f}/s  last {last}")
        stream.flush()

    return show


def _target(project: str | None) -> None:
    """Refuse production unless --project names it; point the lazy client at that project."""
    if os.environ.get("FIRESTORE_EMULATOR_HOST"):
        if project:
            os.environ["GOOGLE_CLOUD_PROJECT"] = project
        return
    if not project:
        raise ValueError(
            "FIRESTORE_EMULATOR_HOST is not set, so this would run against a production "
            "project; name it with --project PROJECT_ID to confirm"
        )
    os.environ["GOOGLE_CLOUD_PROJECT"] = project


def _run(args: argparse.Namespace, deps: Deps) -> dict[str, Any]:
    if args.command == "recompute-totals":
        progress = _progress(sys.stderr)
        result = recompute_totals(
            deps, args.uid, page_size=args.page_size, after=args.after, progress=progress
        )
        return asdict(result)
    if args.command == "reevaluate-achievements":
        run_id = args.run_id or uuid.uuid4().hex[:12]
        result = reevaluate_achievements(
            deps,
            args.uid,
            run_id=run_id,
            page_size=args.page_size,
            after=args.after,
            progress=_progress(sys.stderr),
        )
        return {"runId": run_id, **asdict(result)}
    if args.command == "sync-privileges":
        synced = sync_privileges(
            deps,
            args.uid,
            page_size=args.page_size,
            after=args.after,
            progress=_progress(sys.stderr),
        )
        return asdict(synced)
    if args.command == "backfill-analytics":
        written: list[str] = []
        kept: list[str] = []
        progress = _progress(sys.stderr, "days")
        for done, day in enumerate(_days(args.first, args.last), start=1):
            (written if backfill_day(deps, day, force=args.force) else kept).append(day)
            if progress is not None:
                progress(done, day)
        return {"written": written, "kept": kept}
    if args.command == "init-settings":
        return asdict(init_settings(deps))
    if args.command == "grant-role":
        return grant_role(deps, args.uid, Role(args.role))
    if args.command == "scan-member":
        return _scan(deps, args)
    if args.command == "rewrap-keys":
        moved = rewrap_keys(
            deps,
            args.uid,
            page_size=args.page_size,
            after=args.after,
            progress=_progress(sys.stderr),
        )
        return asdict(moved)
    return asdict(load_catalog(deps))


def main(argv: Sequence[str] | None = None, *, deps: Deps | None = None) -> int:
    """Run one command; prints its outcome as JSON and returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if deps is None:
            _target(args.project)
        if args.dry_run and args.command == "grant-role":
            raise ValueError("grant-role sets Authentication claims and has no dry run")
        if args.dry_run:
            with dry_run():
                outcome = _run(args, deps or default_deps())
        else:
            outcome = _run(args, deps or default_deps())
    except (ValueError, MitcheError) as error:
        print(f"{PROGRAM} {args.command}: {error}", file=sys.stderr)
        return 2
    progressed = (
        "recompute-totals",
        "reevaluate-achievements",
        "backfill-analytics",
        "rewrap-keys",
        "sync-privileges",
        "backfill-analytics",
    )
    if sys.stderr.isatty() and args.command in progressed:
        sys.stderr.write("\n")
    summary = {"command": args.command, "dryRun": args.dry_run, **outcome}
    print(json.dumps(summary, indent=2, sort_keys=True))
    return 0
