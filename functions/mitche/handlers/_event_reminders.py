"""Reminders before community events: the schedule tells registered members a day ahead.

Every `REMINDER_INTERVAL` the schedule reads the approved, scheduled events whose start falls
in the window `[now + REMINDER_LEAD, now + REMINDER_LEAD + REMINDER_INTERVAL)` (catalog query
`functions.eventsStartingBetween`, pages of `REMINDER_PAGE` in start order: never a collection
scan), and for each event its registered members (`functions.registeredAttendees`, pages of
`REMINDER_PAGE`). Each page of members is one transaction: it reads their user documents (the
notification settings and the language) and their reminder notifications, then writes an in-app
reminder for each member whose `notifications.topics.eventReminders` is on. The windows of
consecutive runs meet end to end, and a reminder is keyed by (event, member), so a retried or
overlapping run reminds nobody twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from mitche.handler_names import HandlerName
from mitche.handlers._context import Deps
from mitche.handlers._event_notices import EventNotice, read_notices_ahead, send_notices
from mitche.models import NotificationKind
from mitche.queries import query_for
from mitche.services import CostSample, Unit, log_info, record_cost, run_transaction

__all__ = [
    "REMINDER_INTERVAL",
    "REMINDER_LEAD",
    "REMINDER_PAGE",
    "remind_upcoming_events",
    "wants_reminders",
]

HANDLER: Final = HandlerName.EVENTS_REMINDERS
REMINDER_LEAD: Final = dt.timedelta(hours=24)
"""How long before the start members are reminded."""
REMINDER_INTERVAL: Final = dt.timedelta(minutes=30)
"""How often the schedule runs (its window's width)."""
REMINDER_PAGE: Final = 100
"""Events, and members of one event, read per page."""
MAX_EVENT_PAGES: Final = 10
"""Pages of events one run reads at most (the rest is logged, not silently dropped)."""


def wants_reminders(user: Mapping[str, Any] | None) -> bool:
    """Whether the member's settings allow event reminders (on unless switched off)."""
    settings = (user or {}).get("notifications")
    topics = settings.get("topics") if isinstance(settings, Mapping) else None
    value = topics.get("eventReminders", True) if isinstance(topics, Mapping) else True
    return value is not False


def _remind_page(
    deps: Deps, event_path: str, title: str, members: list[str], at: dt.datetime
) -> int:
    def work(unit: Unit) -> int:
        users = unit.get_all([f"users/{member}" for member in members])
        notices = [
            EventNotice(member, NotificationKind.EVENT_REMINDER, f"{event_path}:{member}")
            for member in members
            if wants_reminders(users[f"users/{member}"])
        ]
        read_notices_ahead(unit, notices)
        return send_notices(unit, notices, event_path=event_path, title=title, at=at)

    return run_transaction(deps.client, HANDLER, work)


def _remind_event(deps: Deps, event_path: str, title: str, at: dt.datetime) -> int:
    event_id = event_path.rsplit("/", 1)[-1]
    reminded = 0
    after = None
    while True:
        page = list(
            query_for(
                deps.client,
                "functions.registeredAttendees",
                eventId=event_id,
                limit=REMINDER_PAGE,
                start_after=after,
            ).stream()
        )
        record_cost(CostSample(HANDLER, max(1, len(page)), 0))
        if page:
            members = [snapshot.id for snapshot in page]
            reminded += _remind_page(deps, event_path, title, members, at)
        if len(page) < REMINDER_PAGE:
            return reminded
        after = page[-1]


def remind_upcoming_events(deps: Deps, now: dt.datetime) -> int:
    """Remind the registered members of every event starting in this run's window; how many
    reminders were new."""
    start = now + REMINDER_LEAD
    end = start + REMINDER_INTERVAL
    reminded = 0
    after = None
    for _ in range(MAX_EVENT_PAGES):
        events = list(
            query_for(
                deps.client,
                "functions.eventsStartingBetween",
                start=start,
                end=end,
                limit=REMINDER_PAGE,
                start_after=after,
            ).stream()
        )
        record_cost(CostSample(HANDLER, max(1, len(events)), 0))
        for snapshot in events:
            data = snapshot.to_dict() or {}
            title = data.get("title")
            reminded += _remind_event(
                deps, snapshot.reference.path, title if isinstance(title, str) else "", now
            )
        if len(events) < REMINDER_PAGE:
            break
        after = events[-1]
    else:
        log_info("event reminders: more events than one run reads", handler=HANDLER)
    log_info("event reminders sent", handler=HANDLER, reminded=reminded)
    return reminded
