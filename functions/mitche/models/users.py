"""Members of Mitché: `users/{userId}`, where the id is the Firebase Authentication uid.

The user document is readable by signed-in members (subject to `privacy.profileVisibility`)
and holds only what strangers may see: an alias and chosen display name, skills, the coarse home
area, gamification and public counters. Everything that identifies the person (real name,
contact details, exact home) lives in `users/{userId}/private/identity`, readable only by the
member, admins, and counterparts after a completed reveal (see below).

Writers: the member writes `profile`, `privacy`, `notifications` and `preferences`; Cloud
Functions and admins write gamification, counters and the reveal protocol's outcome.

The private account, `users/{userId}/private/account` (`PrivateAccount`), holds what only the
member and moderators read: the `security` map (role, standing, strikes, suspension; written by
functions) and the rate-limit timestamps (written by the member's own batches). Migration
`0001_private_account` moved them there from the user document; until the contract step the
user document model still accepts them (legacy, server-only), and functions and rules read both
places (see the README's expand/contract procedure).

Account lifecycle (`security.accountStatus` of the private account): active → warned →
suspended (until a time) → active again, or → banned; a member may deactivate their own account
(deactivated), which a function performs.

Reveal protocol (anonymous by default). Two members who met through a conversation or request
may agree to reveal their identities to each other:
1. either member A creates `users/A/revealConsents/B` (status `consented`, with the context):
   this is both the request and A's own consent; B can read it (B is the counterpart);
2. B answers by creating `users/B/revealConsents/A`; either may set their own consent to
   `withdrawn` while the reveal is not complete;
3. when both consents are `consented`, a function writes `users/A/revealGrants/B` and
   `users/B/revealGrants/A` and stamps `completedAt` on both consents; from then on the rules
   let B read `users/A/private/identity` (grant exists) and vice versa. A completed reveal is
   final: consents can no longer change.

Rate limits. Rules cannot count writes, but they can compare timestamps. Every client batch that
creates a document of a rate-limited kind (request, offering, message, report, conversation,
event, registration, story, review, reveal consent, heart, resource use) also sets the matching
stamp of the author's private account (`lastRequest`...) to `{at: request.time, path: <the created
document's path>}`; the rules of the created document check with `getAfter()` that the stamp
names this document at `request.time` (so the batch did set it, and one stamp authorises one
document: a batch of several creates satisfies one of them only) and with `get()` that the
previous stamp is older than the minimum interval. A client that skips the stamp is refused; one
that sets it gets throttled. The stamps are therefore client-written. Migration
`0003_rate_stamps` turned the earlier bare timestamps (`lastRequestAt`...) into stamps.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Final, Self

from pydantic import Field, model_validator

from mitche.models._base import (
    CLIENT,
    CLIENT_CREATE,
    SERVER,
    DocumentId,
    DocumentPath,
    MitcheModel,
    Timestamp,
    Uid,
)
from mitche.models.alias_claims import AliasConflict
from mitche.models.common import (
    Attachment,
    Count,
    EmailAddress,
    ExactLocation,
    LanguageTag,
    LocalTime,
    PhoneNumber,
    PublicArea,
    RatingSummary,
    Tag,
    TimeZoneName,
    Verification,
    Visibility,
)
from mitche.models.names import Collection
from mitche.models.notifications import Device, Notification, NotificationInbox
from mitche.models.privacy import Consents, ExportJob
from mitche.models.processed_events import ProcessedEvent
from mitche.models.registry import CollectionSpec, SubcollectionSpec
from mitche.models.requests import HelpCategory
from mitche.models.reward_facts import RewardFact
from mitche.models.sealed import MemberDataKey, PublicKey, SealedIdentity
from mitche.models.upload_reviews import UploadReview

__all__ = [
    "MAX_LEVEL",
    "SPEC",
    "AccountStatus",
    "Block",
    "CapUsage",
    "DigestFrequency",
    "DistanceUnit",
    "Gamification",
    "HopeAction",
    "HopeCategory",
    "HopeLedgerEntry",
    "HopePoints",
    "Identity",
    "NotificationChannels",
    "NotificationSettings",
    "NotificationTopics",
    "Preferences",
    "PrivacySettings",
    "PrivateAccount",
    "Privileges",
    "Profile",
    "QuietHours",
    "RateStamp",
    "RevealConsent",
    "RevealConsentStatus",
    "RevealGrant",
    "RevealRequestPolicy",
    "RevealSummary",
    "Role",
    "Security",
    "SelfRewards",
    "StampedPath",
    "Streak",
    "User",
    "UserStat",
    "UserStats",
]

MAX_LEVEL: Final = 100
"""Highest level a member can reach."""


class HopeCategory(StrEnum):
    """The kinds of good a member does; hope points are awarded and totalled per category.

    Every action in the award table (systemSettings `gamification`) names one category;
    achievements and daily analytics group points by it.
    """

    SILENT_HERO = "silentHero"
    """Quiet, unthanked help: fulfilling requests anonymously, helping without being asked."""
    VOICE_OF_COMPASSION = "voiceOfCompassion"
    """Listening and emotional support: support conversations, stories shared in the tapestry."""
    COMMUNITY_BUILDER = "communityBuilder"
    """Bringing people together: organising, co-organising and attending community events."""
    GUARDIAN = "guardian"
    """Keeping the community safe: reports that moderators upheld, verified safety work."""
    PROVIDER = "provider"
    """Material help: resources listed and verified, items given, financial offerings."""
    MENTOR = "mentor"
    """Sharing skills and guiding newcomers: skill offerings accepted, mentorship sessions."""
    CONNECTOR = "connector"
    """Linking people to help: referrals to resources, introductions that led to an offering."""
    FIRST_RESPONDER = "firstResponder"
    """Showing up fast: answering urgent or critical requests before their deadline."""


class HopeAction(StrEnum):
    """An act the award table pays hope points for; each ledger entry names one.

    The award table in systemSettings maps each action to a category and base points; code
    defaults apply for actions the table omits.
    """

    OFFERING_MADE = "offeringMade"
    """Offered help, a resource or money for a request."""
    OFFERING_ACCEPTED = "offeringAccepted"
    """A requester accepted the member's offering."""
    REQUEST_FULFILLED = "requestFulfilled"
    """A request the member helped with was marked fulfilled."""
    POSITIVE_FEEDBACK = "positiveFeedback"
    """The member received feedback of four stars or more."""
    URGENT_RESPONSE = "urgentResponse"
    """The member's offering on a high or critical request was accepted before its deadline."""
    ANONYMOUS_HELP = "anonymousHelp"
    """Help completed while the member stayed anonymous (no reveal)."""
    EVENT_ORGANIZED = "eventOrganized"
    """An event the member organised took place."""
    EVENT_CO_ORGANIZED = "eventCoOrganized"
    """An event the member co-organised took place."""
    EVENT_ATTENDED = "eventAttended"
    """The organiser checked the member in at an event."""
    STORY_APPROVED = "storyApproved"
    """A tapestry thread the member wrote or was nominated in was approved."""
    SUPPORT_GIVEN = "supportGiven"
    """The member helped in a support conversation that the other party rated well."""
    REPORT_UPHELD = "reportUpheld"
    """A moderator upheld a report the member filed."""
    RESOURCE_PUBLISHED = "resourcePublished"
    """A resource the member listed was verified and published."""
    RESOURCE_REVIEWED = "resourceReviewed"
    """The member reviewed a resource they used."""
    REFERRAL_MADE = "referralMade"
    """Someone reached a resource or helper through the member's share."""
    MENTORSHIP_SESSION = "mentorshipSession"
    """A mentorship offering by the member was completed."""
    STREAK_BONUS = "streakBonus"
    """Bonus for consecutive active days."""
    ACHIEVEMENT_REWARD = "achievementReward"
    """Points an achievement pays when earned."""
    ADJUSTMENT = "adjustment"
    """A correction or reversal made by an admin or by moderation."""


