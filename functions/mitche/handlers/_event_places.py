"""Places at a community event and its counts, under any interleaving of registrations.

Members write their registration `pending` (or `cancelled`); organisers mark attendance. Each
such change runs `settle_registration`, which settles the event in rounds, each one
transaction that:

1. reads the event document (capacity, counts) and the changed registration;
2. counts the changed registration by the difference between its state and its `counted`
   tally (`mitche.domain.event_places`), so a redelivery counts nothing twice;
3. reads the head of the queue, the first `PLACES_ROUND` pending and the first `PLACES_ROUND`
   waitlisted registrations in the order members asked (catalog query `functions.eventQueue`),
   places them (registered while the seats fit, then waitlisted or refused as full), and writes
   each placed registration with its new tally and the event's counts.

**Why capacity holds.** Every change of seats, for every registration of one event, commits in a
transaction that read the event document and wrote its counts; Firestore serialises those
transactions (a concurrent one aborts and is retried on fresh data), so no two rounds place
seats from the same free count. Registered seats equal the sum of the tallies and never pass
the capacity, whatever the order in which triggers run; the queue is ordered by the time each
member asked, so the order of the triggers does not decide who gets a seat either.

**Throughput.** One event document sustains about one write per second, and every round that
places or counts writes it. A burst is absorbed because one round places the whole queue it
reads (up to `PLACES_ROUND` members): of 45 registrations arriving at once, the first round to
commit places all that are visible, and the triggers of the others find nothing pending and write
nothing (the journey `events/capacity.test.mjs` sends 45 at once and checks each is placed).
Sustained traffic above ~1 change/s on one event (cancellations and check-ins each write the
counts) would contend: retried transactions (`run_transaction`'s rounds) absorb bursts, not a
permanent overload; a very large event would move its counts to shards, which this design
leaves for when an event needs it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from pydantic import ValidationError

from mitche.domain.event_places import (
    CountsDelta,
    Placement,
    QueuedRegistration,
    apply_delta,
    place,
    tally_delta,
    tally_of,
)
from mitche.handler_names import HandlerName
from mitche.handlers._context import Deps, DocumentChange
from mitche.handlers._event_notices import EventNotice, read_notices_ahead, send_notices
from mitche.models import (
    AttendanceState,
    EventStatus,
    NotificationKind,
    RegistrationCounts,
    RegistrationStatus,
    RegistrationTally,
)
from mitche.models.common import ApprovalState
from mitche.queries import query_for
from mitche.services import Unit, from_document, log_info, run_transaction, to_document

__all__ = [
    "PLACES_ROUND",
    "PlacesOutcome",
    "counted_of",
    "event_path_of",
    "needs_settling",
    "settle_event",
    "settle_registration",
    "stored_counts",
    "tally_now",
]

HANDLER: Final = HandlerName.EVENTS_PLACES
PLACES_ROUND: Final = 50
"""Pending (and waitlisted) registrations one round reads and places."""
MAX_ROUNDS: Final = 20
"""Rounds one settling runs at most (a later change settles the rest)."""
_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def event_path_of(registration_path: str) -> str:
    """`communityEvents/{id}` of `communityEvents/{id}/registrations/{uid}`."""
    return "/".join(registration_path.split("/")[:2])


def _status(data: Mapping[str, Any]) -> RegistrationStatus:
    try:
        return RegistrationStatus(data.get("status", RegistrationStatus.REGISTERED.value))
    except ValueError:
        return RegistrationStatus.CANCELLED


def _guests(data: Mapping[str, Any]) -> int:
    guests = data.get("guests", 0)
    return guests if isinstance(guests, int) and 0 <= guests <= 10 else 0


def _attendance(data: Mapping[str, Any]) -> AttendanceState:
    try:
        return AttendanceState(data.get("attendance", AttendanceState.UNKNOWN.value))
    except ValueError:
        return AttendanceState.UNKNOWN


def tally_now(data: Mapping[str, Any]) -> RegistrationTally | None:
    """What the counts should hold for the registration as stored."""
    return tally_of(_status(data), _guests(data), _attendance(data))


def counted_of(data: Mapping[str, Any]) -> RegistrationTally | None:
    """The tally the event's counts hold for the registration (None: nothing, or unreadable)."""
    raw = data.get("counted")
    if not isinstance(raw, Mapping):
        return None
    try:
        return from_document(RegistrationTally, raw)
    except ValidationError:
        return None


