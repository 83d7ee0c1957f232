"""Who is accepted, and when an exchange opens and ends: the server side of the help cycle.

Design, and why each outcome rests on a fact the other party confirmed:
* A requester accepts a helper by moving that helper's offering to `accepted` (only the
  requester may: firestore.rules). This handler then writes the helper into the request's
  `acceptedHelperIds` (a server field: no client can put a uid there, so `completion.fulfilledBy`,
  which must name accepted helpers, can only name members the requester accepted through an
  offering), moves an open request to `inProgress`, and opens the exchange's conversation.
* A standing offering (no request) is claimed by a member who needs it: they set themselves as
  `requesterId` and accept it in one write (the rules allow exactly that on an unclaimed
  standing offering); the handler opens a direct conversation between helper and claimant.
* The conversation of an exchange has a deterministic id (a hash of the request, or the standing
  offering, and the helper), so a redelivered event, or a second offering by the same helper on
  the same request, reuses it; one that exists with other participants (a squatted id) is never
  reused: the handler then names the conversation after the event instead.
* Completion is confirmed by the requester (the helper may propose it with
  `completionProposedAt`); feedback on an exchange is given once, on the offering
  (`requesterFeedback`), and paid once there (mitche.handlers._activities).
* Expiry: a schedule finds open and in-progress requests whose deadline passed (a catalog query
  on `deadline`, bounded per run, never a collection scan) and expires each in its own
  transaction; the request's trigger then expires its offerings still waiting for an answer.

Every step is idempotent: each transaction re-reads what it changes and writes only what is
missing, so a redelivery changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from mitche.handler_names import HandlerName
from mitche.handlers._context import Deps, DocumentChange, decode, decode_change
from mitche.models import (
    FINAL_REQUEST_STATUSES,
    MAX_ACCEPTED_HELPERS,
    Collection,
    Conversation,
    ConversationType,
    HelpRequest,
    Offering,
    OfferingStatus,
    RequestStatus,
)
from mitche.queries import query_for
from mitche.services import (
    CostSample,
    Unit,
    log_info,
    log_warning,
    record_cost,
    run_transaction,
)

__all__ = [
    "EXPIRY_BATCH",
    "Acceptance",
    "ExpiredRequests",
    "accept_offering",
    "exchange_conversation_id",
    "expire_offerings_of",
    "expire_overdue_requests",
]

ACCEPT_HANDLER: Final = HandlerName.HELP_CYCLE_ACCEPT
EXPIRE_HANDLER: Final = HandlerName.HELP_CYCLE_EXPIRE
EXPIRY_BATCH: Final = 200
"""Requests one scheduled run expires at most (the next run takes the rest)."""


def exchange_conversation_id(source_path: str, helper_id: str) -> str:
    """The conversation of one helper's exchange on a request or standing offering."""
    digest = hashlib.sha256(f"{source_path}\x00{helper_id}".encode()).hexdigest()[:40]
    return f"exchange-{digest}"


@dataclass(frozen=True, slots=True)
class Acceptance:
    """What accepting an offering did."""

    conversation_id: str | None = None
    helper_added: bool = False


def _usable(existing: Mapping[str, Any] | None, members: set[str]) -> bool:
    if existing is None:
        return True
    participants = existing.get("participantIds")
    return isinstance(participants, list) and members <= set(participants)


def _open_conversation(
    unit: Unit,
    conversation_id: str,
    existing: Mapping[str, Any] | None,
    conversation: Conversation,
) -> None:
    if existing is None:
        unit.create(f"{Collection.CONVERSATIONS.value}/{conversation_id}", conversation)


def _accept_on_request(deps: Deps, change: DocumentChange, offering: Offering) -> Acceptance:
    assert offering.request_path is not None
    assert offering.requester_id is not None
    request_path = offering.request_path
    helper, requester = offering.helper_id, offering.requester_id
    members = {helper, requester}

    def work(unit: Unit) -> Acceptance:
        preferred = offering.conversation_id or exchange_conversation_id(request_path, helper)
        found = unit.get_all([request_path, f"{Collection.CONVERSATIONS.value}/{preferred}"])
        request = decode(
            HelpRequest,
            found[request_path],
            path=request_path,
            handler=ACCEPT_HANDLER,
            event_id=change.event_id,
        )
        if request is None or request.status in FINAL_REQUEST_STATUSES:
            log_warning(
                "offering accepted on a request that is gone or final; nothing opened",
                handler=ACCEPT_HANDLER,
                eventId=change.event_id,
                path=change.path,
            )
            return Acceptance()
        if request.requester_id != requester:
            return Acceptance()
        conversation_id = preferred
        existing = found[f"{Collection.CONVERSATIONS.value}/{preferred}"]
        if not _usable(existing, members):
            conversation_id = exchange_conversation_id(
                request_path, f"{helper}\x00{change.event_id}"
            )
            existing = unit.get(f"{Collection.CONVERSATIONS.value}/{conversation_id}")
        _open_conversation(
            unit,
            conversation_id,
            existing,
            Conversation(
                conversation_type=ConversationType.REQUEST,
                created_by=requester,
                participant_ids=[requester, helper],
                title=request.title[:100],
                context=request_path,
                created_at=change.at,
                updated_at=change.at,
            ),
        )
        added = helper not in request.accepted_helper_ids
        if added and len(request.accepted_helper_ids) < MAX_ACCEPTED_HELPERS:
            fields: dict[str, Any] = {
                "acceptedHelperIds": [*request.accepted_helper_ids, helper],
            }
            if request.status is RequestStatus.OPEN:
                fields["status"] = RequestStatus.IN_PROGRESS.value
            unit.update(request_path, fields)
        else:
            added = False
        if offering.conversation_id != conversation_id:
            unit.update(change.path, {"conversationId": conversation_id})
        return Acceptance(conversation_id, added)

    return run_transaction(deps.client, ACCEPT_HANDLER, work)


