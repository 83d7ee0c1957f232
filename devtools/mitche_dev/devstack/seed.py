"""Load the demo into a running local stack: accounts into the Auth emulator, the demo's acts
into Firestore and the callables, with the functions producing the rest.

The database first gets what a production install holds after its setup: the production
commands `init-settings` and `load-catalog` run on it (`_setup.run_setup_commands`). Then the
demo's story is played act by act (`_story.demo_acts`): members' writes carrying only the
fields a client may write (encoded by `mitche.services.codec.to_document`, references as real
DocumentReferences), the moderator's and the admin's decisions through the callables, the
operator's commands and the expiry schedule. Nothing a function owns is written by the seed:
screening, counts, unread badges, grants, ledgers, totals, claims, notifications and analytics
come from the functions running beside it, which `settle` waits for after each act (the dev
stack and `demo_stack` pass it). Accounts are created over the Auth emulator's REST API with the
emulator's administrator token (`Bearer owner`); seeding again resets them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

import httpx
from google.cloud.firestore_v1 import Client

from mitche.errors import FailedPreconditionError
from mitche.handlers._identity import store_identity
from mitche_dev.devstack._actors import DemoAccount
from mitche_dev.devstack._acts import Write
from mitche_dev.devstack._paths import model_for_path
from mitche_dev.devstack._perform import perform
from mitche_dev.devstack._setup import SetupReport, run_setup_commands
from mitche_dev.devstack._story import demo_acts
from mitche_dev.devstack.demo import demo_identities

__all__ = [
    "MAX_BATCH_WRITES",
    "AccountSeedReport",
    "AuthEmulatorError",
    "SeedReport",
    "chunked",
    "seed",
    "seed_accounts",
    "seed_writes",
]

MAX_BATCH_WRITES: Final = 500
"""Most writes Firestore accepts in one batched write."""

_OWNER_TOKEN: Final = "owner"
"""The bearer token the Auth emulator treats as a project administrator."""
_DUPLICATE_UID: Final = "DUPLICATE_LOCAL_ID"
_TIMEOUT: Final = httpx.Timeout(10.0)

ItemT = TypeVar("ItemT")


class AuthEmulatorError(FailedPreconditionError):
    """The Auth emulator was unreachable or refused a request (the stack must be running)."""


@dataclass(frozen=True, slots=True)
class SeedReport:
    """What `seed` wrote."""

    documents: int
    """Documents written."""
    batches: int
    """Writes committed (one per member write: each act settles before the next)."""
    by_collection: Mapping[str, int] = field(default_factory=dict)
    """Documents written under each top-level collection (nested documents included)."""
    setup: SetupReport | None = None
    """What the production setup commands did before the demo documents were written."""
    identities: int = 0
    """Members whose identity was given through the backend (sealed, `store_identity`)."""


@dataclass(frozen=True, slots=True)
class AccountSeedReport:
    """What `seed_accounts` did, by uid."""

    created: tuple[str, ...]
    """Accounts that did not exist and were created."""
    updated: tuple[str, ...]
    """Accounts that existed and were reset to the demo's email, password, name and claims."""


def chunked(items: Sequence[ItemT], size: int) -> Iterator[Sequence[ItemT]]:
    """Consecutive slices of `items` of at most `size` elements, in order."""
    if size < 1:
        raise ValueError(f"a chunk holds at least one item, not {size}")
    for start in range(0, len(items), size):
        yield items[start : start + size]


def seed_writes(client: Client, now: dt.datetime) -> list[tuple[str, dict[str, Any]]]:
    """The (path, data) of every member write the seed makes, in order (an update merges into
    the document), each checked against the registry: its path must hold a declared document.
    Builds data only; contacts no server."""
    writes: list[tuple[str, dict[str, Any]]] = []
    for act in demo_acts(now, client):
        if isinstance(act, Write):
            model_for_path(act.path)
            writes.append((act.path, dict(act.data)))
    return writes


def _no_wait() -> None:
    """Settling when nothing can be observed (no functions runtime in this process)."""