class Role(StrEnum):
    """A member's role; mirrors the `role` custom claim that the rules read."""

    USER = "user"
    MODERATOR = "moderator"
    ADMIN = "admin"


class AccountStatus(StrEnum):
    """Whether a member may act on the platform."""

    ACTIVE = "active"
    """In good standing."""
    WARNED = "warned"
    """Received a moderator warning; may still act."""
    SUSPENDED = "suspended"
    """May read but not write until `suspendedUntil`."""
    BANNED = "banned"
    """Permanently barred."""
    DEACTIVATED = "deactivated"
    """Closed by the member."""


class Profile(MitcheModel):
    """What other members see of a member."""

    display_name: Annotated[str, Field(min_length=1, max_length=50)]
    """The name the member chooses to be known by (may be a nickname; never required to be
    their legal name, which lives in the private identity document)."""
    anonymous_alias: Annotated[str, Field(min_length=3, max_length=40)]
    """Alias shown on anonymous posts and leaderboards ("Quiet Heron 42")."""
    avatar: Attachment | None = None
    """Profile picture (an image under the member's upload prefix)."""
    bio: Annotated[str, Field(max_length=500)] | None = None
    """A few words about the member."""
    pronouns: Annotated[str, Field(max_length=40)] | None = None
    """Pronouns, if the member wishes to share them."""
    languages: Annotated[list[LanguageTag], Field(max_length=10)] = Field(default_factory=list)
    """Languages the member speaks, BCP-47."""
    skills: Annotated[list[Tag], Field(max_length=30)] = Field(default_factory=list)
    """Skills the member can offer ("plumbing", "tutoring"), for matching."""
    interests: Annotated[list[Tag], Field(max_length=30)] = Field(default_factory=list)
    """Causes and topics the member cares about."""
    home_area: PublicArea | None = None
    """Coarse home area (about 5 km); the exact home is in the private identity document."""

    @model_validator(mode="after")
    def _avatar_is_image(self) -> Self:
        if self.avatar is not None and not self.avatar.content_type.is_image:
            raise ValueError("avatar must be an image")
        return self


