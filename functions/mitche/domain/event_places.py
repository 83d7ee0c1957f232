"""Places at a community event: who gets a seat, who waits, and what the counts hold.

Plain data in, decisions out (the handler `mitche.handlers._event_places` reads and writes).

* **Order.** Members ask for a place (`pending`); places go in order of the time they asked
  (`requestedAt`, the request time the rules check), ties broken by the registration id. The
  waitlist is the same queue: nobody is registered ahead of an earlier member still waiting.
* **Seats.** A registration takes `1 + guests` seats. The head of the queue is registered while
  its seats fit in what the capacity leaves; the first that does not fit stops the queue (no
  smaller party jumps it), and everyone after it waits (or, when the event keeps no waitlist,
  is refused as `full`). An event without capacity registers everyone.
* **Counts.** Each registration carries the tally the event's counts hold for it (`counted`);
  the counts move by the difference between that and its state now, in the same transaction,
  so the counts always equal the sum of the tallies and a redelivered change moves nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mitche.models.community_events import (
    AttendanceState,
    RegistrationCounts,
    RegistrationStatus,
    RegistrationTally,
)

__all__ = [
    "CountsDelta",
    "Placement",
    "QueuedRegistration",
    "apply_delta",
    "place",
    "tally_delta",
    "tally_of",
    "total",
]

_COUNTED = frozenset(
    {RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED}
)


@dataclass(frozen=True, slots=True, order=True)
class QueuedRegistration:
    """A registration in the queue for a place: pending, or waitlisted."""

    requested_at: dt.datetime
    registration_id: str
    seats: int = field(compare=False)
    status: RegistrationStatus = field(compare=False)


@dataclass(frozen=True, slots=True)
class Placement:
    """A queued registration's new status (only those that change)."""

    registration_id: str
    status: RegistrationStatus
    full: bool = False
    """Refused because the event is full and keeps no waitlist."""


def place(
    queue: Iterable[QueuedRegistration],
    *,
    capacity: int | None,
    registered_seats: int,
    waitlist_enabled: bool,
    unread_waiting_after: QueuedRegistration | None = None,
) -> list[Placement]:
    """The placements of `queue` (pending and waitlisted registrations, any order).

    `unread_waiting_after`: the last waitlisted registration read when more wait beyond it;
    a registration queued after it cannot be registered in this round (the unread ones come
    first), so it waits.
    """
    placements: list[Placement] = []
    free = None if capacity is None else capacity - registered_seats
    blocked = False
    for entry in sorted(queue):
        behind_unread = unread_waiting_after is not None and entry > unread_waiting_after
        fits = free is None or entry.seats <= free
        if not blocked and not behind_unread and fits:
            if free is not None:
                free -= entry.seats
            placements.append(Placement(entry.registration_id, RegistrationStatus.REGISTERED))
            continue
        blocked = True
        if entry.status is RegistrationStatus.WAITLISTED:
            continue
        if waitlist_enabled or behind_unread:
            placements.append(Placement(entry.registration_id, RegistrationStatus.WAITLISTED))
        else:
            placements.append(
                Placement(entry.registration_id, RegistrationStatus.CANCELLED, full=True)
            )
    return placements


def tally_of(
    status: RegistrationStatus, guests: int, attendance: AttendanceState
) -> RegistrationTally | None:
    """What the counts should hold for a registration in this state (None: nothing; a
    pending registration is not counted until placed)."""
    if status not in _COUNTED:
        return None
    return RegistrationTally(
        status=status,
        seats=1 + guests,
        attended=status is RegistrationStatus.REGISTERED and attendance is AttendanceState.ATTENDED,
    )


@dataclass(frozen=True, slots=True)
class CountsDelta:
    """How the event's counts move."""

    registered: int = 0
    waitlisted: int = 0
    cancelled: int = 0
    attended: int = 0

    def __add__(self, other: CountsDelta) -> CountsDelta:
        return CountsDelta(
            self.registered + other.registered,
            self.waitlisted + other.waitlisted,
            self.cancelled + other.cancelled,
            self.attended + other.attended,
        )

    @property
    def empty(self) -> bool:
        """Whether nothing moves."""
        return self == CountsDelta()


def _contribution(tally: RegistrationTally | None, sign: int) -> CountsDelta:
    if tally is None:
        return CountsDelta()
    return CountsDelta(
        registered=sign * tally.seats if tally.status is RegistrationStatus.REGISTERED else 0,
        waitlisted=sign if tally.status is RegistrationStatus.WAITLISTED else 0,
        cancelled=sign if tally.status is RegistrationStatus.CANCELLED else 0,
        attended=sign if tally.attended else 0,
    )


def tally_delta(before: RegistrationTally | None, after: RegistrationTally | None) -> CountsDelta:
    """How the counts move when a registration's tally goes from `before` to `after`:
    `registered` counts seats, the others count members."""
    return _contribution(after, 1) + _contribution(before, -1)


def apply_delta(counts: RegistrationCounts, delta: CountsDelta) -> RegistrationCounts:
    """The counts moved by `delta` (never below zero: a count read from a document written
    before the tallies existed is corrected, not made negative)."""
    return RegistrationCounts(
        registered=max(0, counts.registered + delta.registered),
        waitlisted=max(0, counts.waitlisted + delta.waitlisted),
        cancelled=max(0, counts.cancelled + delta.cancelled),
        attended=max(0, counts.attended + delta.attended),
    )


def total(tallies: Sequence[RegistrationTally | None]) -> CountsDelta:
    """The counts a set of registrations' tallies add up to (what a recount finds)."""
    result = CountsDelta()
    for tally in tallies:
        result = result + _contribution(tally, 1)
    return result