def seed(
    client: Client,
    now: dt.datetime,
    *,
    settle: Callable[[], None] = _no_wait,
) -> SeedReport:
    """Run the production setup commands, then play the demo's acts in order (members' writes,
    moderators' and admins' calls through the callables, the operator's commands, the
    schedules), calling `settle` after each so that the functions produce what the act causes
    before the next one; then give each member's identity to the backend, which seals it as
    `set_identity` does. The functions must be running (the dev stack's, or a `LocalStack`'s)
    for the demo to hold what production would: the seed writes nothing a function owns."""
    acts = demo_acts(now, client)
    setup = run_setup_commands(client, now)
    settle()
    writes = [act for act in acts if isinstance(act, Write)]
    for act in acts:
        perform(client, act)
        settle()
    identities = 0
    for uid, given, at in demo_identities(now):
        store_identity(client, uid, given, at)
        identities += 1
    settle()
    return SeedReport(
        documents=len({act.path for act in writes}),
        batches=len(writes),
        by_collection=dict(Counter(act.path.split("/", 1)[0] for act in writes)),
        setup=setup,
        identities=identities,
    )


def _message(response: httpx.Response) -> str:
    """The error message of an Identity Toolkit error response (`error.message`)."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    error = body.get("error") if isinstance(body, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    return message if isinstance(message, str) else response.text[:200]


class _AuthEmulator:
    """The few Identity Toolkit admin calls the seed needs, against the emulator."""

    def __init__(self, http: httpx.Client, project: str) -> None:
        self._http = http
        self._accounts = f"/identitytoolkit.googleapis.com/v1/projects/{project}/accounts"

    def _post(self, url: str, body: Mapping[str, Any]) -> httpx.Response:
        try:
            return self._http.post(url, json=dict(body))
        except httpx.TransportError as exc:
            raise AuthEmulatorError(
                f"the Auth emulator at {self._http.base_url} did not answer ({exc})", cause=exc
            ) from exc

    def _check(self, response: httpx.Response, action: str) -> None:
        if response.is_error:
            raise AuthEmulatorError(
                f"the Auth emulator refused to {action}: "
                f"{response.status_code} {_message(response)}"
            )

    def create(self, account: DemoAccount) -> bool:
        """Create the account under its uid; False when the uid is already taken."""
        response = self._post(
            self._accounts,
            {
                "localId": account.uid,
                "email": account.email,
                "password": account.password,
                "displayName": account.display_name,
                "emailVerified": True,
            },
        )
        refused = response.status_code == httpx.codes.BAD_REQUEST
        if refused and _message(response).startswith(_DUPLICATE_UID):
            return False
        self._check(response, f"create account {account.uid!r}")
        return True

    def update(self, account: DemoAccount, *, reset: bool) -> None:
        """Set the account's custom claims; with `reset`, its email, password and name too."""
        body: dict[str, Any] = {
            "localId": account.uid,
            "customAttributes": json.dumps(dict(account.custom_claims), sort_keys=True),
        }
        if reset:
            body |= {
                "email": account.email,
                "password": account.password,
                "displayName": account.display_name,
                "emailVerified": True,
            }
        response = self._post(f"{self._accounts}:update", body)
        self._check(response, f"update account {account.uid!r}")


def seed_accounts(
    auth_emulator_host: str,
    project: str,
    accounts: Iterable[DemoAccount],
    *,
    transport: httpx.BaseTransport | None = None,
) -> AccountSeedReport:
    """Create (or reset) each account in the Auth emulator at `host:port`, with its claims.

    `transport` replaces the network for tests (an `httpx.MockTransport`).
    """
    created: list[str] = []
    updated: list[str] = []
    with httpx.Client(
        base_url=f"http://{auth_emulator_host}",
        headers={"Authorization": f"Bearer {_OWNER_TOKEN}"},
        timeout=_TIMEOUT,
        transport=transport,
    ) as http:
        emulator = _AuthEmulator(http, project)
        for account in accounts:
            is_new = emulator.create(account)
            emulator.update(account, reset=not is_new)
            (created if is_new else updated).append(account.uid)
    return AccountSeedReport(created=tuple(created), updated=tuple(updated))