class HopePoints(MitcheModel):
    """Hope points per category and in total; the sum of the member's ledger entries."""

    total: Annotated[int, Field(ge=0)] = 0
    """All points; always the sum of the categories."""
    silent_hero: Count = 0
    """Points in silentHero."""
    voice_of_compassion: Count = 0
    """Points in voiceOfCompassion."""
    community_builder: Count = 0
    """Points in communityBuilder."""
    guardian: Count = 0
    """Points in guardian."""
    provider: Count = 0
    """Points in provider."""
    mentor: Count = 0
    """Points in mentor."""
    connector: Count = 0
    """Points in connector."""
    first_responder: Count = 0
    """Points in firstResponder."""

    def category(self, category: HopeCategory) -> int:
        """The points in one category."""
        value: int = getattr(self, _category_attribute(category))
        return value

    @model_validator(mode="after")
    def _total_is_sum(self) -> Self:
        expected = sum(self.category(category) for category in HopeCategory)
        if self.total != expected:
            raise ValueError(f"total is {self.total}, the categories add up to {expected}")
        return self


def _category_attribute(category: HopeCategory) -> str:
    attribute = "".join(f"_{c.lower()}" if c.isupper() else c for c in category.value)
    if attribute not in HopePoints.model_fields:
        raise LookupError(f"HopePoints has no field for {category}")
    return attribute


class Streak(MitcheModel):
    """Consecutive days on which the member did something that earns points."""

    current_days: Annotated[int, Field(ge=0, le=100_000)] = 0
    """Length of the running streak."""
    longest_days: Annotated[int, Field(ge=0, le=100_000)] = 0
    """Longest streak ever."""
    last_active_day: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None
    """Last day (YYYY-MM-DD, in `timeZone`) that counted towards the streak."""
    time_zone: TimeZoneName | None = None
    """The zone the streak's days are counted in: the member's zone when the streak started
    (a change of zone applies from the next streak, so switching zones gains no days)."""

    @model_validator(mode="after")
    def _longest_covers_current(self) -> Self:
        if self.longest_days < self.current_days:
            raise ValueError("longestDays is at least currentDays")
        return self


_CategoryCounts = Annotated[
    dict[HopeCategory, Annotated[int, Field(ge=0, le=1_000_000)]],
    Field(max_length=len(HopeCategory)),
]


class CapUsage(MitcheModel):
    """Points credited per category in the current UTC day and ISO week, against the caps.

    Kept by the hope points trigger in the same transaction as each award; a window whose key
    is not the current day or week reads as zero (nothing rewrites it at midnight).
    """

    day: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None
    """UTC day (`YYYY-MM-DD`) that `daily` counts."""
    week: Annotated[str, Field(pattern=r"^\d{4}-W\d{2}$")] | None = None
    """UTC ISO week (`YYYY-Www`) that `weekly` counts."""
    daily: _CategoryCounts = Field(default_factory=dict)
    """Points credited in `day`, per category."""
    weekly: _CategoryCounts = Field(default_factory=dict)
    """Points credited in `week`, per category."""


class SelfRewards(MitcheModel):
    """What acts a member performs alone earned (server bookkeeping): how many were counted
    in `day`, and the points they paid in all, which never exceed the member's other points."""

    day: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None
    """UTC day (`YYYY-MM-DD`) that `acts` counts."""
    acts: Annotated[int, Field(ge=0, le=1_000)] = 0
    """Acts performed alone counted in `day`."""
    points: Count = 0
    """Points acts performed alone paid, ever."""


class Gamification(MitcheModel):
    """Points, level and streak; maintained by Cloud Functions from the hope ledger."""

    hope_points: HopePoints = Field(default_factory=HopePoints)
    """Hope points, total and per category."""
    experience: Annotated[int, Field(ge=0)] = 0
    """Experience, grown from hope points; the level follows it along the level curve."""
    level: Annotated[int, Field(ge=1, le=MAX_LEVEL)] = 1
    """Current level (1 to 100)."""
    streak: Streak = Field(default_factory=Streak)
    """Daily activity streak."""
    weekly_points: Count = 0
    """Points earned in `week`, for the weekly leaderboard."""
    week: Annotated[str, Field(pattern=r"^\d{4}-W\d{2}$")] | None = None
    """ISO week ("2026-W48") that `weeklyPoints` counts; stale weeks read as zero."""
    achievements_earned: Count = 0
    """Number of achievements earned."""
    cap_usage: CapUsage = Field(default_factory=CapUsage)
    """Points counted against the daily and weekly caps (server bookkeeping)."""
    self_rewards: SelfRewards = Field(default_factory=SelfRewards)
    """What acts performed alone earned, against their own limits (server bookkeeping)."""