def _accept_standing(deps: Deps, change: DocumentChange, offering: Offering) -> Acceptance:
    assert offering.requester_id is not None
    helper, claimant = offering.helper_id, offering.requester_id

    def work(unit: Unit) -> Acceptance:
        conversation_id = offering.conversation_id or exchange_conversation_id(change.path, helper)
        existing = unit.get(f"{Collection.CONVERSATIONS.value}/{conversation_id}")
        if not _usable(existing, {helper, claimant}):
            conversation_id = exchange_conversation_id(
                change.path, f"{helper}\x00{change.event_id}"
            )
            existing = unit.get(f"{Collection.CONVERSATIONS.value}/{conversation_id}")
        _open_conversation(
            unit,
            conversation_id,
            existing,
            Conversation(
                conversation_type=ConversationType.DM,
                created_by=claimant,
                participant_ids=[claimant, helper],
                created_at=change.at,
                updated_at=change.at,
            ),
        )
        if offering.conversation_id != conversation_id:
            unit.update(change.path, {"conversationId": conversation_id})
        return Acceptance(conversation_id)

    return run_transaction(deps.client, ACCEPT_HANDLER, work)


def accept_offering(deps: Deps, change: DocumentChange) -> Acceptance:
    """An offering entered `accepted`: add its helper to the request, open the conversation."""
    sides = decode_change(Offering, change, ACCEPT_HANDLER)
    if sides is None:
        return Acceptance()
    before, after = sides
    if after is None or after.status is not OfferingStatus.ACCEPTED:
        return Acceptance()
    if before is not None and before.status is OfferingStatus.ACCEPTED:
        return Acceptance()
    if after.requester_id is None:
        return Acceptance()
    if after.request_path is None:
        outcome = _accept_standing(deps, change, after)
    else:
        outcome = _accept_on_request(deps, change, after)
    log_info(
        "offering accepted",
        handler=ACCEPT_HANDLER,
        eventId=change.event_id,
        path=change.path,
        conversationId=outcome.conversation_id,
        helperAdded=outcome.helper_added,
    )
    return outcome


def expire_offerings_of(deps: Deps, change: DocumentChange) -> int:
    """A request entered `expired`: its offerings still waiting for an answer expire too."""
    sides = decode_change(HelpRequest, change, EXPIRE_HANDLER)
    if sides is None:
        return 0
    before, after = sides
    if after is None or after.status is not RequestStatus.EXPIRED:
        return 0
    if before is not None and before.status is RequestStatus.EXPIRED:
        return 0
    client = deps.client
    waiting = query_for(
        client,
        "functions.waitingOfferingsOfRequest",
        requestPath=change.path,
    )
    expired = 0
    found = list(waiting.stream())
    record_cost(CostSample(EXPIRE_HANDLER, max(1, len(found)), 0))
    for snapshot in found:
        path = snapshot.reference.path

        def work(unit: Unit, path: str = path) -> bool:
            data = unit.get(path)
            if data is None or data.get("status") != OfferingStatus.OFFERED.value:
                return False
            unit.update(path, {"status": OfferingStatus.EXPIRED.value})
            return True

        expired += run_transaction(client, EXPIRE_HANDLER, work)
    return expired


@dataclass(frozen=True, slots=True)
class ExpiredRequests:
    """What a scheduled expiry run did."""

    expired: tuple[str, ...] = ()
    more: bool = False
    """The run stopped at its bound; the next run continues."""


def expire_overdue_requests(deps: Deps, now: dt.datetime) -> ExpiredRequests:
    """Expire open and in-progress requests whose deadline has passed (at most
    `EXPIRY_BATCH` per run, soonest deadline first)."""
    client = deps.client
    overdue = query_for(client, "functions.overdueRequests", now=now, limit=EXPIRY_BATCH)
    snapshots = list(overdue.stream())
    record_cost(CostSample(EXPIRE_HANDLER, max(1, len(snapshots)), 0))
    expired: list[str] = []
    for snapshot in snapshots:
        path = snapshot.reference.path

        def work(unit: Unit, path: str = path) -> bool:
            data = unit.get(path)
            if data is None:
                return False
            status = data.get("status")
            deadline = data.get("deadline")
            if status not in (RequestStatus.OPEN.value, RequestStatus.IN_PROGRESS.value):
                return False
            if not isinstance(deadline, dt.datetime) or deadline > now:
                return False
            unit.update(path, {"status": RequestStatus.EXPIRED.value})
            return True

        if run_transaction(client, EXPIRE_HANDLER, work):
            expired.append(path)
    if expired:
        log_info("requests expired", handler=EXPIRE_HANDLER, count=len(expired))
    return ExpiredRequests(tuple(expired), more=len(snapshots) == EXPIRY_BATCH)
