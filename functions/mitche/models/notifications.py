"""A member's notifications and devices: `users/{userId}/notifications/{notificationId}`,
`users/{userId}/notificationInbox/summary` and `users/{userId}/devices/{deviceId}`.

Functions write a notification for every event that concerns a member (`NotificationKind`),
through `mitche.handlers.notify` only: the document id derives from the event's key, so a
redelivered trigger finds its notification and writes nothing more. Its text is rendered once,
in the member's language, from the templates of `mitche.domain.notification_texts`. The member
reads their list and may only set `readAt` (once, to the time of the write); the unread count
in the inbox summary follows every notification that becomes unread (in the unit that writes
it) or read or deleted (the `notification_written` trigger), so it is never recounted.

Push is a second, optional delivery of the same notification to the member's devices, decided
by the `notification_written` trigger from the member's settings: its state is `push`.
Old notifications expire through the `expiresAt` TTL field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import StrEnum
from typing import Annotated, ClassVar, Final, Self

from pydantic import Field, model_validator

from mitche.models._base import (
    CLIENT,
    CLIENT_CREATE,
    SERVER,
    DocumentPath,
    MitcheModel,
    Timestamp,
)
from mitche.models.common import Count, LanguageTag

__all__ = [
    "DEVICES",
    "INBOX_SUMMARY",
    "NOTIFICATIONS",
    "NOTIFICATION_INBOX",
    "NOTIFICATION_RETENTION",
    "Device",
    "DevicePlatform",
    "Notification",
    "NotificationInbox",
    "NotificationKind",
    "PushState",
    "PushStatus",
    "notification_id",
]

NOTIFICATIONS: Final = "notifications"
"""Collection id of a member's notifications, below their user document."""
NOTIFICATION_INBOX: Final = "notificationInbox"
"""Collection id of the member's inbox summary (one document, `INBOX_SUMMARY`)."""
INBOX_SUMMARY: Final = "summary"
"""Id of the inbox summary document."""
DEVICES: Final = "devices"
"""Collection id of a member's push devices."""

NOTIFICATION_RETENTION: Final = dt.timedelta(days=90)
"""How long a notification is kept before its TTL deletes it."""


def notification_id(key: str) -> str:
    """The notification's document id for an event key ("<event id>:<recipient>", or a
    collapsing key such as a conversation path): a hash, so any key makes a valid id."""
    if not key:
        raise ValueError("a notification needs a key")
    return hashlib.sha256(key.encode()).hexdigest()[:32]


class NotificationKind(StrEnum):
    """Every event a member is notified of; each has its templates and topic."""

    OFFERING_RECEIVED = "offeringReceived"
    """Someone offered help on the member's request."""
    OFFERING_ACCEPTED = "offeringAccepted"
    """The requester accepted the member's offering."""
    OFFERING_DECLINED = "offeringDeclined"
    """The requester declined the member's offering."""
    REQUEST_EXPIRING = "requestExpiring"
    """The member's open request reaches its deadline soon."""
    URGENT_REQUEST = "urgentRequest"
    """A critical request the member is among the best suited to help with (they asked to
    hear of requests near them)."""
    NEW_MESSAGE = "newMessage"
    """New messages in a conversation (one notification per conversation, collapsed)."""
    REVEAL_REQUESTED = "revealRequested"
    """A counterpart asked to reveal identities with the member."""
    REVEAL_COMPLETED = "revealCompleted"
    """A mutual reveal completed: each may now read the other's identity."""
    EVENT_REGISTRATION_CONFIRMED = "eventRegistrationConfirmed"
    """The member's place at a community event is confirmed."""
    EVENT_REGISTRATION_WAITLISTED = "eventRegistrationWaitlisted"
    """The member is on an event's waiting list."""
    EVENT_REGISTRATION_PROMOTED = "eventRegistrationPromoted"
    """The member moved from the waiting list to a confirmed place."""
    EVENT_REGISTRATION_CANCELLED = "eventRegistrationCancelled"
    """The member's registration (or the event) was cancelled."""
    EVENT_REMINDER = "eventReminder"
    """An event the member registered for starts soon."""
    STORY_NOMINATED = "storyNominated"
    """A story of the Hope Tapestry names the member."""
    STORY_APPROVED = "storyApproved"
    """A story the member wrote or was nominated in was approved."""
    ACHIEVEMENT_EARNED = "achievementEarned"
    """The member earned an achievement."""
    LEVEL_UP = "levelUp"
    """The member reached a new level."""
    REPORT_RESOLVED = "reportResolved"
    """A report the member filed was resolved (never naming the moderator)."""
    CONTENT_MODERATED = "contentModerated"
    """A moderator acted on the member's content, with the reason."""
    DATA_EXPORT_READY = "dataExportReady"
    """The archive of the member's data they asked for is ready to download."""


