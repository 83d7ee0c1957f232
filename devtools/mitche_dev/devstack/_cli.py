"""`python -m mitche_dev.devstack`: seed a running local stack and say how to sign in.

It finds a running stack the way the Firebase SDKs do, through `FIRESTORE_EMULATOR_HOST` and
`FIREBASE_AUTH_EMULATOR_HOST` (the official emulator suite, say). It creates the accounts, then
plays the demo's acts without waiting between them (this process cannot watch those emulators'
functions): the functions there produce the server-owned state as they catch up, and the
moderators' calls need the Auth emulator (they set custom claims).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import Final, TextIO

from google.auth.credentials import AnonymousCredentials
from google.cloud.firestore_v1 import Client

from mitche.errors import MitcheError
from mitche_dev.devstack._actors import DemoAccount
from mitche_dev.devstack.demo import demo_accounts
from mitche_dev.devstack.seed import seed, seed_accounts
from mitche_dev.migrate import MIGRATIONS_DIR, apply_pending

__all__ = ["DEFAULT_PROJECT", "accounts_table", "main"]

DEFAULT_PROJECT: Final = "demo-mitche"
"""Project id of the local stack (`demo-` projects never reach production services)."""

FIRESTORE_HOST_VARIABLE: Final = "FIRESTORE_EMULATOR_HOST"
AUTH_HOST_VARIABLE: Final = "FIREBASE_AUTH_EMULATOR_HOST"


def accounts_table(accounts: Sequence[DemoAccount]) -> str:
    """A plain-text table of the demo accounts: uid, email, password and claims."""
    rows = [("uid", "email", "password", "claims")]
    for account in accounts:
        claims = ", ".join(f"{key}={value}" for key, value in account.custom_claims.items())
        rows.append((account.uid, account.email, account.password, claims))
    uid_width, email_width, password_width = (max(len(row[i]) for row in rows) for i in range(3))
    return "\n".join(
        f"{uid:<{uid_width}}  {email:<{email_width}}  {password:<{password_width}}  {claims}"
        for uid, email, password, claims in rows
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m mitche_dev.devstack seed",
        description="Seed the demo community into a running local Firestore and Auth emulator.",
    )
    parser.add_argument("--project", default=DEFAULT_PROJECT, help="project id (%(default)s)")
    parser.add_argument(
        "--now",
        type=dt.datetime.fromisoformat,
        help="the demo's now, ISO 8601 with an offset (default: the current time)",
    )
    parser.add_argument(
        "--no-accounts", action="store_true", help="seed Firestore only, not the Auth emulator"
    )
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO = sys.stdout) -> int:
    """Seed documents (and accounts) and print where they went. Exit status 2 when a host is
    not configured, 1 when seeding failed."""
    args = _parser().parse_args(argv)
    firestore_host = os.environ.get(FIRESTORE_HOST_VARIABLE)
    auth_host = os.environ.get(AUTH_HOST_VARIABLE)
    if not firestore_host:
        print(f"{FIRESTORE_HOST_VARIABLE} is not set: start the local stack first.", file=out)
        return 2
    if not args.no_accounts and not auth_host:
        print(f"{AUTH_HOST_VARIABLE} is not set (or pass --no-accounts).", file=out)
        return 2
    now = args.now or dt.datetime.now(dt.UTC)
    try:
        accounts = demo_accounts(now)
    except MitcheError as exc:
        print(f"Seeding failed: {exc}", file=out)
        return 1
    if auth_host and not args.no_accounts:
        # Accounts first, as members sign up: their claims come from the demo's acts.
        try:
            result = seed_accounts(
                auth_host,
                args.project,
                [replace(account, custom_claims={}) for account in accounts],
            )
        except MitcheError as exc:
            print(f"Seeding accounts failed: {exc}", file=out)
            return 1
        print(
            f"Auth emulator at {auth_host}: {len(result.created)} account(s) created, "
            f"{len(result.updated)} reset. Sign in as:\n{accounts_table(accounts)}",
            file=out,
        )
    # google-auth ships no annotations for AnonymousCredentials.__init__.
    credentials = AnonymousCredentials()  # type: ignore[no-untyped-call]
    client = Client(project=args.project, credentials=credentials)
    try:
        report = seed(client, now)
    except MitcheError as exc:
        print(f"Seeding failed: {exc}", file=out)
        return 1
    migrated = apply_pending(client, MIGRATIONS_DIR, by="devstack seed")
    print(
        f"Played the demo's {report.batches} member write(s) into Firestore at "
        f"{firestore_host} (project {args.project}); applied {len(migrated.runs)} data "
        "migration(s). The emulators' functions produce the rest as they run.",
        file=out,
    )
    return 0
