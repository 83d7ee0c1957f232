"""Adapters from Firebase events to handlers: one module per event source, each a thin layer
that decodes the event into plain data and hands it to `mitche.handlers`.

`functions/main.py` decorates these functions; this package itself registers nothing.
"""

from mitche.triggers import (
    accounts,
    callables,
    community_events,
    conversations,
    matching,
    nearby,
    notifications,
    offerings,
    reports,
    requests,
    resources,
    schedules,
    tapestry,
    users,
)
from mitche.triggers._adapt import DocumentEvent, WrittenEvent

__all__ = [
    "DocumentEvent",
    "WrittenEvent",
    "accounts",
    "callables",
    "community_events",
    "conversations",
    "matching",
    "nearby",
    "notifications",
    "offerings",
    "reports",
    "requests",
    "resources",
    "schedules",
    "tapestry",
    "users",
]