def needs_settling(data: Mapping[str, Any] | None) -> bool:
    """Whether a registration waits for a place or is counted wrong (otherwise its trigger
    reads nothing)."""
    if data is None:
        return False
    return _status(data) is RegistrationStatus.PENDING or tally_now(data) != counted_of(data)


def stored_counts(event: Mapping[str, Any]) -> RegistrationCounts:
    """The event's counts as stored (zero when absent or unreadable)."""
    raw = event.get("registrations")
    if not isinstance(raw, Mapping):
        return RegistrationCounts()
    try:
        return from_document(RegistrationCounts, raw)
    except ValidationError:
        return RegistrationCounts()


def _queued(path: str, data: Mapping[str, Any]) -> QueuedRegistration:
    asked = data.get("requestedAt") or data.get("createdAt")
    return QueuedRegistration(
        asked if isinstance(asked, dt.datetime) else _EPOCH,
        path.rsplit("/", 1)[-1],
        1 + _guests(data),
        _status(data),
    )


@dataclass(slots=True)
class PlacesOutcome:
    """What settling an event did."""

    placements: list[Placement] = field(default_factory=list)
    promoted: list[str] = field(default_factory=list)
    """Members moved from the waitlist to a seat."""
    counts: RegistrationCounts | None = None
    """The counts written last (None: unchanged)."""
    more: bool = False
    """A round read a full page: another round may find more to place."""


def _open_for_places(event: Mapping[str, Any]) -> bool:
    approval = event.get("approval")
    state = approval.get("state") if isinstance(approval, Mapping) else None
    return (
        event.get("status") == EventStatus.SCHEDULED.value and state == ApprovalState.APPROVED.value
    )


