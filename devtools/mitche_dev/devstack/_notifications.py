"""The demo's notifications and push devices: what `notify` and the push trigger would have
left after the demo's events (Bob's offer on Alice's groceries was accepted and pushed; Alice
read her offer notice; a push to Bob deferred by his quiet hours is due)."""

from __future__ import annotations

import datetime as dt

from mitche.domain.notification_texts import render
from mitche.handlers._notify import notification_path
from mitche.models import (
    NOTIFICATION_RETENTION,
    Device,
    DevicePlatform,
    Notification,
    NotificationInbox,
    NotificationKind,
    PushState,
    PushStatus,
)
from mitche_dev.devstack import _ids as ids
from mitche_dev.devstack._actors import Actor
from mitche_dev.devstack._ids import DemoDocument
from mitche_dev.devstack._timeline import Timeline

__all__ = ["notification_documents"]

_GROCERIES = "Groceries for the week"


def _notification(
    kind: NotificationKind,
    target: str,
    key: str,
    at: dt.datetime,
    *,
    read_at: dt.datetime | None = None,
    push: PushState,
) -> Notification:
    params = {"requestTitle": _GROCERIES}
    texts = render(kind, params, "en")
    return Notification(
        kind=kind,
        params=params,
        locale=texts.language,
        title=texts.title,
        body=texts.body,
        target=target,
        last_key=key,
        push=push,
        created_at=at,
        updated_at=at,
        read_at=read_at,
        expires_at=at + NOTIFICATION_RETENTION,
    )


def notification_documents(t: Timeline) -> list[DemoDocument]:
    """Bob's and Alice's notifications, inbox summaries and one device each."""
    offering = f"offerings/{ids.OFF_BOB_GROCERIES}"
    accepted_key = "demo-accepted:bob"
    received_key = "demo-received:alice"
    declined_key = "demo-declined:bob"
    return [
        (
            notification_path(Actor.BOB, accepted_key),
            _notification(
                NotificationKind.OFFERING_ACCEPTED,
                offering,
                accepted_key,
                t.groceries_accepted,
                push=PushState(status=PushStatus.SENT, sent_at=t.groceries_accepted),
            ),
        ),
        (
            notification_path(Actor.BOB, declined_key),
            _notification(
                NotificationKind.OFFERING_DECLINED,
                offering,
                declined_key,
                t.groceries_offered,
                push=PushState(
                    status=PushStatus.DEFERRED,
                    reason="quietHours",
                    due_at=t.groceries_offered + dt.timedelta(hours=8),
                ),
            ),
        ),
        (
            notification_path(Actor.ALICE, received_key),
            _notification(
                NotificationKind.OFFERING_RECEIVED,
                offering,
                received_key,
                t.groceries_offered,
                read_at=t.groceries_accepted,
                push=PushState(status=PushStatus.SENT, sent_at=t.groceries_offered),
            ),
        ),
        (
            f"users/{Actor.BOB}/notificationInbox/summary",
            NotificationInbox(unread=2, updated_at=t.groceries_accepted),
        ),
        (
            f"users/{Actor.ALICE}/notificationInbox/summary",
            NotificationInbox(unread=0, updated_at=t.groceries_accepted),
        ),
        (
            f"users/{Actor.BOB}/devices/bob-phone",
            Device(
                token="demo-token-bob-phone",
                platform=DevicePlatform.ANDROID,
                created_at=t.joined(1),
                last_seen_at=t.groceries_accepted,
            ),
        ),
        (
            f"users/{Actor.ALICE}/devices/alice-browser",
            Device(
                token="demo-token-alice-browser",
                platform=DevicePlatform.WEB,
                created_at=t.joined(0),
                last_seen_at=t.groceries_offered,
            ),
        ),
    ]