class PushStatus(StrEnum):
    """Where a notification's push stands."""

    PENDING = "pending"
    """Not decided yet: the `notification_written` trigger decides."""
    SENT = "sent"
    """Delivered to FCM for at least one device."""
    DEFERRED = "deferred"
    """Held until `dueAt` (quiet hours, or the rate limit); then sent, or digested."""
    DIGESTED = "digested"
    """Folded into a digest push with the member's other deferred notifications."""
    SKIPPED = "skipped"
    """No push by the member's settings (push channel or topic off) or no device."""
    FAILED = "failed"
    """FCM refused every device (tokens pruned when FCM says they are gone)."""


class PushState(MitcheModel):
    """A notification's push delivery."""

    status: PushStatus = PushStatus.PENDING
    """Where the push stands."""
    due_at: Timestamp | None = None
    """When a deferred push becomes due (end of quiet hours or of the rate window)."""
    reason: Annotated[str, Field(max_length=120)] | None = None
    """Why it was skipped, deferred or failed ("quietHours", "topicOff", "rateLimit"...)."""
    sent_at: Timestamp | None = None
    """When it was handed to FCM."""


class Notification(MitcheModel):
    """One entry of a member's notification list."""

    stored_nulls: ClassVar[frozenset[str]] = frozenset({"readAt"})

    kind: Annotated[NotificationKind, SERVER]
    """What happened."""
    params: Annotated[
        dict[Annotated[str, Field(max_length=40)], Annotated[str, Field(max_length=200)]],
        Field(max_length=12),
        SERVER,
    ] = Field(default_factory=dict)
    """The values the texts were rendered from (a title, an alias, a reason, a count)."""
    locale: Annotated[LanguageTag, SERVER]
    """The language the texts are in (the member's `preferences.locale`, or English)."""
    title: Annotated[Annotated[str, Field(min_length=1, max_length=120)], SERVER]
    """Short title, in the member's language."""
    body: Annotated[Annotated[str, Field(min_length=1, max_length=400)], SERVER]
    """One or two sentences, in the member's language."""
    target: Annotated[DocumentPath, SERVER]
    """The document the notification is about (what the app opens)."""
    count: Annotated[Annotated[int, Field(ge=1, le=1_000_000)], SERVER] = 1
    """Events folded into this entry (messages of one conversation since it was last read)."""
    last_key: Annotated[Annotated[str, Field(min_length=1, max_length=300)], SERVER]
    """Key of the latest event folded in: a redelivery of it changes nothing."""
    push: Annotated[PushState, SERVER] = Field(default_factory=PushState)
    """Push delivery state."""
    created_at: Annotated[Timestamp, SERVER]
    """When the notification was first written."""
    updated_at: Annotated[Timestamp, SERVER]
    """When an event was last folded in."""
    read_at: Annotated[Timestamp | None, CLIENT] = None
    """When the member read it (set by the member, once); null while unread."""
    expires_at: Annotated[Timestamp, SERVER]
    """TTL field: Firestore deletes the notification after this time."""

    @model_validator(mode="after")
    def _times_in_order(self) -> Self:
        if self.updated_at < self.created_at:
            raise ValueError("updatedAt must not be earlier than createdAt")
        if self.expires_at <= self.updated_at:
            raise ValueError("expiresAt must be later than updatedAt")
        return self


class NotificationInbox(MitcheModel):
    """`users/{userId}/notificationInbox/summary`: the unread badge and the push rate window."""

    unread: Annotated[Count, SERVER] = 0
    """Unread notifications: incremented in the unit that makes one unread, decremented by
    the trigger that sees one read or deleted."""
    push_window_started_at: Annotated[Timestamp | None, SERVER] = None
    """Start of the current push rate window."""
    pushes_in_window: Annotated[Count, SERVER] = 0
    """Pushes sent in the current window (the rate limit)."""
    updated_at: Annotated[Timestamp | None, SERVER] = None
    """Last change."""


class DevicePlatform(StrEnum):
    """Where a push token comes from."""

    ANDROID = "android"
    IOS = "ios"
    WEB = "web"


class Device(MitcheModel):
    """`users/{userId}/devices/{deviceId}`: one device's FCM registration token."""

    token: Annotated[Annotated[str, Field(min_length=1, max_length=4096)], CLIENT]
    """The FCM registration token the device's SDK returned."""
    platform: Annotated[DevicePlatform, CLIENT_CREATE]
    """The device's platform."""
    created_at: Annotated[Timestamp, CLIENT_CREATE]
    """When the device was registered."""
    last_seen_at: Annotated[Timestamp, CLIENT]
    """Last time the app refreshed the token (a stale device is pruned)."""

    @model_validator(mode="after")
    def _seen_after_created(self) -> Self:
        if self.last_seen_at < self.created_at:
            raise ValueError("lastSeenAt must not be earlier than createdAt")
        return self