class UserStat(StrEnum):
    """A counter in `stats`; achievement criteria name the counter they watch by this key."""

    REQUESTS_CREATED = "requestsCreated"
    REQUESTS_FULFILLED = "requestsFulfilled"
    OFFERINGS_MADE = "offeringsMade"
    OFFERINGS_ACCEPTED = "offeringsAccepted"
    OFFERINGS_COMPLETED = "offeringsCompleted"
    FINANCIAL_OFFERINGS = "financialOfferings"
    URGENT_RESPONSES = "urgentResponses"
    EVENTS_ORGANIZED = "eventsOrganized"
    EVENTS_ATTENDED = "eventsAttended"
    RESOURCES_PUBLISHED = "resourcesPublished"
    REVIEWS_WRITTEN = "reviewsWritten"
    STORIES_APPROVED = "storiesApproved"
    NOMINATIONS_RECEIVED = "nominationsReceived"
    MESSAGES_SENT = "messagesSent"
    REPORTS_UPHELD = "reportsUpheld"
    POSITIVE_FEEDBACK = "positiveFeedback"
    DAYS_ACTIVE = "daysActive"


class UserStats(MitcheModel):
    """Activity counters, maintained by triggers; the inputs of achievements."""

    requests_created: Count = 0
    """Requests the member created."""
    requests_fulfilled: Count = 0
    """Requests the member helped fulfil."""
    offerings_made: Count = 0
    """Offerings the member made."""
    offerings_accepted: Count = 0
    """Offerings of the member that requesters accepted."""
    offerings_completed: Count = 0
    """Offerings of the member that were completed."""
    financial_offerings: Count = 0
    """Completed financial offerings."""
    urgent_responses: Count = 0
    """Accepted offerings on high or critical requests."""
    events_organized: Count = 0
    """Events the member organised or co-organised that took place."""
    events_attended: Count = 0
    """Events the member was checked in at."""
    resources_published: Count = 0
    """Resources the member listed that were published."""
    reviews_written: Count = 0
    """Resource reviews the member wrote."""
    stories_approved: Count = 0
    """Tapestry threads by the member that were approved."""
    nominations_received: Count = 0
    """Times others nominated the member in the tapestry."""
    messages_sent: Count = 0
    """Messages the member sent."""
    reports_upheld: Count = 0
    """Reports by the member that moderators upheld."""
    positive_feedback: Count = 0
    """Feedback of four stars or more received."""
    days_active: Count = 0
    """Days on which the member earned points."""
    rating: RatingSummary = Field(default_factory=RatingSummary)
    """Average of the feedback the member received as a helper."""
    ratings_by_category: Annotated[
        dict[HelpCategory, RatingSummary], Field(max_length=len(HelpCategory))
    ] = Field(default_factory=dict)
    """The same feedback per kind of help rated: the request's category for an answer, the
    category the requester accepted for a standing offering (matching ranks by it)."""

    def value(self, stat: UserStat) -> int:
        """The current value of a counter, by its key."""
        field = _STAT_FIELDS[stat]
        count: int = getattr(self, field)
        return count


_STAT_FIELDS: Final = {
    UserStat(info.alias): name
    for name, info in UserStats.model_fields.items()
    if info.alias is not None and info.alias in UserStat._value2member_map_
}


class Security(MitcheModel):
    """Role, standing and verification; written by Cloud Functions and admins only."""

    role: Role = Role.USER
    """Role; the custom claim of the same name is authoritative for the rules."""
    account_status: AccountStatus = AccountStatus.ACTIVE
    """Whether the member may act."""
    strikes: Annotated[int, Field(ge=0, le=100)] = 0
    """Upheld moderation actions against the member."""
    last_strike_at: Timestamp | None = None
    """When the latest strike was given."""
    suspended_until: Timestamp | None = None
    """End of the current suspension."""
    identity_verification: Verification = Field(default_factory=Verification)
    """Whether an admin verified the member's identity."""
    verified_provider: bool = False
    """Whether the member may publish resources as a verified provider (also a claim)."""

    @model_validator(mode="after")
    def _suspension_has_end(self) -> Self:
        suspended = self.account_status is AccountStatus.SUSPENDED
        if suspended != (self.suspended_until is not None):
            raise ValueError("suspendedUntil is set exactly when accountStatus is 'suspended'")
        if self.strikes == 0 and self.last_strike_at is not None:
            raise ValueError("lastStrikeAt is only set once there is a strike")
        return self


class RevealRequestPolicy(StrEnum):
    """Who may ask a member to reveal identities."""

    NOBODY = "nobody"
    """Reveal requests are refused; the member stays anonymous."""
    COUNTERPARTS = "counterparts"
    """Members the member shares a conversation or an accepted offering with."""


class PrivacySettings(MitcheModel):
    """Privacy choices; the rules and leaderboards honour them."""

    profile_visibility: Visibility = Visibility.COMMUNITY
    """Who may read the user document."""
    leaderboard_opt_in: bool = False
    """Whether the member appears on leaderboards (always by alias); set from their consents
    (`users/{userId}/private/consents`) when they answer: the rules keep the member's own writes
    from changing it."""
    analytics_opt_in: bool = True
    """Whether the member is counted in daily activity analytics; set from their consents
    (`users/{userId}/private/consents`) when they answer, like `leaderboardOptIn`."""
    show_level: bool = True
    """Whether the level badge appears next to the member's alias."""
    show_achievements: bool = True
    """Whether earned achievements appear on the profile."""
    reveal_requests: RevealRequestPolicy = RevealRequestPolicy.COUNTERPARTS
    """Who may start the reveal protocol with the member."""


