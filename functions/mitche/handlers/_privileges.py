"""Level privileges on the private account, and the open-request limit's count and backstop.

* `sync_privileges` (trigger on `users/{uid}`): when `gamification.level` changes, the benefits
  row of the new level is copied onto `users/{uid}/private/account` as `privileges`
  (mitche.domain.privileges), where the rules read it: organising events, the open-request
  limit, mentorship. Whatever moved the level (an award, an admin's adjustment, the recompute
  command) goes through this one trigger. Written only when it differs (a redelivery writes
  nothing); a new member at level 1 gets no map (the rules assume the first row).
* `count_open_requests` (trigger on `requests/{requestId}`): when a request is created, changes
  between open (open, in progress) and final, or is deleted, its requester's `openRequests` is
  recounted (a count aggregation, one read per 1,000 requests) and written, only when it
  differs, conditioned on the account as read before counting (a concurrent recount that wrote
  meanwhile sends this one round again, so the last write holds the latest count).
  Because the count lags a new request by this trigger, the rules can let a request past the
  limit (a second device, a retried write); the same trigger is the backstop: a new open request
  that finds `maxOpenRequests` of its requester's open requests created before it is closed,
  with `closure` saying why (read by the requester), never silently dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from google.api_core.exceptions import AlreadyExists, FailedPrecondition
from pydantic import ValidationError

from mitche.domain.privileges import (
    OPEN_REQUEST_STATUSES,
    default_privileges,
    limit_message,
    over_limit,
    privileges_for,
)
from mitche.errors import AbortedError
from mitche.handler_names import HandlerName
from mitche.handlers._account import account_path
from mitche.handlers._context import Deps, DocumentChange
from mitche.models import (
    PlatformClosure,
    Privileges,
    PublicSettings,
    RequestClosureReason,
    RequestStatus,
)
from mitche.queries import query_for
from mitche.services import (
    CostSample,
    Unit,
    from_document,
    log_info,
    record_cost,
    run_transaction,
    to_document,
)

__all__ = [
    "OpenRequestsOutcome",
    "PrivilegesOutcome",
    "count_open_requests",
    "recount_open_requests",
    "stored_privileges",
    "sync_privileges",
]

SYNC: Final = HandlerName.PRIVILEGES_SYNC
OPEN_REQUESTS: Final = HandlerName.PRIVILEGES_OPEN_REQUESTS
_RECOUNT_ATTEMPTS: Final = 5
_OPEN: Final = frozenset(status.value for status in OPEN_REQUEST_STATUSES)


@dataclass(frozen=True, slots=True)
class PrivilegesOutcome:
    """What a privileges sync did."""

    written: Privileges | None = None
    """The map written; None when nothing changed."""


def _level(data: Mapping[str, Any] | None) -> int:
    gamification = (data or {}).get("gamification")
    level = gamification.get("level", 1) if isinstance(gamification, Mapping) else 1
    return level if isinstance(level, int) and not isinstance(level, bool) and level >= 1 else 1


def stored_privileges(account: Mapping[str, Any] | None, settings: PublicSettings) -> Privileges:
    """The privileges the rules read from an account document (the first row's without a
    readable map)."""
    raw = (account or {}).get("privileges")
    if isinstance(raw, Mapping):
        try:
            return from_document(Privileges, raw)
        except ValidationError:
            pass
    return default_privileges(settings)


def sync_privileges(deps: Deps, change: DocumentChange) -> PrivilegesOutcome:
    """Copy the benefits row of the member's new level onto their private account."""
    if change.after is None:
        return PrivilegesOutcome()
    level = _level(change.after)
    if level == _level(change.before):
        return PrivilegesOutcome()
    uid = change.path.split("/")[1]
    path = account_path(uid)
    wanted = privileges_for(level, deps.settings.public(deps.client))

    def work(unit: Unit) -> Privileges | None:
        account = unit.get(path)
        raw = (account or {}).get("privileges")
        if isinstance(raw, Mapping) and dict(raw) == to_document(wanted, unit.client):
            return None
        unit.set(path, {"privileges": to_document(wanted, unit.client)}, merge=True)
        return wanted

    written = run_transaction(deps.client, SYNC, work)
    if written is not None:
        log_info(
            "privileges copied",
            handler=SYNC,
            eventId=change.event_id,
            path=path,
            level=level,
            canOrganizeEvents=written.can_organize_events,
            maxOpenRequests=written.max_open_requests,
            mentorshipEligible=written.mentorship_eligible,
        )
    return PrivilegesOutcome(written)