def _round(
    unit: Unit, event_path: str, changed: Sequence[str], at: dt.datetime, outcome: PlacesOutcome
) -> bool:
    """One transaction's work; whether another round may place more."""
    event = unit.get(event_path)
    if event is None:
        return False
    registrations: dict[str, dict[str, Any]] = {}
    for path, data in unit.get_all(changed).items():
        if data is not None:
            registrations[path] = data
    event_id = event_path.rsplit("/", 1)[-1]
    counts = stored_counts(event)
    writes: dict[str, dict[str, Any]] = {}
    delta = CountsDelta()

    def count(path: str, data: Mapping[str, Any], fields: dict[str, Any]) -> None:
        nonlocal delta
        merged = {**data, **fields}
        now = tally_now(merged)
        before = counted_of(data)
        if now != before:
            delta = delta + tally_delta(before, now)
            fields["counted"] = None if now is None else to_document(now, unit.client)
        if fields:
            writes[path] = {**writes.get(path, {}), **fields}
        registrations[path] = {**merged, **fields}

    for path, data in registrations.items():
        count(path, data, {})

    more = False
    notices: list[EventNotice] = []
    pending: list[tuple[str, dict[str, Any]]] = []
    waiting: list[tuple[str, dict[str, Any]]] = []
    cancelled_event = event.get("status") == EventStatus.CANCELLED.value
    if cancelled_event or _open_for_places(event):
        pending = unit.query(
            query_for(
                unit.client,
                "functions.eventQueue",
                eventId=event_id,
                status=RegistrationStatus.PENDING.value,
                limit=PLACES_ROUND,
            )
        )
    if _open_for_places(event):
        waiting = unit.query(
            query_for(
                unit.client,
                "functions.eventQueue",
                eventId=event_id,
                status=RegistrationStatus.WAITLISTED.value,
                limit=PLACES_ROUND,
            )
        )
    queue = {path: registrations.get(path, data) for path, data in [*waiting, *pending]}
    if cancelled_event:
        for path, data in queue.items():
            count(path, data, {"status": "cancelled", "closedReason": "eventCancelled"})
        more = len(pending) == PLACES_ROUND
    elif queue:
        seats = apply_delta(counts, delta).registered
        last_waiting = _queued(*waiting[-1]) if len(waiting) == PLACES_ROUND else None
        capacity = event.get("capacity")
        placements = place(
            [_queued(path, data) for path, data in queue.items()],
            capacity=capacity if isinstance(capacity, int) else None,
            registered_seats=seats,
            waitlist_enabled=event.get("waitlistEnabled", True) is not False,
            unread_waiting_after=last_waiting,
        )
        by_id = {path.rsplit("/", 1)[-1]: path for path in queue}
        for placement in placements:
            path = by_id[placement.registration_id]
            data = queue[path]
            fields: dict[str, Any] = {"status": placement.status.value, "placedAt": at}
            if placement.full:
                fields["closedReason"] = "full"
            count(path, data, fields)
            outcome.placements.append(placement)
            promoted = (
                _status(data) is RegistrationStatus.WAITLISTED
                and placement.status is RegistrationStatus.REGISTERED
            )
            if promoted:
                outcome.promoted.append(placement.registration_id)
            if promoted or placement.full:
                asked = _queued(path, data).requested_at.isoformat()
                kind = (
                    NotificationKind.EVENT_REGISTRATION_PROMOTED
                    if promoted
                    else NotificationKind.EVENT_REGISTRATION_CANCELLED
                )
                notices.append(EventNotice(placement.registration_id, kind, f"{path}:{asked}"))
        more = len(pending) == PLACES_ROUND or (
            last_waiting is not None
            and any(p.status is RegistrationStatus.REGISTERED for p in placements)
        )
    read_notices_ahead(unit, notices)
    for path, fields in writes.items():
        unit.update(path, fields)
    if not delta.empty:
        counts = apply_delta(counts, delta)
        unit.update(event_path, {"registrations": to_document(counts, unit.client)})
        outcome.counts = counts
    send_notices(unit, notices, event_path=event_path, title=str(event.get("title", "")), at=at)
    return more


def settle_event(
    deps: Deps, event_path: str, at: dt.datetime, changed: Sequence[str] = ()
) -> PlacesOutcome:
    """Count `changed` registrations and place the event's queue, in rounds (see the module)."""
    outcome = PlacesOutcome()
    for round_number in range(MAX_ROUNDS):
        attempt = PlacesOutcome()
        first = changed if round_number == 0 else ()

        def work(
            unit: Unit, attempt: PlacesOutcome = attempt, first: Sequence[str] = first
        ) -> bool:
            return _round(unit, event_path, first, at, _reset(attempt))

        more = run_transaction(deps.client, HANDLER, work)
        outcome.placements.extend(attempt.placements)
        outcome.promoted.extend(attempt.promoted)
        outcome.counts = attempt.counts or outcome.counts
        outcome.more = more
        if not more:
            break
    if outcome.placements or outcome.counts is not None:
        log_info(
            "event places settled",
            handler=HANDLER,
            path=event_path,
            placed=len(outcome.placements),
            promoted=len(outcome.promoted),
        )
    return outcome


def _reset(outcome: PlacesOutcome) -> PlacesOutcome:
    """A retried transaction starts its record again (only the committed attempt counts)."""
    outcome.placements.clear()
    outcome.promoted.clear()
    outcome.counts = None
    return outcome


def settle_registration(deps: Deps, change: DocumentChange) -> PlacesOutcome:
    """A registration was written: count it and place its event's queue if it needs it."""
    if not needs_settling(change.after):
        return PlacesOutcome()
    return settle_event(deps, event_path_of(change.path), change.at, (change.path,))