class NotificationChannels(MitcheModel):
    """Where notifications are delivered."""

    push: bool = True
    """Mobile push notifications."""
    email: bool = False
    """Email notifications."""
    in_app: bool = True
    """The in-app notification list."""


class NotificationTopics(MitcheModel):
    """Which events notify the member."""

    new_messages: bool = True
    """A message in one of the member's conversations."""
    request_updates: bool = True
    """Offerings and status changes on the member's requests."""
    offering_updates: bool = True
    """Answers to the member's offerings."""
    event_reminders: bool = True
    """Reminders for events the member registered for."""
    achievements: bool = True
    """Achievements earned and level-ups."""
    nearby_requests: bool = False
    """New requests near the member's home area."""
    community_news: bool = False
    """Announcements from the Mitché team."""


class DigestFrequency(StrEnum):
    """How often a summary email is sent."""

    OFF = "off"
    DAILY = "daily"
    WEEKLY = "weekly"


class QuietHours(MitcheModel):
    """A daily window without push notifications; may span midnight (22:00 to 07:00)."""

    starts_at: LocalTime
    """Start of the quiet window."""
    ends_at: LocalTime
    """End of the quiet window."""

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if self.starts_at == self.ends_at:
            raise ValueError("quiet hours endsAt must differ from startsAt")
        return self


class NotificationSettings(MitcheModel):
    """Notification preferences."""

    channels: NotificationChannels = Field(default_factory=NotificationChannels)
    """Delivery channels."""
    topics: NotificationTopics = Field(default_factory=NotificationTopics)
    """Topics the member wants to hear about."""
    digest: DigestFrequency = DigestFrequency.WEEKLY
    """Summary email frequency."""
    quiet_hours: QuietHours | None = None
    """No push notifications in this window (member's time zone)."""
    nearby_radius_km: Annotated[int, Field(ge=1, le=100)] = 5
    """Radius of "nearby" for nearby-request notifications."""


class DistanceUnit(StrEnum):
    """Unit distances are shown in."""

    KILOMETERS = "km"
    MILES = "mi"


class Preferences(MitcheModel):
    """Display preferences."""

    locale: LanguageTag = "en"
    """Language of the interface, BCP-47."""
    time_zone: TimeZoneName = "UTC"
    """The member's time zone (streak days and quiet hours are counted in it)."""
    distance_unit: DistanceUnit = DistanceUnit.KILOMETERS
    """Unit for distances."""
    large_text: bool = False
    """Larger text for readability."""
    reduce_motion: bool = False
    """Fewer animations."""


class RevealSummary(MitcheModel):
    """The member's reveal protocol at a glance; maintained by Cloud Functions."""

    pending_incoming: Count = 0
    """Counterparts who consented and wait for the member's answer."""
    completed: Count = 0
    """Completed mutual reveals."""
    last_completed_at: Timestamp | None = None
    """When the latest reveal completed."""


class User(MitcheModel):
    """A member's public document, `users/{userId}`."""

    profile: Annotated[Profile, CLIENT]
    """Public profile."""
    privacy: Annotated[PrivacySettings, CLIENT] = Field(default_factory=PrivacySettings)
    """Privacy settings."""
    notifications: Annotated[NotificationSettings, CLIENT] = Field(
        default_factory=NotificationSettings
    )
    """Notification settings."""
    preferences: Annotated[Preferences, CLIENT] = Field(default_factory=Preferences)
    """Display preferences."""
    gamification: Annotated[Gamification, SERVER] = Field(default_factory=Gamification)
    """Hope points, level, experience and streak."""
    stats: Annotated[UserStats, SERVER] = Field(default_factory=UserStats)
    """Activity counters."""
    security: Annotated[Security | None, SERVER] = None
    """Legacy: moved to the private account by migration 0001; read only while a document
    still holds it (expand/contract window), never written."""
    reveal: Annotated[RevealSummary, SERVER] = Field(default_factory=RevealSummary)
    """Reveal protocol summary."""
    last_request_at: Annotated[Timestamp | None, SERVER] = None
    """Legacy: moved to the private account by migration 0001 (rate limit)."""
    last_offering_at: Annotated[Timestamp | None, SERVER] = None
    """Legacy: moved to the private account by migration 0001 (rate limit)."""
    last_message_at: Annotated[Timestamp | None, SERVER] = None
    """Legacy: moved to the private account by migration 0001 (rate limit)."""
    last_report_at: Annotated[Timestamp | None, SERVER] = None
    """Legacy: moved to the private account by migration 0001 (rate limit)."""
    last_active_at: Annotated[Timestamp | None, SERVER] = None
    """Last time the member did anything that a trigger saw."""
    created_at: Annotated[Timestamp, CLIENT_CREATE]
    """When the member joined."""
    updated_at: Annotated[Timestamp, CLIENT]
    """Last time the member changed the document."""

    @model_validator(mode="after")
    def _updated_after_created(self) -> Self:
        if self.updated_at < self.created_at:
            raise ValueError("updatedAt must not be earlier than createdAt")
        return self


