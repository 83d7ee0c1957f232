"""Queries of notifications and push devices: the member's list, and the push schedule's
due deferred pushes (a collection-group query on the push state, never a scan)."""

from __future__ import annotations

from typing import Final

from mitche.models import PushStatus, RequestStatus
from mitche.queries._declarations import Caller, CatalogQuery, Order, Param, Where

__all__ = ["NOTIFICATION_QUERIES"]

_PAGE: Final = Param("limit", "int", maximum=50)

NOTIFICATION_QUERIES: Final = (
    CatalogQuery(
        name="notifications.mine",
        purpose="My notifications, newest first (the inbox screen).",
        caller=Caller.MEMBER,
        collection="users/{uid}/notifications",
        order=(Order("createdAt", "desc"),),
        limit=_PAGE,
        paged=True,
    ),
    CatalogQuery(
        name="notifications.unread",
        purpose="My unread notifications, newest first (to mark them read).",
        caller=Caller.MEMBER,
        collection="users/{uid}/notifications",
        where=(Where("readAt", "==", None),),
        order=(Order("createdAt", "desc"),),
        limit=_PAGE,
        paged=True,
    ),
    CatalogQuery(
        name="devices.mine",
        purpose="My registered push devices (the settings screen).",
        caller=Caller.MEMBER,
        collection="users/{uid}/devices",
        limit=Param("limit", "int", maximum=20),
    ),
    CatalogQuery(
        name="functions.memberDevices",
        purpose="Push: the devices of one member, read in the push decision's transaction.",
        caller=Caller.FUNCTIONS,
        collection="users/{uid}/devices",
        limit=Param("limit", "int", maximum=20),
    ),
    CatalogQuery(
        name="functions.requestsExpiringSoon",
        purpose="Expiry schedule: open and in-progress requests whose deadline entered the "
        "warning horizon since the previous runs (a slice of the deadline range, bounded per run), "
        "to tell their requesters.",
        caller=Caller.FUNCTIONS,
        collection="requests",
        where=(
            Where("status", "in", (RequestStatus.OPEN.value, RequestStatus.IN_PROGRESS.value)),
            Where("deadline", ">", Param("earliest", "timestamp")),
            Where("deadline", "<=", Param("latest", "timestamp")),
        ),
        order=(Order("deadline"),),
        limit=Param("limit", "int", maximum=500),
    ),
    CatalogQuery(
        name="functions.duePushes",
        purpose="Deferred push schedule: notifications whose push was deferred (quiet hours, "
        "rate limit) and is now due, oldest due first (bounded per run).",
        caller=Caller.FUNCTIONS,
        collection="notifications",
        group=True,
        where=(
            Where("push.status", "==", PushStatus.DEFERRED.value),
            Where("push.dueAt", "<=", Param("now", "timestamp")),
        ),
        order=(Order("push.dueAt"),),
        limit=Param("limit", "int", maximum=500),
    ),
)
"""Every query over notifications and devices."""
