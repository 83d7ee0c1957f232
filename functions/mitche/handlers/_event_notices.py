"""Telling members what happened to their place at an event (in-app notifications).

One helper over `notify`, so every event notice names the event the same way (its title as
`eventTitle`, the event as the target) and is keyed by what happened, not by the delivery: a
redelivered trigger or a retried round finds its notification and writes nothing.

A transaction reads everything before it writes (the client refuses a read after a write), and
`notify` reads the notification and the member's locale: a round therefore calls
`read_notices_ahead` with its notices before its first write, then `send_notices` after its
writes (the reads are served from the unit's cache).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from mitche.handlers._notify import notification_path, notify
from mitche.models import NotificationKind
from mitche.services import Unit

__all__ = ["EventNotice", "read_notices_ahead", "send_notices"]


@dataclass(frozen=True, slots=True)
class EventNotice:
    """One member to tell about an event, once per `key`."""

    member: str
    kind: NotificationKind
    key: str

    @property
    def full_key(self) -> str:
        """The key `notify` stores (the kind and what happened)."""
        return f"{self.kind.value}:{self.key}"


def read_notices_ahead(unit: Unit, notices: Sequence[EventNotice]) -> None:
    """Read what `send_notices` will read (each notification and each member's profile), before the
    unit's first write."""
    if notices:
        unit.get_all(
            [notification_path(n.member, n.full_key) for n in notices]
            + [f"users/{n.member}" for n in notices]
        )


def send_notices(
    unit: Unit, notices: Sequence[EventNotice], *, event_path: str, title: str, at: dt.datetime
) -> int:
    """Notify each member of their notice about the event; how many were new."""
    created = 0
    for notice in notices:
        outcome = notify(
            unit,
            recipient=notice.member,
            kind=notice.kind,
            params={"eventTitle": title},
            target=event_path,
            key=notice.full_key,
            at=at,
        )
        created += outcome.created
    return created