StampedPath = Annotated[
    str,
    Field(
        min_length=3,
        max_length=400,
        pattern=r"^[A-Za-z]+/[A-Za-z0-9_-]{1,128}(/[A-Za-z]+/[A-Za-z0-9_-]{1,128}){0,2}$",
    ),
]
"""A document path relative to the database root (`requests/abc`,
`communityEvents/e1/registrations/uid`), as the JS SDK's `DocumentReference.path` gives it."""


class RateStamp(MitcheModel):
    """One rate-limit stamp: the document a creating batch was allowed to create, and when."""

    at: Timestamp
    """The batch's write time (`serverTimestamp()`, equal to the rules' `request.time`)."""
    path: StampedPath | None = None
    """The document the batch creates; null only on stamps migrated from the earlier bare
    timestamps (migration 0003), which authorise nothing new."""


class Privileges(MitcheModel):
    """What the member's level lets them do: the level benefits row of their level
    (`systemSettings/public.levelBenefits`), copied here by functions whenever the level changes
    (mitche.handlers._privileges), because the rules cannot search the benefits table. A member
    without the map has the first row's privileges (level 1, Seedling)."""

    level: Annotated[int, Field(ge=1, le=MAX_LEVEL)] = 1
    """The level the privileges were copied for."""
    max_open_requests: Annotated[int, Field(ge=1, le=50)] = 3
    """Requests the member may have open (open or in progress) at once."""
    can_organize_events: bool = False
    """Whether the member may create community events."""
    mentorship_eligible: bool = False
    """Whether the member may offer mentorship (an offering tagged `mentorship`)."""


class PrivateAccount(MitcheModel):
    """`users/{userId}/private/account`: a member's standing and rate-limit stamps, read only
    by the member, moderators and admins.

    A document without `security` stands for the default map (a member in good standing); a
    client may create the document holding only a stamp. Each stamp names the one document it
    authorises (`RateStamp`), so a batch of several creates of one kind passes for one only.
    """

    security: Annotated[Security, SERVER] = Field(default_factory=Security)
    """Role, account status, strikes and verification; the custom claims follow it."""
    last_request: Annotated[RateStamp | None, CLIENT] = None
    """Set in the batch that creates a request (rate limit)."""
    last_offering: Annotated[RateStamp | None, CLIENT] = None
    """Set in the batch that creates an offering (rate limit)."""
    last_message: Annotated[RateStamp | None, CLIENT] = None
    """Set in the batch that creates a message (rate limit)."""
    last_report: Annotated[RateStamp | None, CLIENT] = None
    """Set in the batch that creates a report (rate limit)."""
    last_conversation: Annotated[RateStamp | None, CLIENT] = None
    """Set in the batch that creates a conversation (rate limit)."""
    last_event: Annotated[RateStamp | None, CLIENT] = None
    """Set in the batch that creates a community event (rate limit)."""
    last_registration: Annotated[RateStamp | None, CLIENT] = None
    """Set in the batch that creates an event registration (rate limit)."""
    last_story: Annotated[RateStamp | None, CLIENT] = None
    """Set in the batch that creates a tapestry thread (rate limit)."""
    last_review: Annotated[RateStamp | None, CLIENT] = None
    """Set in the batch that creates a resource review (rate limit)."""
    last_reveal_consent: Annotated[RateStamp | None, CLIENT] = None
    """Set in the batch that creates a reveal consent (rate limit)."""
    last_heart: Annotated[RateStamp | None, CLIENT] = None
    """Set in the batch that creates a heart on a story (rate limit)."""
    last_request_at: Annotated[Timestamp | None, SERVER] = None
    """Legacy: turned into `lastRequest` by migration 0003; read while a document still holds it
    (expand/contract window), never written."""
    last_offering_at: Annotated[Timestamp | None, SERVER] = None
    """Legacy: turned into `lastOffering` by migration 0003."""
    last_message_at: Annotated[Timestamp | None, SERVER] = None
    """Legacy: turned into `lastMessage` by migration 0003."""
    last_report_at: Annotated[Timestamp | None, SERVER] = None
    """Legacy: turned into `lastReport` by migration 0003."""
    last_usage: Annotated[RateStamp | None, CLIENT] = None
    """Set in the batch that counts a use of a resource (a view, a referral...; rate limit)."""
    privileges: Annotated[Privileges | None, SERVER] = None
    """What the member's level lets them do, as the rules read it (absent: level 1's)."""
    open_requests: Annotated[Count | None, SERVER] = None
    """The member's requests that are open or in progress, recounted by the request trigger
    after every change of one of them (absent: none counted yet, read as 0); the rules refuse a
    new request once it reaches `privileges.maxOpenRequests`."""
    revoked_before: Annotated[Timestamp | None, SERVER] = None
    """ID tokens issued before this time (their `auth_time`) write nothing: set when a
    suspension, a ban or a demotion takes effect, so it bites at once rather than when the
    member's token expires (up to an hour later)."""
    alias_conflict: Annotated[AliasConflict | None, SERVER] = None
    """The member's alias, taken before aliases were claimed, is held by another member (or
    cannot be claimed): they are asked to choose another (migration 0013)."""


