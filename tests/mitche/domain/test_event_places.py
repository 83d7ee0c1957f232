"""Places at a community event (mitche.domain.event_places): capacity, queue order, counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from mitche.domain.event_places import (
    CountsDelta,
    QueuedRegistration,
    apply_delta,
    place,
    tally_delta,
    tally_of,
    total,
)
from mitche.models import AttendanceState, RegistrationCounts, RegistrationStatus

T0 = dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)
PENDING = RegistrationStatus.PENDING
REGISTERED = RegistrationStatus.REGISTERED
WAITLISTED = RegistrationStatus.WAITLISTED
CANCELLED = RegistrationStatus.CANCELLED


def make_queued(
    name: str, second: int, seats: int = 1, status: RegistrationStatus = PENDING
) -> QueuedRegistration:
    return QueuedRegistration(T0 + dt.timedelta(seconds=second), name, seats, status)


def test_places_go_in_order_of_asking_until_the_seats_run_out() -> None:
    """Earlier askers are registered; the rest wait, in order."""
    queue = [make_queued("c", 3), make_queued("a", 1, seats=2), make_queued("b", 2)]
    placed = place(queue, capacity=3, registered_seats=0, waitlist_enabled=True)
    assert [(p.registration_id, p.status) for p in placed] == [
        ("a", REGISTERED),
        ("b", REGISTERED),
        ("c", WAITLISTED),
    ]


def test_ties_in_time_are_broken_by_the_registration_id() -> None:
    """Two members asking at the same instant are ordered by id."""
    placed = place(
        [make_queued("zed", 1), make_queued("amy", 1)],
        capacity=1,
        registered_seats=0,
        waitlist_enabled=True,
    )
    assert [(p.registration_id, p.status) for p in placed] == [
        ("amy", REGISTERED),
        ("zed", WAITLISTED),
    ]


def test_a_party_that_does_not_fit_stops_the_queue() -> None:
    """A smaller, later party never jumps a larger one still waiting."""
    placed = place(
        [make_queued("big", 1, seats=3, status=WAITLISTED), make_queued("solo", 2)],
        capacity=10,
        registered_seats=8,
        waitlist_enabled=True,
    )
    assert [(p.registration_id, p.status) for p in placed] == [("solo", WAITLISTED)]


def test_without_a_waitlist_a_full_event_refuses_with_a_reason() -> None:
    """The member is told the event is full rather than left waiting for nothing."""
    (placed,) = place([make_queued("a", 1)], capacity=2, registered_seats=2, waitlist_enabled=False)
    assert (placed.status, placed.full) == (CANCELLED, True)


def test_an_event_without_capacity_registers_everyone() -> None:
    """No capacity means no limit."""
    placed = place(
        [make_queued(str(n), n, seats=11) for n in range(20)],
        capacity=None,
        registered_seats=0,
        waitlist_enabled=True,
    )
    assert {p.status for p in placed} == {REGISTERED}


def test_nobody_is_registered_behind_waiting_members_not_read() -> None:
    """When more members wait than one round reads, later askers wait too."""
    last_read = make_queued("w1", 1, status=WAITLISTED)
    placed = place(
        [last_read, make_queued("late", 5)],
        capacity=10,
        registered_seats=0,
        waitlist_enabled=False,
        unread_waiting_after=last_read,
    )
    assert [(p.registration_id, p.status) for p in placed] == [
        ("w1", REGISTERED),
        ("late", WAITLISTED),
    ]


def test_counts_move_by_the_difference_of_tallies() -> None:
    """A registered member with two guests who cancels frees three seats."""
    before = tally_of(REGISTERED, 2, AttendanceState.UNKNOWN)
    after = tally_of(CANCELLED, 2, AttendanceState.UNKNOWN)
    assert tally_delta(before, after) == CountsDelta(registered=-3, cancelled=1)
    assert tally_delta(after, after).empty


def test_a_pending_registration_is_not_counted() -> None:
    """Until placed, a registration holds no seat."""
    assert tally_of(PENDING, 3, AttendanceState.UNKNOWN) is None


# ---- Invariants over any sequence of members' acts -----------------------------------------


@dataclass
class Stored:
    status: RegistrationStatus
    guests: int
    requested: int
    attendance: AttendanceState = AttendanceState.UNKNOWN
    counted: object = None


ACTS = st.lists(
    st.tuples(
        st.sampled_from(["register", "cancel", "attend"]),
        st.integers(0, 9),
        st.integers(0, 3),
    ),
    max_size=60,
)


def _settle(
    store: dict[str, Stored], counts: RegistrationCounts, capacity: int, waitlist: bool
) -> RegistrationCounts:
    """What the handler's transaction does after a change: count every changed tally, then
    place the queue, reading at most two entries of the waitlist per round."""
    for member in store.values():
        now = tally_of(member.status, member.guests, member.attendance)
        counts = apply_delta(counts, tally_delta(member.counted, now))  # type: ignore[arg-type]
        member.counted = now
    while True:
        waiting = sorted(
            make_queued(n, m.requested, 1 + m.guests, m.status)
            for n, m in store.items()
            if m.status is WAITLISTED
        )
        pending = [
            make_queued(n, m.requested, 1 + m.guests, m.status)
            for n, m in store.items()
            if m.status is PENDING
        ]
        read, more = waiting[:2], len(waiting) > 2
        placements = place(
            read + pending,
            capacity=capacity,
            registered_seats=counts.registered,
            waitlist_enabled=waitlist,
            unread_waiting_after=read[-1] if more else None,
        )
        for placement in placements:
            member = store[placement.registration_id]
            member.status = placement.status
            now = tally_of(member.status, member.guests, member.attendance)
            counts = apply_delta(counts, tally_delta(member.counted, now))  # type: ignore[arg-type]
            member.counted = now
        if not any(p.status is REGISTERED for p in placements):
            return counts


@settings(max_examples=150, deadline=None)
@given(acts=ACTS, capacity=st.integers(1, 12), waitlist=st.booleans())
def test_any_sequence_keeps_seats_within_capacity_and_counts_equal_registrations(
    acts: list[tuple[str, int, int]], capacity: int, waitlist: bool
) -> None:
    """Registered seats never exceed capacity, the counts equal a recount of the
    registrations, and nobody waits while a later asker holds a seat they would fit in."""
    store: dict[str, Stored] = {}
    counts = RegistrationCounts()
    for clock, (act, member_number, guests) in enumerate(acts, start=1):
        name = f"m{member_number}"
        member = store.get(name)
        if act == "register" and (member is None or member.status is CANCELLED):
            store[name] = Stored(PENDING, guests, clock, counted=member and member.counted)
        elif act == "cancel" and member is not None:
            member.status = CANCELLED
        elif act == "attend" and member is not None and member.status is REGISTERED:
            member.attendance = AttendanceState.ATTENDED
        counts = _settle(store, counts, capacity, waitlist)
        tallies = [tally_of(m.status, m.guests, m.attendance) for m in store.values()]
        assert counts.registered <= capacity
        recount = total(tallies)
        assert (counts.registered, counts.waitlisted, counts.cancelled, counts.attended) == (
            recount.registered,
            recount.waitlisted,
            recount.cancelled,
            recount.attended,
        )
        assert all(m.status is not PENDING for m in store.values())
        waiting = [m for m in store.values() if m.status is WAITLISTED]
        if waiting:
            head = min(waiting, key=lambda m: m.requested)
            assert 1 + head.guests > capacity - counts.registered, "a seat left for the head"
        assert waitlist or not waiting
