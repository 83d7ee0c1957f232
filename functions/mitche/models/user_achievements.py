"""A member's progress on one achievement (`userAchievements/{userId}_{achievementId}`).

Who reads and writes: Cloud Functions write everything when the stats an achievement depends
on change (progress, tiers earned, the context that triggered them, the notification). The
member reads their own documents and may write one field, `seenAt`, to acknowledge the latest
notification. Nobody else reads them (public badges are shown from the member's profile).

Hidden achievements: a document for a hidden achievement is created only when its first tier
is earned (validated: `hidden` implies a tier earned), and the catalog only allows lifetime
criteria for hidden achievements, so their progress never needs storing before then. Until it
is earned, nothing a client can read mentions the achievement: its catalog entry is unreadable
and the member's document does not exist. The document carries a copy of the achievement's
name, description and icon (`display`) so the member can see what they earned.

Lifecycle: created with `progress` (visible achievements, as soon as there is progress) or on
the first tier (hidden ones) → each tier reached appends to `tiersEarned` and queues a
notification → `completedAt` when the last tier is earned. Notification state is derived:
pending (queued, not yet sent) → sent (push sent) → seen (`seenAt` not earlier than the
notification's `queuedAt`).
"""

from __future__ import annotations

from enum import StrEnum
from itertools import pairwise
from typing import Annotated, Final, Self

from pydantic import Field, model_validator

from mitche.models._base import (
    CLIENT,
    SERVER,
    DocumentId,
    DocumentPath,
    MitcheModel,
    Timestamp,
    Uid,
)
from mitche.models.achievements import (
    MAX_TIERS,
    AchievementCategory,
    AchievementRarity,
    AchievementStat,
    IconName,
)
from mitche.models.names import Collection
from mitche.models.registry import CollectionSpec

__all__ = [
    "SPEC",
    "AchievementDisplay",
    "AchievementNotification",
    "AchievementProgress",
    "EarnedContext",
    "EarnedTier",
    "NotificationState",
    "UserAchievement",
    "user_achievement_id",
]


def user_achievement_id(user_id: str, achievement_id: str) -> str:
    """The document id of a member's progress on an achievement, `{userId}_{achievementId}`.

    Deterministic, so the triggers create or update it without a query and the rules can check
    that a member reads only ids that start with their own uid.
    """
    document_id = f"{user_id}_{achievement_id}"
    if len(document_id) > 128:
        raise ValueError(f"{document_id!r} is longer than 128 characters")
    return document_id


class NotificationState(StrEnum):
    """Where the notification about the latest tier earned is (derived, not stored)."""

    PENDING = "pending"
    """Queued; no push sent yet."""
    SENT = "sent"
    """A push notification was sent; the member has not opened it."""
    SEEN = "seen"
    """The member saw it in the app (`seenAt`)."""


class AchievementDisplay(MitcheModel):
    """A copy of the catalog entry, so a member sees what they earned (even a hidden one)."""

    name: Annotated[str, Field(min_length=1, max_length=80)]
    """Achievement name."""
    description: Annotated[str, Field(min_length=1, max_length=500)]
    """What it is for."""
    icon: IconName
    """Badge icon."""
    category: AchievementCategory
    """Family of the achievement."""
    rarity: AchievementRarity
    """Rarity frame."""
    tier_count: Annotated[int, Field(ge=1, le=MAX_TIERS)]
    """Number of tiers the achievement has."""


class AchievementProgress(MitcheModel):
    """How far the member is."""

    value: Annotated[int, Field(ge=0, le=1_000_000_000)]
    """Current value of the measured stat (for season-scoped ones, growth inside the window)."""
    tier: Annotated[int, Field(ge=0, le=MAX_TIERS)] = 0
    """Highest tier earned, 0 before the first."""
    next_threshold: Annotated[int, Field(ge=1, le=1_000_000_000)] | None = None
    """Value needed for the next tier; empty once every tier is earned."""
    updated_at: Timestamp
    """When progress was last evaluated."""

    @model_validator(mode="after")
    def _next_threshold_ahead(self) -> Self:
        if self.next_threshold is not None and self.value >= self.next_threshold:
            raise ValueError("progress.value already reaches nextThreshold: that tier is earned")
        return self


class EarnedContext(MitcheModel):
    """What made a tier be earned, for audit and for the notification's text."""

    stat: AchievementStat
    """The stat that changed."""
    stat_value: Annotated[int, Field(ge=0, le=1_000_000_000)]
    """Its value when the tier was reached."""
    source_path: DocumentPath | None = None
    """The document whose change triggered the evaluation (a request, an event...)."""
    event_id: Annotated[str, Field(min_length=1, max_length=200)]
    """Id of the trigger event or re-evaluation run that awarded the tier."""
    achievement_version: Annotated[int, Field(ge=1, le=1_000_000)]
    """Catalog version the tier was evaluated against."""