class Identity(MitcheModel):
    """Who the member really is, in the clear: what `set_identity` accepts and `read_identity`
    returns. Stored sealed as `SealedIdentity` (`users/{userId}/private/identity`)."""

    legal_name: Annotated[Annotated[str, Field(min_length=1, max_length=100)] | None, CLIENT] = None
    """Full legal name."""
    email: Annotated[EmailAddress | None, CLIENT] = None
    """Contact email."""
    phone: Annotated[PhoneNumber | None, CLIENT] = None
    """Contact phone, E.164."""
    home: Annotated[ExactLocation | None, CLIENT] = None
    """Exact home location and address."""
    updated_at: Annotated[Timestamp, CLIENT]
    """Last change."""


class HopeLedgerEntry(MitcheModel):
    """One award (or correction) of hope points: `users/{userId}/hopeLedger/{entryId}`.

    Written only by Cloud Functions; never updated. The entry id is derived from the trigger's
    event id and the action, so a redelivered event cannot award twice. A member's
    `gamification.hopePoints` always equals the sum of `amount` over their entries.
    """

    action: Annotated[HopeAction, SERVER]
    """What was rewarded."""
    category: Annotated[HopeCategory, SERVER]
    """Category the points count towards."""
    source: Annotated[DocumentPath | None, SERVER] = None
    """Document that caused the award (the offering, event, report...)."""
    event_id: Annotated[str, Field(min_length=1, max_length=200), SERVER]
    """Id of the trigger event (or command run) that wrote the entry."""
    base: Annotated[int, Field(ge=0, le=10_000), SERVER]
    """Base points from the award table."""
    multiplier: Annotated[float, Field(ge=0.0, le=10.0), SERVER] = 1.0
    """Level multiplier applied to the base."""
    bonus: Annotated[int, Field(ge=0, le=10_000), SERVER] = 0
    """Streak or other bonus added."""
    amount: Annotated[int, Field(ge=-100_000, le=100_000), SERVER]
    """Points actually credited (after caps); negative only for an adjustment."""
    capped: Annotated[bool, SERVER] = False
    """Whether a daily or weekly cap reduced the amount."""
    reverses: Annotated[DocumentId | None, SERVER] = None
    """Entry this adjustment reverses."""
    reason: Annotated[Annotated[str, Field(max_length=500)] | None, SERVER] = None
    """Why a moderator or admin made this adjustment (the member reads it)."""
    created_at: Annotated[Timestamp, SERVER]
    """When the entry was written."""

    @model_validator(mode="after")
    def _amount_consistent(self) -> Self:
        if self.action is HopeAction.ADJUSTMENT:
            return self
        if self.reverses is not None:
            raise ValueError("reverses is only set on an adjustment")
        uncapped = int(self.base * self.multiplier) + self.bonus
        if not 0 <= self.amount <= uncapped:
            raise ValueError(f"amount must be within 0..{uncapped} (base × multiplier + bonus)")
        if (self.amount < uncapped) != self.capped:
            raise ValueError(
                "capped is true exactly when amount is below base × multiplier + bonus"
            )
        return self


class RevealConsentStatus(StrEnum):
    """A member's consent to reveal identities to one counterpart."""

    CONSENTED = "consented"
    WITHDRAWN = "withdrawn"


class RevealConsent(MitcheModel):
    """`users/{userId}/revealConsents/{counterpartId}`: the member's side of a reveal."""

    counterpart_id: Annotated[Uid, CLIENT_CREATE]
    """The other member; equals the document id."""
    context: Annotated[DocumentPath, CLIENT_CREATE]
    """Where the two met, with the counterpart taking part: a conversation the counterpart
    opened, a message the counterpart sent to a conversation the member was in, or a request
    linking them (requester and accepted helper). A dm the member opened alone proves
    nothing (issue 21, hole 15)."""
    status: Annotated[RevealConsentStatus, CLIENT] = RevealConsentStatus.CONSENTED
    """The member's current answer; frozen once the reveal completes."""
    completed_at: Annotated[Timestamp | None, SERVER] = None
    """When both consents were present and the grants were written."""
    created_at: Annotated[Timestamp, CLIENT_CREATE]
    """When the member first consented."""
    updated_at: Annotated[Timestamp, CLIENT]
    """Last change of status."""

    @model_validator(mode="after")
    def _completed_is_consented(self) -> Self:
        if self.completed_at is not None and self.status is not RevealConsentStatus.CONSENTED:
            raise ValueError("a completed reveal (completedAt set) has status 'consented'")
        if self.updated_at < self.created_at:
            raise ValueError("updatedAt must not be earlier than createdAt")
        return self