@dataclass(frozen=True, slots=True)
class OpenRequestsOutcome:
    """What the open-request handler did."""

    closed: bool = False
    """The new request went past the limit and was closed."""
    open_requests: int | None = None
    """The count written; None when it was already right (or nothing was counted)."""


def _is_open(data: Mapping[str, Any] | None) -> bool:
    return data is not None and data.get("status", RequestStatus.OPEN.value) in _OPEN


def _count(query: Any) -> int:
    """The number of documents a query matches (an aggregation: one read per 1,000 entries)."""
    results: Any = query.count(alias="n").get()
    return int(results[0][0].value)


def count_open_requests(deps: Deps, change: DocumentChange) -> OpenRequestsOutcome:
    """Close a new request past its requester's limit; recount their open requests."""
    if _is_open(change.before) == _is_open(change.after):
        return OpenRequestsOutcome()
    side = change.after or change.before or {}
    requester = side.get("requesterId")
    if not isinstance(requester, str) or not requester:
        return OpenRequestsOutcome()
    closed = False
    created = (change.after or {}).get("createdAt")
    if change.before is None and isinstance(created, dt.datetime):
        closed = _close_past_limit(deps, change, requester, created)
    return OpenRequestsOutcome(closed, recount_open_requests(deps, requester))


def _close_past_limit(
    deps: Deps, change: DocumentChange, requester: str, created: dt.datetime
) -> bool:
    settings = deps.settings.public(deps.client)
    snapshot = deps.client.document(account_path(requester)).get()
    privileges = stored_privileges(snapshot.to_dict() if snapshot.exists else None, settings)
    before = _count(
        query_for(deps.client, "functions.openRequestsOfBefore", uid=requester, createdAt=created)
    )
    if not over_limit(before, privileges):
        record_cost(CostSample(OPEN_REQUESTS, 2, 0))
        return False
    title = settings.benefit_for(privileges.level).title
    closure = PlatformClosure(
        reason=RequestClosureReason.OPEN_REQUEST_LIMIT,
        message=limit_message(before, privileges, title),
        closed_at=change.at,
    )

    def work(unit: Unit) -> bool:
        data = unit.get(change.path)
        if not _is_open(data) or (data or {}).get("closure") is not None:
            return False
        unit.update(
            change.path,
            {
                "status": RequestStatus.CLOSED.value,
                "completion": {"completedAt": change.at, "fulfilledBy": []},
                "closure": to_document(closure, unit.client),
            },
        )
        return True

    done = run_transaction(deps.client, OPEN_REQUESTS, work)
    if done:
        log_info(
            "request past the open-request limit closed",
            handler=OPEN_REQUESTS,
            eventId=change.event_id,
            path=change.path,
            openBefore=before,
            maxOpenRequests=privileges.max_open_requests,
        )
    return done


def recount_open_requests(deps: Deps, requester: str) -> int | None:
    """Store how many requests `requester` has open; the count written, or None when it was
    already right."""
    client = deps.client
    path = account_path(requester)
    for _ in range(_RECOUNT_ATTEMPTS):
        snapshot = client.document(path).get()
        count = _count(query_for(client, "functions.openRequestsOf", uid=requester))
        stored = (snapshot.to_dict() or {}).get("openRequests", 0) if snapshot.exists else 0
        if stored == count:
            record_cost(CostSample(OPEN_REQUESTS, 2, 0))
            return None
        try:
            if snapshot.exists:
                client.document(path).update(
                    {"openRequests": count},
                    option=client.write_option(last_update_time=snapshot.update_time),
                )
            else:
                client.document(path).create({"openRequests": count})
        except (FailedPrecondition, AlreadyExists):
            continue
        record_cost(CostSample(OPEN_REQUESTS, 2, 1))
        return count
    raise AbortedError(f"{path} kept changing while its open requests were recounted; retried")
