"""What the server does when an organiser writes their community event.

* **Submission** (`mitche.domain.event_approval`): a scheduled event never submitted, a
  rejected one edited, or an approved one edited materially by a writer the rules do not bind
  gets `approval: pending` (one transaction re-reading the event, so a moderator's decision
  committed meanwhile is never overwritten).
* **Places**: when places open or grow (approved, capacity raised, waitlist switched), the
  queue is placed again (`_event_places.settle_event`).
* **Cancellation**: an event entering `cancelled` cancels its live registrations (pending,
  registered, waitlisted) page by page, each with `closedReason: eventCancelled` and its tally
  counted, and tells each member.

Idempotent: each step acts only on state it re-reads in its transaction (a registration
already cancelled is not in the page; an approval already pending is left alone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from mitche.domain.event_approval import approval_state, needs_submission
from mitche.domain.event_places import CountsDelta, apply_delta, tally_delta
from mitche.handler_names import HandlerName
from mitche.handlers._context import Deps, DocumentChange
from mitche.handlers._event_notices import EventNotice, read_notices_ahead, send_notices
from mitche.handlers._event_places import (
    PLACES_ROUND,
    counted_of,
    event_path_of,
    settle_event,
    stored_counts,
    tally_now,
)
from mitche.models import Approval, EventStatus, NotificationKind
from mitche.models.common import ApprovalState
from mitche.queries import query_for
from mitche.services import Unit, log_info, run_transaction, to_document

__all__ = ["EventOutcome", "cancel_registrations", "on_event_change"]

APPROVAL: Final = HandlerName.EVENTS_APPROVAL
CANCEL: Final = HandlerName.EVENTS_CANCEL
MAX_PAGES: Final = 40
"""Pages of registrations one cancellation run cancels at most (40 × PLACES_ROUND members)."""


@dataclass(frozen=True, slots=True)
class EventOutcome:
    """What the event trigger's lifecycle handler did."""

    submitted: bool = False
    placed: int = 0
    cancelled: int = 0


def _submit(deps: Deps, change: DocumentChange) -> bool:
    def work(unit: Unit) -> bool:
        data = unit.get(change.path)
        if data is None or not needs_submission(change.before, data):
            return False
        approval = Approval(state=ApprovalState.PENDING, submitted_at=change.at)
        unit.update(change.path, {"approval": to_document(approval, unit.client)})
        return True

    submitted = run_transaction(deps.client, APPROVAL, work)
    if submitted:
        log_info("event submitted for approval", handler=APPROVAL, path=change.path)
    return submitted


def _places_change(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> bool:
    if before is None:
        return False
    opened = (
        approval_state(after) is ApprovalState.APPROVED
        and approval_state(before) is not ApprovalState.APPROVED
    )
    return (
        opened
        or before.get("capacity") != after.get("capacity")
        or before.get("waitlistEnabled") != after.get("waitlistEnabled")
    )


def _title(event: Mapping[str, Any]) -> str:
    title = event.get("title")
    return title if isinstance(title, str) else ""


def cancel_registrations(deps: Deps, event_path: str, at: dt.datetime) -> int:
    """Cancel every live registration of a cancelled event, page by page; how many."""
    event_id = event_path.rsplit("/", 1)[-1]
    total = 0

    def work(unit: Unit) -> int:
        event = unit.get(event_path)
        if event is None or event.get("status") != EventStatus.CANCELLED.value:
            return 0
        page = unit.query(
            query_for(
                unit.client,
                "functions.liveRegistrations",
                eventId=event_id,
                limit=PLACES_ROUND,
            )
        )
        delta = CountsDelta()
        notices = [
            EventNotice(
                path.rsplit("/", 1)[-1],
                NotificationKind.EVENT_REGISTRATION_CANCELLED,
                f"{event_path}:eventCancelled",
            )
            for path, _ in page
        ]
        read_notices_ahead(unit, notices)
        for path, data in page:
            fields: dict[str, Any] = {"status": "cancelled", "closedReason": "eventCancelled"}
            now = tally_now({**data, **fields})
            delta = delta + tally_delta(counted_of(data), now)
            fields["counted"] = None if now is None else to_document(now, unit.client)
            unit.update(path, fields)
        if not delta.empty:
            counts = apply_delta(stored_counts(event), delta)
            unit.update(event_path, {"registrations": to_document(counts, unit.client)})
        send_notices(unit, notices, event_path=event_path, title=_title(event), at=at)
        return len(page)

    for _ in range(MAX_PAGES):
        done = run_transaction(deps.client, CANCEL, work)
        total += done
        if done < PLACES_ROUND:
            break
    if total:
        log_info("event registrations cancelled", handler=CANCEL, path=event_path, count=total)
    return total


def on_event_change(deps: Deps, change: DocumentChange) -> EventOutcome:
    """An organiser (or a function) wrote the event: submission, places, cancellation."""
    after = change.after
    if after is None:
        return EventOutcome()
    submitted = needs_submission(change.before, after) and _submit(deps, change)
    placed = 0
    cancelled = 0
    entered_cancelled = after.get("status") == EventStatus.CANCELLED.value and (
        change.before is None or change.before.get("status") != EventStatus.CANCELLED.value
    )
    if entered_cancelled:
        cancelled = cancel_registrations(deps, change.path, change.at)
    elif _places_change(change.before, after):
        placed = len(settle_event(deps, event_path_of(change.path), change.at).placements)
    return EventOutcome(submitted, placed, cancelled)