class Block(MitcheModel):
    """`users/{userId}/blocks/{memberId}`: the member blocked `memberId`.

    Neither contacts the other any more: no answer to the other's request, no claim of the
    other's standing offering, no new conversation of the two of them, no message in one, no
    request to reveal identities and no story naming the other (the rules check both
    directions), and matching never suggests one to the other. Only the member who blocked reads
    it; the blocked member is never told (a function reads the other direction for matching).
    Unblocking deletes it.
    """

    member_id: Annotated[Uid, CLIENT_CREATE]
    """The blocked member; equals the document id."""
    created_at: Annotated[Timestamp, CLIENT_CREATE]
    """When the member blocked them (request.time)."""


class RevealGrant(MitcheModel):
    """`users/{userId}/revealGrants/{counterpartId}`: the counterpart may read the identity."""

    counterpart_id: Annotated[Uid, SERVER]
    """Member who may read `users/{userId}/private/identity`; equals the document id."""
    context: Annotated[DocumentPath, SERVER]
    """Conversation or request of the reveal."""
    completed_at: Annotated[Timestamp, SERVER]
    """When the reveal completed."""


SPEC: Final = CollectionSpec(
    collection=Collection.USERS,
    model=User,
    id_field="userId",
    subcollections=(
        SubcollectionSpec(
            path="users/{userId}/private/identity",
            model=SealedIdentity,
            why="Real name, contact details and exact home, sealed by the backend: members "
            "write and read them through callables (the member, admins, and counterparts with "
            "a completed reveal), unlike the public profile.",
        ),
        SubcollectionSpec(
            path="users/{userId}/private/dataKey",
            model=MemberDataKey,
            why="The member's data key, wrapped by the key-encryption key: functions only; "
            "deleting it makes the member's sealed data unreadable.",
        ),
        SubcollectionSpec(
            path="users/{userId}/publicKeys/{keyId}",
            model=PublicKey,
            why="Devices' public keys for end-to-end encrypted messages: any member reads "
            "them to seal a message, only the member publishes them.",
        ),
        SubcollectionSpec(
            path="users/{userId}/private/account",
            model=PrivateAccount,
            why="Standing (role, strikes, suspension) and rate-limit timestamps are read only "
            "by the member, moderators and admins, unlike the public profile.",
        ),
        SubcollectionSpec(
            path="users/{userId}/private/consents",
            model=Consents,
            why="What the member agreed to (terms, optional purposes) is read only by the "
            "member; a function applies it to the settings the platform reads.",
        ),
        SubcollectionSpec(
            path="users/{userId}/private/export",
            model=ExportJob,
            why="The member's data export job, written by functions and read only by the "
            "member; resumable state and the archive's place until it expires.",
        ),
        SubcollectionSpec(
            path="users/{userId}/hopeLedger/{entryId}",
            model=HopeLedgerEntry,
            why="Append-only award history written by functions; totals are recomputed from "
            "it, and it is read only by the member and admins.",
        ),
        SubcollectionSpec(
            path="users/{userId}/processedEvents/{markerId}",
            model=ProcessedEvent,
            why="Idempotency markers of the triggers that change the member's points and "
            "stats, written in the same transaction as the effect; functions only, expired by "
            "a TTL policy on expiresAt.",
        ),
        SubcollectionSpec(
            path="users/{userId}/rewardFacts/{factId}",
            model=RewardFact,
            why="One marker per fact a member was rewarded for (the document it is about and "
            "what happened), so toggles, deletions and re-creations pay once; functions only, "
            "kept for good.",
        ),
        SubcollectionSpec(
            path="users/{userId}/revealConsents/{counterpartId}",
            model=RevealConsent,
            why="Each member writes only their own consent; the counterpart reads it to "
            "answer. Separate from the user document so strangers never see who asked.",
        ),
        SubcollectionSpec(
            path="users/{userId}/blocks/{memberId}",
            model=Block,
            why="Whom the member blocked is theirs alone: the blocked member must not learn of "
            "it, so it lives apart from the user document everyone reads; the rules check it "
            "before any contact, and matching reads both directions.",
        ),
        SubcollectionSpec(
            path="users/{userId}/revealGrants/{counterpartId}",
            model=RevealGrant,
            why="Written by functions once both consents exist; the rules check its existence "
            "(exists()) before letting the counterpart read the identity document.",
        ),
        SubcollectionSpec(
            path="users/{userId}/uploadReviews/{reviewId}",
            model=UploadReview,
            why="What the attachments pipeline did with each upload (kept, or removed and why), "
            "written by functions and read only by the uploader and admins.",
        ),
        SubcollectionSpec(
            path="users/{userId}/notifications/{notificationId}",
            model=Notification,
            why="The member's notification list: written by functions only (mitche.handlers."
            "notify), read by the member alone, who may only set readAt; expired by TTL.",
        ),
        SubcollectionSpec(
            path="users/{userId}/notificationInbox/{summaryId}",
            model=NotificationInbox,
            why="The unread count and the push rate window, kept apart from the public user "
            "document (private to the member) and from the list (one small document to watch).",
        ),
        SubcollectionSpec(
            path="users/{userId}/devices/{deviceId}",
            model=Device,
            why="Push tokens are secrets of the member's devices: written and read by the member "
            "only, read by the push sender, pruned when FCM says a token is gone.",
        ),
    ),
)
