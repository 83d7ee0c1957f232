"""`python -m mitche_dev.devstack`: the README's main job.

Starts the local Firebase stack with Mitché's own firestore.rules, firestore.indexes.json and
functions codebase, then, with the functions running, creates the demo's accounts and plays the
demo's story into it (members' writes, the moderator's and admin's calls, the operator's
commands: the functions produce the rest, as in production), prints where everything runs and
how to sign in, and stops everything on Ctrl-C.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Final

from google.auth.credentials import AnonymousCredentials
from google.cloud.firestore_v1 import Client

from firelab.stack import LocalStack, argument_parser, config_from, run_until_interrupted
from mitche_dev.devstack._cli import DEFAULT_PROJECT, accounts_table
from mitche_dev.devstack._files import seed_files
from mitche_dev.devstack._running import seed_running_stack, settled
from mitche_dev.devstack.demo import demo_accounts
from mitche_dev.migrate import MIGRATIONS_DIR, apply_pending
from mitche_dev.plots import PLOTS

__all__ = ["REPOSITORY", "main"]

REPOSITORY: Final = Path(__file__).resolve().parents[3]
"""The checkout this package runs from: firestore.rules, indexes and functions/ live here."""


def main(argv: Sequence[str] | None = None) -> int:
    options = argument_parser()
    options.prog = "python -m mitche_dev.devstack"
    options.description = "Run Mitché's local stack with demo data (see also: seed --help)."
    options.set_defaults(
        project=DEFAULT_PROJECT,
        rules=REPOSITORY / "firestore.rules",
        storage_rules=REPOSITORY / "storage.rules",
        indexes=REPOSITORY / "firestore.indexes.json",
        functions=REPOSITORY / "functions",
    )
    args = options.parse_args(argv)
    now = dt.datetime.now(dt.UTC)
    accounts = demo_accounts(now)

    def seed_demo(stack: LocalStack) -> None:
        report = seed_running_stack(stack, args.project, now)
        print(f"seeded {report.documents} demo documents through their acts", flush=True)
        if stack.storage is not None:
            uids = [account.uid for account in accounts]
            files = seed_files(args.project, stack.storage_bucket, uids)
            print(f"seeded {files} demo files", flush=True)
        # google-auth ships no annotations for AnonymousCredentials.__init__.
        credentials = AnonymousCredentials()  # type: ignore[no-untyped-call]
        client = Client(project=args.project, credentials=credentials)
        outcome = apply_pending(client, MIGRATIONS_DIR, by="devstack")
        print(f"applied {len(outcome.runs)} data migration(s)", flush=True)
        settled(stack)

    def ready(stack: LocalStack) -> None:
        seed_demo(stack)
        if stack.auth is not None:
            print(f"Sign in to the Auth emulator as:\n{accounts_table(accounts)}\n", flush=True)

    config = replace(config_from(args), console_plots=PLOTS)
    return run_until_interrupted(config, on_ready=ready)


if __name__ == "__main__":
    sys.exit(main())
