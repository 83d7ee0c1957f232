"""Perform one act of the demo's story against a database, through production's own code.

A member's write goes to Firestore as their app sends it (rules bypassed: the seed writes as
the administrator, but only the keys a client may write). A call runs the callable registry's
entry, the code path `functions/main.py` serves, with the caller's claims and the demo's clock
as its `now`. An operator command and a schedule run the same functions as
`python -m mitche.commands` and the scheduled function do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from google.cloud.firestore_v1 import Client

from mitche.callables import Caller, registry
from mitche.commands import backfill_day, grant_role
from mitche.errors import InvalidArgumentError
from mitche.handlers import Deps, expire_overdue_requests
from mitche.models.users import Role
from mitche.services import FirebaseAccounts, SettingsStore
from mitche_dev.devstack._acts import Act, Call, Operator, Schedule, Write

__all__ = ["perform"]


def _deps(client: Client, at: dt.datetime | None) -> Deps:
    clock: Callable[[], dt.datetime] = (
        (lambda: at) if at is not None else (lambda: dt.datetime.now(dt.UTC))
    )
    return Deps(
        settings=SettingsStore(),
        accounts=FirebaseAccounts(),
        client_factory=lambda: client,
        now=clock,
    )


def _operator(client: Client, act: Operator) -> None:
    deps = _deps(client, act.at)
    if act.command == "grant-role":
        grant_role(deps, act.args["uid"], Role(act.args["role"]))
    elif act.command == "backfill-analytics":
        backfill_day(deps, act.args["day"], force=True)
    else:
        raise InvalidArgumentError(f"the demo runs no operator command {act.command!r}")


def _schedule(client: Client, act: Schedule) -> None:
    if act.name != "expire_overdue_requests":
        raise InvalidArgumentError(f"the demo runs no schedule {act.name!r}")
    expire_overdue_requests(_deps(client, act.at), act.at)


def perform(client: Client, act: Act) -> None:
    """Do `act` against the database `client` reaches (see the module docstring)."""
    if isinstance(act, Write):
        client.document(act.path).set(dict(act.data), merge=act.merge)
    elif isinstance(act, Call):
        registry()[act.name].call(
            _deps(client, act.at), Caller(act.caller, dict(act.claims)), dict(act.data)
        )
    elif isinstance(act, Operator):
        _operator(client, act)
    else:
        _schedule(client, act)
