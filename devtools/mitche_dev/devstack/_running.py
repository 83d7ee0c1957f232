"""The demo seeded into a running local stack whose functions produce what the seed's acts
cause: the dev stack's main job and every test that reads the demo use this one path.

The accounts are created first, as members sign up (no custom claims: roles, the verified
provider and the suspension come from the acts, through the callables that set claims); the
documents follow act by act, each settled (every trigger it caused, cascades included, has
run, and none failed) before the next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Final

from google.auth.credentials import AnonymousCredentials
from google.cloud.firestore_v1 import Client

from firelab.stack import LocalStack, StackConfig
from mitche.errors import FailedPreconditionError, InternalError
from mitche.handlers import default_deps
from mitche_dev.devstack.demo import demo_accounts
from mitche_dev.devstack.seed import SeedReport, seed, seed_accounts

__all__ = ["REPOSITORY", "demo_stack", "seed_running_stack", "settled"]

REPOSITORY: Final = Path(__file__).resolve().parents[3]
"""The checkout this package runs from: firestore.rules, indexes and functions/ live here."""
_SETTLE_TIMEOUT: Final = 120.0


def settled(stack: LocalStack) -> None:
    """Wait until every trigger caused so far has run; raise if one failed for good."""
    if stack.dispatcher is None:
        raise FailedPreconditionError("the stack runs no functions: the demo needs them")
    if not stack.dispatcher.wait_idle(_SETTLE_TIMEOUT):
        raise InternalError(f"the functions did not settle within {_SETTLE_TIMEOUT:.0f} s")
    if stack.dispatcher.failures:
        failure = stack.dispatcher.failures[0]
        raise InternalError(
            f"{failure.function} failed on {failure.document} while seeding: {failure.error}"
        )


def seed_running_stack(stack: LocalStack, project: str, now: dt.datetime) -> SeedReport:
    """Create the demo's accounts (when the stack has Auth), then play the demo into the
    stack's Firestore with its functions producing the rest."""
    default_deps().settings.invalidate()
    if stack.auth is not None:
        accounts = [replace(account, custom_claims={}) for account in demo_accounts(now)]
        seed_accounts(stack.auth.host, project, accounts)
    # google-auth ships no annotations for AnonymousCredentials.__init__.
    credentials = AnonymousCredentials()  # type: ignore[no-untyped-call]
    client = Client(project=project, credentials=credentials)
    return seed(client, now, settle=lambda: settled(stack))


@contextmanager
def demo_stack(
    project: str,
    now: dt.datetime,
    *,
    rules: bool = True,
    enforce_indexes: bool = False,
) -> Iterator[LocalStack]:
    """A local stack (Firestore, Auth, Mitché's functions; with firestore.rules unless
    `rules` is False) holding the demo, for tests and tools that read it."""
    config = StackConfig(
        project=project,
        rules=REPOSITORY / "firestore.rules" if rules else None,
        indexes=REPOSITORY / "firestore.indexes.json",
        enforce_indexes=enforce_indexes,
        functions_source=REPOSITORY / "functions",
        auth=True,
        storage=False,
    )
    with LocalStack(config) as stack:
        seed_running_stack(stack, project, now)
        yield stack
    default_deps().settings.invalidate()