class EarnedTier(MitcheModel):
    """A tier the member reached."""

    tier: Annotated[int, Field(ge=1, le=MAX_TIERS)]
    """Tier number."""
    title: Annotated[str, Field(min_length=1, max_length=60)]
    """Tier title at the time it was earned."""
    earned_at: Timestamp
    """When it was earned."""
    hope_points_awarded: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    """Hope points credited for it (after multipliers), also in the hope ledger."""
    context: EarnedContext
    """What triggered it."""


class AchievementNotification(MitcheModel):
    """The notification about the latest tier earned."""

    tier: Annotated[int, Field(ge=1, le=MAX_TIERS)]
    """Tier the notification announces."""
    queued_at: Timestamp
    """When it was queued."""
    sent_at: Timestamp | None = None
    """When the push was sent; empty while pending."""

    @model_validator(mode="after")
    def _sent_after_queued(self) -> Self:
        if self.sent_at is not None and self.sent_at < self.queued_at:
            raise ValueError("notification sentAt cannot be earlier than queuedAt")
        return self


class UserAchievement(MitcheModel):
    """A member's progress on one achievement."""

    user_id: Annotated[Uid, SERVER]
    """The member."""
    achievement_id: Annotated[DocumentId, SERVER]
    """The catalog entry (`achievements/{achievementId}`)."""
    hidden: Annotated[bool, SERVER] = False
    """Copied from the catalog; a hidden achievement's document exists only once earned."""
    display: Annotated[AchievementDisplay, SERVER]
    """Copy of the catalog entry's name, description, icon and tier count."""
    progress: Annotated[AchievementProgress, SERVER]
    """Current value and tier."""
    tiers_earned: Annotated[Annotated[list[EarnedTier], Field(max_length=MAX_TIERS)], SERVER] = (
        Field(default_factory=list)
    )
    """Tiers reached, in order, with when and why."""
    completed_at: Annotated[Timestamp | None, SERVER] = None
    """When the last tier was earned."""
    notification: Annotated[AchievementNotification | None, SERVER] = None
    """Notification about the latest tier earned."""
    seen_at: Annotated[Timestamp | None, CLIENT] = None
    """When the member last acknowledged a notification (request.time); the only field they
    may write."""
    created_at: Annotated[Timestamp, SERVER]
    """When the document was created."""
    updated_at: Annotated[Timestamp, SERVER]
    """When the server last changed it."""

    @property
    def document_id(self) -> str:
        """The document id this progress is stored under."""
        return user_achievement_id(self.user_id, self.achievement_id)

    @property
    def notification_state(self) -> NotificationState | None:
        """Where the latest notification is; None when no tier was ever announced."""
        if self.notification is None:
            return None
        if self.seen_at is not None and self.seen_at >= self.notification.queued_at:
            return NotificationState.SEEN
        if self.notification.sent_at is not None:
            return NotificationState.SENT
        return NotificationState.PENDING

    @model_validator(mode="after")
    def _tiers_consistent(self) -> Self:
        numbers = [earned.tier for earned in self.tiers_earned]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"tiersEarned are tiers 1..{len(numbers)} in order, not {numbers}")
        times = [earned.earned_at for earned in self.tiers_earned]
        if any(later < earlier for earlier, later in pairwise(times)):
            raise ValueError("tiersEarned are in the order they were earned")
        if self.progress.tier != len(numbers):
            raise ValueError(f"progress.tier is {len(numbers)}, the number of tiersEarned")
        if self.progress.tier > self.display.tier_count:
            raise ValueError("progress.tier cannot exceed display.tierCount")
        complete = self.progress.tier == self.display.tier_count
        if complete != (self.completed_at is not None):
            raise ValueError("completedAt is set exactly when every tier is earned")
        if complete != (self.progress.next_threshold is None):
            raise ValueError("progress.nextThreshold is empty exactly when every tier is earned")
        if self.completed_at is not None and self.completed_at != times[-1]:
            raise ValueError("completedAt is when the last tier was earned")
        return self

    @model_validator(mode="after")
    def _hidden_only_once_earned(self) -> Self:
        if self.hidden and not self.tiers_earned:
            raise ValueError("a hidden achievement's document exists only once a tier is earned")
        return self

    @model_validator(mode="after")
    def _notification_about_earned_tier(self) -> Self:
        if self.notification is not None and self.notification.tier > self.progress.tier:
            raise ValueError("notification.tier must be a tier already earned")
        return self

    @model_validator(mode="after")
    def _updated_after_created(self) -> Self:
        if self.updated_at < self.created_at:
            raise ValueError("updatedAt cannot be earlier than createdAt")
        return self


SPEC: Final = CollectionSpec(
    collection=Collection.USER_ACHIEVEMENTS,
    model=UserAchievement,
    id_field="userAchievementId",
)
