"""Configuration admins tune in the Firebase console (`systemSettings/{settingsId}`).

The collection holds a fixed set of documents, one per `SettingsDocument` id, each with its
own model:
* `public` (`PublicSettings`): feature flags, the level benefits table and public app
  configuration; readable by every signed-in member;
* `gamification` (`GamificationSettings`, in mitche.models.gamification_settings and
  re-exported here): award table, caps, level multipliers, streak bonuses, level curve;
* `moderation` (`ModerationSettings`): keyword lists, severity per reason, auto-hide
  thresholds, suspension defaults;
* `analytics` (`AnalyticsSettings`): counter shards and geographic precision;
* `moderators` (`ModeratorRoster`): the active moderators and the round-robin counter that
  assigns new reports, kept by functions (the role callable and the report trigger);
* `leaderboards` (`LeaderboardSettings`, in mitche.models.leaderboards): the key of the
  leaderboard entry ids; the boards themselves are stored below it
  (`systemSettings/leaderboards/boards/{boardId}/entries/{entryId}`); `matching`
  (`MatchingSettings`, in mitche.models.matching): the weights of the suggestions' score, with
  the match cards below it (`systemSettings/matching/{requestCards,helperCards}/{id}`).
* `audit` (`AuditSettings`, in mitche.models.audit): the audit log's retention; the entries
  are stored below it (`systemSettings/audit/auditEntries/{entryId}`).
Only `public` (and the leaderboard entries) are readable by clients; the others are read by
Cloud Functions and admins. Every field of every document is written by admins (console) or
functions, never by a client.

The collection's `SPEC.model` is the `public` document's model; the other documents are
declared as `SubcollectionSpec` entries whose path is the fixed document path
(`systemSettings/gamification`): a spec's path is a path template, and a template without
wildcards names one top-level document. Separate documents rather than one with a `kind` keep
the rules trivial (one `match` per document id) and let readers differ per document.

Defaults: every field has a default, and a model built with no arguments is the code default
the functions use when a document (or a field, or a table entry) is absent, so a fresh install
works before an admin writes anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from itertools import pairwise
from types import MappingProxyType
from typing import Annotated, Final, Self

from pydantic import Field, model_validator

from mitche.models._base import SERVER, MitcheModel, Timestamp, Uid
from mitche.models.alias_claims import ALIAS_CLAIMS, AliasClaim
from mitche.models.audit import AUDIT_ENTRIES, AuditEntry, AuditSettings
from mitche.models.common import ATTACHMENT_MAX_BYTES, Count, LanguageTag, TimeZoneName, WebUrl
from mitche.models.gamification_settings import (
    COMPUTED_ACTIONS,
    DEFAULT_AWARDS,
    DEFAULT_DAILY_CAPS,
    DEFAULT_WEEKLY_CAPS,
    AwardRule,
    GamificationSettings,
    LevelCurve,
    LevelMultiplier,
    StreakBonus,
)
from mitche.models.leaderboards import LeaderboardEntry, LeaderboardSettings
from mitche.models.matching import (
    HELPER_CARDS,
    REQUEST_CARDS,
    HelperCard,
    MatchingSettings,
    RequestCard,
)
from mitche.models.migration_log import APPLIED_MIGRATIONS, AppliedMigration
from mitche.models.names import Collection
from mitche.models.nearby import NearbyEntry, NearbyList, nearby_entries_path
from mitche.models.privacy import ERASURES, ErasureJob
from mitche.models.registry import CollectionSpec, SubcollectionSpec
from mitche.models.reports import ReportReason, ReportSeverity
from mitche.models.tapestry_threads import TapestryLoom
from mitche.models.users import MAX_LEVEL

__all__ = [
    "COMPUTED_ACTIONS",
    "DEFAULT_AWARDS",
    "DEFAULT_DAILY_CAPS",
    "DEFAULT_KEYWORDS",
    "DEFAULT_LEVEL_BENEFITS",
    "DEFAULT_REASON_SEVERITY",
    "DEFAULT_WEEKLY_CAPS",
    "MAX_MODERATORS",
    "SETTINGS_MODELS",
    "SPEC",
    "AnalyticsSettings",
    "AwardRule",
    "FeatureFlags",
    "GamificationSettings",
    "LeaderboardEntry",
    "LeaderboardSettings",
    "LevelBenefit",
    "LevelCurve",
    "LevelMultiplier",
    "ModerationSettings",
    "ModeratorRoster",
    "OrphanSweep",
    "PublicConfig",
    "PublicSettings",
    "RateLimits",
    "ServiceStatus",
    "SettingsDocument",
    "StreakBonus",
    "SuspensionPolicy",
]


class SettingsDocument(StrEnum):
    """The fixed document ids of `systemSettings`."""

    PUBLIC = "public"
    GAMIFICATION = "gamification"
    MODERATION = "moderation"
    ANALYTICS = "analytics"
    MODERATORS = "moderators"
    LEADERBOARDS = "leaderboards"
    AUDIT = "audit"
    TAPESTRY = "tapestry"
    MATCHING = "matching"
    ORPHAN_SWEEP = "orphanSweep"


_Level = Annotated[int, Field(ge=1, le=MAX_LEVEL)]


# --- public -------------------------------------------------------------------------------


class FeatureFlags(MitcheModel):
    """Features switched on or off for every client, without a release."""

    chat: bool = True
    """Conversations and messages."""
    advanced_search: bool = True
    """Filtered and full-text search of requests, offerings and resources."""
    ratings: bool = True
    """Feedback and ratings after help."""
    geolocation: bool = True
    """"Near me" search and maps."""
    events: bool = True
    """Community events."""
    resource_hub: bool = True
    """The resource directory."""
    tapestry: bool = True
    """The Hope Tapestry."""
    achievements: bool = True
    """Achievements and badges."""
    leaderboards: bool = True
    """Weekly and all-time leaderboards (opt-in members only)."""
    reveal_protocol: bool = True
    """Mutual identity reveal between two members."""
    mentorship: bool = True
    """Mentorship offers by high-level members."""
    ai_matching: bool = False
    """Suggested matches between requests and helpers."""
    payments: bool = False
    """In-app financial transfers."""
    voice_interface: bool = False
    """Voice input and read-aloud."""
    community_groups: bool = False
    """Member groups."""


class LevelBenefit(MitcheModel):
    """What members gain from a level on (until the next row's level)."""

    min_level: _Level
    """First level the row applies to."""
    title: Annotated[str, Field(min_length=1, max_length=40)]
    """Title shown with the level ("Guide")."""
    daily_cap_bonus_percent: Annotated[int, Field(ge=0, le=200)] = 0
    """Extra room on the daily and weekly hope point caps, in percent."""
    max_open_requests: Annotated[int, Field(ge=1, le=50)]
    """Requests the member may have open at once."""
    can_organize_events: bool = False
    """Whether the member may create community events."""
    mentorship_eligible: bool = False
    """Whether the member may offer mentorship."""


DEFAULT_LEVEL_BENEFITS: Final = (
    LevelBenefit(min_level=1, title="Seedling", max_open_requests=3),
    LevelBenefit(min_level=3, title="Sprout", max_open_requests=4, can_organize_events=True),
    LevelBenefit(
        min_level=5,
        title="Helper",
        daily_cap_bonus_percent=10,
        max_open_requests=5,
        can_organize_events=True,
    ),
    LevelBenefit(
        min_level=10,
        title="Guide",
        daily_cap_bonus_percent=20,
        max_open_requests=6,
        can_organize_events=True,
    ),
    LevelBenefit(
        min_level=20,
        title="Mentor",
        daily_cap_bonus_percent=30,
        max_open_requests=8,
        can_organize_events=True,
        mentorship_eligible=True,
    ),
    LevelBenefit(
        min_level=35,
        title="Beacon",
        daily_cap_bonus_percent=40,
        max_open_requests=10,
        can_organize_events=True,
        mentorship_eligible=True,
    ),
    LevelBenefit(
        min_level=50,
        title="Lighthouse",
        daily_cap_bonus_percent=50,
        max_open_requests=12,
        can_organize_events=True,
        mentorship_eligible=True,
    ),
)
"""Code default of the level benefits table."""


class RateLimits(MitcheModel):
    """Minimum seconds between a member's creations of each kind; the rules enforce them with
    the stamps of the member's private account (`lastRequest`..., each naming the one document
    it authorises)."""

    request_seconds: Annotated[int, Field(ge=0, le=86_400)] = 60
    """Between two requests."""
    offering_seconds: Annotated[int, Field(ge=0, le=86_400)] = 10
    """Between two offerings."""
    message_seconds: Annotated[int, Field(ge=0, le=3_600)] = 1
    """Between two messages."""
    report_seconds: Annotated[int, Field(ge=0, le=86_400)] = 30
    """Between two reports."""
    conversation_seconds: Annotated[int, Field(ge=0, le=86_400)] = 10
    """Between two conversations a member opens."""
    event_seconds: Annotated[int, Field(ge=0, le=86_400)] = 300
    """Between two community events a member creates."""
    registration_seconds: Annotated[int, Field(ge=0, le=86_400)] = 5
    """Between two event registrations."""
    story_seconds: Annotated[int, Field(ge=0, le=86_400)] = 300
    """Between two Hope Tapestry stories a member nominates."""
    review_seconds: Annotated[int, Field(ge=0, le=86_400)] = 60
    """Between two resource reviews."""
    reveal_consent_seconds: Annotated[int, Field(ge=0, le=86_400)] = 30
    """Between two reveal consents (each is also a request to the counterpart)."""
    heart_seconds: Annotated[int, Field(ge=0, le=3_600)] = 1
    """Between two hearts given to stories."""
    usage_seconds: Annotated[int, Field(ge=0, le=3_600)] = 5
    """Between two uses of resources a member counts (views, referrals...)."""


class ServiceStatus(StrEnum):
    """How the platform is running, as clients should present it."""

    OPERATIONAL = "operational"
    """Everything works."""
    DEGRADED = "degraded"
    """Some features are slow or unavailable; clients show a banner."""
    READ_ONLY = "readOnly"
    """Reading works, writing is paused (e.g. during a migration)."""
    MAINTENANCE = "maintenance"
    """The app is unavailable; clients show the status message only."""


class PublicConfig(MitcheModel):
    """App configuration every client reads at start-up."""

    service_status: ServiceStatus = ServiceStatus.OPERATIONAL
    """Whether the app runs normally; clients adapt and show `statusMessage`."""
    status_message: Annotated[str, Field(max_length=500)] | None = None
    """Text shown while the status is not `operational`."""
    min_client_version: Annotated[str, Field(pattern=r"^\d{1,4}\.\d{1,4}\.\d{1,4}$")] = "1.0.0"
    """Oldest app version still allowed; older ones ask the member to update."""
    supported_languages: Annotated[list[LanguageTag], Field(min_length=1, max_length=50)] = Field(
        default_factory=lambda: ["en", "fr", "es", "ar", "pt-BR"]
    )
    """Languages the app is translated into (BCP-47)."""
    default_search_radius_km: Annotated[int, Field(ge=1, le=200)] = 10
    """Radius of "near me" searches when the member has not chosen one."""
    request_expiry_days: Annotated[int, Field(ge=1, le=365)] = 30
    """Days after which an open request without a deadline expires."""
    leaderboard_size: Annotated[int, Field(ge=10, le=500)] = 100
    """Entries shown on each leaderboard."""
    rate_limits: RateLimits = Field(default_factory=RateLimits)
    """Minimum intervals between a member's creations."""
    terms_version: Annotated[str, Field(min_length=1, max_length=20)] = "2026-11"
    """Version of the terms members must have accepted."""
    support_url: WebUrl | None = None
    """Where members find help with the app."""
    max_attachment_bytes: Annotated[int, Field(ge=1024, le=ATTACHMENT_MAX_BYTES)] = (
        ATTACHMENT_MAX_BYTES
    )
    """Largest file members may attach; the attachments pipeline removes larger ones (apps
    check it before uploading; storage.rules cap every upload at ATTACHMENT_MAX_BYTES)."""


class PublicSettings(MitcheModel):
    """`systemSettings/public`: configuration every signed-in member may read."""

    feature_flags: Annotated[FeatureFlags, SERVER] = Field(default_factory=FeatureFlags)
    """Features switched on or off."""
    level_benefits: Annotated[
        Annotated[list[LevelBenefit], Field(min_length=1, max_length=MAX_LEVEL)], SERVER
    ] = Field(default_factory=lambda: [row.model_copy() for row in DEFAULT_LEVEL_BENEFITS])
    """Benefits by level, ordered by `minLevel`, the first row at level 1."""
    config: Annotated[PublicConfig, SERVER] = Field(default_factory=PublicConfig)
    """App configuration."""
    updated_at: Annotated[Timestamp | None, SERVER] = None
    """When an admin last changed the document."""
    updated_by: Annotated[Uid | None, SERVER] = None
    """The admin who last changed it."""

    @model_validator(mode="after")
    def _levels_ordered(self) -> Self:
        levels = [row.min_level for row in self.level_benefits]
        if levels[0] != 1 or any(later <= earlier for earlier, later in pairwise(levels)):
            raise ValueError(f"levelBenefits minLevel starts at 1 and strictly increases: {levels}")
        return self

    def benefit_for(self, level: int) -> LevelBenefit:
        """The benefits row that applies at `level`."""
        applicable = [row for row in self.level_benefits if row.min_level <= level]
        return applicable[-1] if applicable else self.level_benefits[0]


# --- moderation ---------------------------------------------------------------------------

_Keyword = Annotated[str, Field(min_length=2, max_length=64)]

DEFAULT_REASON_SEVERITY: Final = MappingProxyType(
    {
        ReportReason.SPAM: ReportSeverity.LOW,
        ReportReason.SCAM: ReportSeverity.HIGH,
        ReportReason.HARASSMENT: ReportSeverity.MEDIUM,
        ReportReason.HATE: ReportSeverity.HIGH,
        ReportReason.VIOLENCE: ReportSeverity.CRITICAL,
        ReportReason.SELF_HARM: ReportSeverity.CRITICAL,
        ReportReason.SEXUAL_CONTENT: ReportSeverity.HIGH,
        ReportReason.PRIVACY: ReportSeverity.HIGH,
        ReportReason.IMPERSONATION: ReportSeverity.MEDIUM,
        ReportReason.MISINFORMATION: ReportSeverity.MEDIUM,
        ReportReason.UNSAFE_MEETING: ReportSeverity.HIGH,
        ReportReason.OTHER: ReportSeverity.LOW,
    }
)
"""Code default of the severity each report reason carries by itself."""

DEFAULT_KEYWORDS: Final = MappingProxyType(
    {
        ReportSeverity.CRITICAL: ("kill myself", "end my life", "suicide", "bomb threat"),
        ReportSeverity.HIGH: ("kill you", "wire transfer", "gift card code", "send nudes"),
        ReportSeverity.MEDIUM: ("idiot", "loser", "shut up", "fake charity"),
        ReportSeverity.LOW: ("promo code", "buy now", "click here", "follow me"),
    }
)
"""Code default of the keyword lists; an admin extends them in the console."""


class SuspensionPolicy(MitcheModel):
    """Defaults for strikes and suspensions."""

    default_days: Annotated[int, Field(ge=1, le=365)] = 7
    """Length of a suspension when the moderator does not choose one."""
    strikes_to_suspend: Annotated[int, Field(ge=1, le=100)] = 3
    """Strikes after which the next upheld action suspends the member."""
    strikes_to_ban: Annotated[int, Field(ge=1, le=100)] = 6
    """Strikes after which the next upheld action proposes a ban."""
    strike_expiry_days: Annotated[int, Field(ge=1, le=3_650)] = 180
    """Days after which a strike no longer counts."""

    @model_validator(mode="after")
    def _ban_after_suspension(self) -> Self:
        if self.strikes_to_ban <= self.strikes_to_suspend:
            raise ValueError("suspension strikesToBan must be above strikesToSuspend")
        return self


class ModerationSettings(MitcheModel):
    """`systemSettings/moderation`: how reports are classified and acted on automatically."""

    keywords: Annotated[
        dict[ReportSeverity, Annotated[list[_Keyword], Field(max_length=500)]], SERVER
    ] = Field(
        default_factory=lambda: {level: list(words) for level, words in DEFAULT_KEYWORDS.items()}
    )
    """Keyword lists per severity, matched case-insensitively on whole words in the report's
    details and the reported text; the highest matching severity counts."""
    reason_severity: Annotated[dict[ReportReason, ReportSeverity], SERVER] = Field(
        default_factory=lambda: dict(DEFAULT_REASON_SEVERITY)
    )
    """Severity a report reason carries by itself; the report's severity is the higher of
    this and the keywords'."""
    auto_hide_severity: Annotated[ReportSeverity, SERVER] = ReportSeverity.HIGH
    """Content is hidden automatically, on a report from a member whose account is old
    enough, when keywords of at least this severity are found in the reported text itself
    (never on the reason or the details the reporter chose)."""
    auto_hide_report_count: Annotated[Annotated[int, Field(ge=1, le=100)], SERVER] = 3
    """Content is hidden automatically after this many independent reports (one per member,
    from members whose account is at least `autoHideMinAccountAgeDays` old)."""
    auto_hide_min_account_age_days: Annotated[Annotated[int, Field(ge=0, le=365)], SERVER] = 7
    """Reports count towards hiding content automatically only from accounts at least this
    many days old, so a batch of fresh accounts cannot take content down."""
    reporter_severity_cap: Annotated[ReportSeverity, SERVER] = ReportSeverity.HIGH
    """The most a reporter's own choices (the reason, the details they write) can raise a
    report's severity; the reported text's own keywords are not capped."""
    screen_new_content: Annotated[bool, SERVER] = True
    """Whether new content is screened against the keyword lists when created."""
    suspension: Annotated[SuspensionPolicy, SERVER] = Field(default_factory=SuspensionPolicy)
    """Strike and suspension defaults."""
    updated_at: Annotated[Timestamp | None, SERVER] = None
    """When an admin last changed the document."""
    updated_by: Annotated[Uid | None, SERVER] = None
    """The admin who last changed it."""

    def severity_for_reason(self, reason: ReportReason) -> ReportSeverity:
        """Severity of a reason (the document's, else the default)."""
        return self.reason_severity.get(reason, DEFAULT_REASON_SEVERITY[reason])


# --- analytics ----------------------------------------------------------------------------


class AnalyticsSettings(MitcheModel):
    """`systemSettings/analytics`: how the daily counters are kept."""

    shard_count: Annotated[Annotated[int, Field(ge=1, le=100)], SERVER] = 10
    """Counter shards per day; each increment goes to a random one. Raising it mid-day is safe:
    the daily roll-up sums every shard document that exists."""
    geohash_precision: Annotated[Annotated[int, Field(ge=2, le=5)], SERVER] = 4
    """Geohash characters of the geographic distribution's cells (4 ≈ 39 km × 20 km)."""
    time_zone: Annotated[TimeZoneName, SERVER] = "UTC"
    """Time zone whose midnight separates analytics days."""
    updated_at: Annotated[Timestamp | None, SERVER] = None
    """When an admin last changed the document."""
    updated_by: Annotated[Uid | None, SERVER] = None
    """The admin who last changed it."""


# --- moderators ---------------------------------------------------------------------------

MAX_MODERATORS: Final = 500
"""Most moderators in the round-robin roster."""


class ModeratorRoster(MitcheModel):
    """`systemSettings/moderators`: who takes new reports, and whose turn it is (functions only).

    The role callable adds a member when they become a moderator or admin and removes them when
    they lose the role or their good standing; the report trigger reads the roster and moves
    `nextAssignment` past the moderator it picked, in the same transaction as the assignment.
    """

    moderator_ids: Annotated[Annotated[list[Uid], Field(max_length=MAX_MODERATORS)], SERVER] = (
        Field(default_factory=list)
    )
    """Active moderators (and admins who moderate), in no particular order."""
    next_assignment: Annotated[Annotated[int, Field(ge=0)], SERVER] = 0
    """Round-robin counter: the next report goes to moderator number `nextAssignment` modulo
    the roster size, in uid order (see mitche.domain.moderation.assign_moderator)."""
    updated_at: Annotated[Timestamp | None, SERVER] = None
    """When the roster or the counter last changed."""

    @model_validator(mode="after")
    def _distinct(self) -> Self:
        if len(set(self.moderator_ids)) != len(self.moderator_ids):
            raise ValueError("moderatorIds must not repeat a moderator")
        return self


# --- orphanSweep --------------------------------------------------------------------------


class OrphanSweep(MitcheModel):
    """`systemSettings/orphanSweep`: where the sweep of unlinked uploads resumes (functions
    only).

    Each run looks at one bounded page of `uploads/` in name order, starting after `cursor`,
    and leaves the last name it looked at here; past the end it starts again from the
    beginning. Every upload is looked at once per lap, however large the bucket.
    """

    cursor: Annotated[Annotated[str, Field(max_length=1024)] | None, SERVER] = None
    """The last object name the previous run looked at (None: start from the beginning)."""
    laps: Annotated[Count, SERVER] = 0
    """Completed passes over the whole folder."""
    removed: Annotated[Count, SERVER] = 0
    """Uploads removed, all runs together."""
    updated_at: Annotated[Timestamp | None, SERVER] = None
    """When a run last moved the cursor."""


SETTINGS_MODELS: Final[Mapping[SettingsDocument, type[MitcheModel]]] = MappingProxyType(
    {
        SettingsDocument.PUBLIC: PublicSettings,
        SettingsDocument.GAMIFICATION: GamificationSettings,
        SettingsDocument.MODERATION: ModerationSettings,
        SettingsDocument.ANALYTICS: AnalyticsSettings,
        SettingsDocument.MODERATORS: ModeratorRoster,
        SettingsDocument.LEADERBOARDS: LeaderboardSettings,
        SettingsDocument.AUDIT: AuditSettings,
        SettingsDocument.TAPESTRY: TapestryLoom,
        SettingsDocument.MATCHING: MatchingSettings,
        SettingsDocument.ORPHAN_SWEEP: OrphanSweep,
    }
)
"""The model of each settings document."""

_PRIVATE_WHY: Final = (
    "Read only by Cloud Functions and admins (the public document is readable by every "
    "signed-in member); a fixed document id, so its path template has no wildcard."
)

SPEC: Final = CollectionSpec(
    collection=Collection.SYSTEM_SETTINGS,
    model=PublicSettings,
    id_field="settingsId",
    subcollections=(
        *(
            SubcollectionSpec(
                path=f"{Collection.SYSTEM_SETTINGS.value}/{document.value}",
                model=SETTINGS_MODELS[document],
                why=_PRIVATE_WHY,
            )
            for document in SettingsDocument
            if document is not SettingsDocument.PUBLIC
        ),
        SubcollectionSpec(
            path=f"{APPLIED_MIGRATIONS}/{{migrationId}}",
            model=AppliedMigration,
            why="The applied-migrations log, written only by the migration runner with "
            "administrator credentials; below a settings document id because the platform has "
            "exactly thirteen top-level collections.",
        ),
        *(
            SubcollectionSpec(
                path=f"{nearby_entries_path(kind)}/{{entryId}}",
                model=NearbyEntry,
                why="Near-me lists are kept in step with their documents by functions and "
                "listed by every signed-in member; below a settings document id because the "
                "platform has exactly thirteen top-level collections.",
            )
            for kind in NearbyList
        ),
        SubcollectionSpec(
            path=f"{REQUEST_CARDS}/{{requestId}}",
            model=RequestCard,
            why="Matching's view of a request every member may read, with its embedding: "
            "read and written by functions only, so vectors stay off the documents apps read; "
            "below a settings document id because the platform has exactly thirteen "
            "top-level collections.",
        ),
        SubcollectionSpec(
            path=f"{HELPER_CARDS}/{{uid}}",
            model=HelperCard,
            why="Matching's view of a member who may be suggested, with the embedding of what "
            "they do: read and written by functions only; below a settings document id "
            "because the platform has exactly thirteen top-level collections.",
        ),
        SubcollectionSpec(
            path=f"{AUDIT_ENTRIES}/{{entryId}}",
            model=AuditEntry,
            why="The audit log: appended by functions and commands, read by admins only, "
            "never written by a client; below a settings document id because the platform has "
            "exactly thirteen top-level collections.",
        ),
        SubcollectionSpec(
            path=f"{ALIAS_CLAIMS}/{{aliasKey}}",
            model=AliasClaim,
            why="An alias is unique platform-wide: its claim, created in the batch that writes "
            "the profile, is checked by the rules with getAfter; below a settings document id "
            "because the platform has exactly thirteen top-level collections.",
        ),
        SubcollectionSpec(
            path=f"{ERASURES}/{{erasureId}}",
            model=ErasureJob,
            why="Account erasures: the running job (naming its member until done) and then the "
            "deletion record without personal data; functions only, below a settings document "
            "id because the platform has exactly thirteen top-level collections.",
        ),
        SubcollectionSpec(
            path="systemSettings/leaderboards/boards/{boardId}/entries/{entryId}",
            model=LeaderboardEntry,
            why="Leaderboards are maintained by functions at write time and read by every "
            "member with one ordered query per board; kept below a fixed settings document "
            "because the platform has exactly thirteen top-level collections.",
        ),
    ),
)
