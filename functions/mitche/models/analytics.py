"""Daily platform metrics (`analytics/{day}`, the id is the day `YYYY-MM-DD`).

Who reads and writes: Cloud Functions write everything; admins read it (the rules refuse every
client). Nothing here is per member: counts only, and the geographic distribution is by
coarse geohash cells.

How the numbers are made, without scanning collections:
1. triggers increment counters as things happen, in `analytics/{day}/shards/{shardId}`: each
   increment goes to one randomly chosen shard (`shardId` is its index, "0" to
   shardCount − 1, systemSettings `analytics`), so the write rate per document stays under
   Firestore's sustained one write per second; counters that must agree (a request's total,
   category and urgency) are incremented together in one write to one shard;
2. after the day ends, a scheduled function sums every shard document of the day into
   `analytics/{day}` (`source: counters`);
3. when counters are missing, a backfill command recomputes a past day from the source
   collections (`source: backfill`).
Each increment batch also creates a marker in `analytics/{day}/processedEvents/` named after
the trigger event, so a redelivered event fails as a whole instead of counting twice.
Each counter counts events of that day: a request created, a request entering a status, a
member active for the first time that day (the trigger sees `lastActiveDay` change).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Final, Self

from pydantic import AfterValidator, Field, model_validator

from mitche.models._base import SERVER, MitcheModel, Timestamp
from mitche.models.common import Count, Geohash, TimeZoneName, time_zone
from mitche.models.community_events import EventCategory
from mitche.models.names import Collection
from mitche.models.offerings import OfferingType
from mitche.models.processed_events import ProcessedEvent
from mitche.models.registry import CollectionSpec, SubcollectionSpec
from mitche.models.reports import ReportReason, ReportSeverity
from mitche.models.requests import HelpCategory, RequestStatus, UrgencyLevel
from mitche.models.users import HopeAction, HopeCategory

__all__ = [
    "MAX_GEO_CELLS",
    "MAX_SHARDS",
    "SPEC",
    "AnalyticsDay",
    "AnalyticsSource",
    "CounterShard",
    "DayId",
    "EventMetrics",
    "GeoCell",
    "HopePointMetrics",
    "MessageMetrics",
    "OfferingMetrics",
    "ReportMetrics",
    "RequestMetrics",
    "ScreeningMetrics",
    "UserMetrics",
    "day_id",
    "parse_day_id",
    "shard_id",
]

MAX_SHARDS: Final = 100
"""Most counter shards per day (systemSettings `analytics.shardCount` is at most this)."""
MAX_GEO_CELLS: Final = 2_000
"""Most geohash cells in one day's distribution: with four counters each, a day stays below
Firestore's per-document field and index-entry limits."""


def _check_day(value: str) -> str:
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.isoformat() != value:
        raise ValueError(f"{value!r} is not a calendar day written YYYY-MM-DD")
    return value


DayId = Annotated[str, Field(min_length=10, max_length=10), AfterValidator(_check_day)]
"""A calendar day, `YYYY-MM-DD`: the id of an analytics document."""


def day_id(day: dt.date) -> str:
    """The analytics document id of a day."""
    return day.isoformat()


def parse_day_id(value: str) -> dt.date:
    """The day an analytics document id names; ValueError if it is not `YYYY-MM-DD`."""
    return dt.date.fromisoformat(_check_day(value))


def shard_id(index: int) -> str:
    """The document id of counter shard `index` (0 ≤ index < MAX_SHARDS)."""
    if not 0 <= index < MAX_SHARDS:
        raise ValueError(f"shard index must be within 0..{MAX_SHARDS - 1}, not {index}")
    return str(index)


def _sum_check(name: str, parts: Iterable[int], total: int) -> None:
    counts = list(parts)
    if counts and sum(counts) != total:
        raise ValueError(f"{name} add up to {sum(counts)}, not the total {total}")


class UserMetrics(MitcheModel):
    """Members."""

    new_users: Count = 0
    """Members who joined."""
    active_users: Count = 0
    """Members who did anything that earns points or counts (each once)."""
    deactivated_users: Count = 0
    """Members who closed their account."""
    suspended_users: Count = 0
    """Members suspended by moderation."""


class RequestMetrics(MitcheModel):
    """Requests for help."""

    created: Count = 0
    """Requests created."""
    fulfilled: Count = 0
    """Requests marked fulfilled."""
    by_category: dict[HelpCategory, Count] = Field(default_factory=dict)
    """Requests created, by category (adds up to `created`)."""
    by_urgency: dict[UrgencyLevel, Count] = Field(default_factory=dict)
    """Requests created, by urgency (adds up to `created`)."""
    by_status: dict[RequestStatus, Count] = Field(default_factory=dict)
    """Requests that entered each status (created ones enter `open`)."""

    @model_validator(mode="after")
    def _breakdowns_add_up(self) -> Self:
        _sum_check("requests byCategory", self.by_category.values(), self.created)
        _sum_check("requests byUrgency", self.by_urgency.values(), self.created)
        return self


class OfferingMetrics(MitcheModel):
    """Offerings of help, resources and money."""

    created: Count = 0
    """Offerings made."""
    by_type: dict[OfferingType, Count] = Field(default_factory=dict)
    """Offerings made, by type (adds up to `created`)."""
    accepted: Count = 0
    """Offerings accepted by a requester."""
    completed: Count = 0
    """Offerings completed."""

    @model_validator(mode="after")
    def _breakdown_adds_up(self) -> Self:
        _sum_check("offerings byType", self.by_type.values(), self.created)
        return self


class EventMetrics(MitcheModel):
    """Community events."""

    created: Count = 0
    """Events created."""
    by_category: dict[EventCategory, Count] = Field(default_factory=dict)
    """Events created, by category (adds up to `created`)."""
    held: Count = 0
    """Events that took place."""
    registrations: Count = 0
    """Registrations made."""
    cancellations: Count = 0
    """Registrations cancelled."""
    attendances: Count = 0
    """Members checked in at an event."""

    @model_validator(mode="after")
    def _breakdown_adds_up(self) -> Self:
        _sum_check("events byCategory", self.by_category.values(), self.created)
        return self


class MessageMetrics(MitcheModel):
    """Conversations and messages (counts only, never content)."""

    sent: Count = 0
    """Messages sent."""
    conversations_started: Count = 0
    """Conversations created."""


class ReportMetrics(MitcheModel):
    """Reports and moderation."""

    created: Count = 0
    """Reports made."""
    by_reason: dict[ReportReason, Count] = Field(default_factory=dict)
    """Reports made, by reason (adds up to `created`)."""
    by_severity: dict[ReportSeverity, Count] = Field(default_factory=dict)
    """Reports classified, by severity (classification can fall on the next day)."""
    auto_hidden: Count = 0
    """Pieces of content hidden automatically."""
    resolved: Count = 0
    """Reports resolved with an action."""
    dismissed: Count = 0
    """Reports dismissed."""

    @model_validator(mode="after")
    def _breakdown_adds_up(self) -> Self:
        _sum_check("reports byReason", self.by_reason.values(), self.created)
        return self


class ScreeningMetrics(MitcheModel):
    """Verdicts of the automatic screen on new and edited content."""

    approved: Count = 0
    """Content approved as it arrived."""
    flagged: Count = 0
    """Content left visible and queued for a moderator."""
    held: Count = 0
    """Content held for a moderator (its author sees why)."""
    unprocessable: Count = 0
    """Documents the functions could not read (held, the reason shown to the author)."""


class HopePointMetrics(MitcheModel):
    """Hope points awarded (from ledger entries)."""

    awarded: Count = 0
    """Points credited (sum of positive ledger amounts)."""
    by_category: dict[HopeCategory, Count] = Field(default_factory=dict)
    """Points credited, by category (adds up to `awarded`)."""
    by_action: dict[HopeAction, Count] = Field(default_factory=dict)
    """Points credited, by action (adds up to `awarded`)."""
    entries: Count = 0
    """Ledger entries written."""
    capped_entries: Count = 0
    """Entries a daily or weekly cap reduced."""

    @model_validator(mode="after")
    def _breakdowns_add_up(self) -> Self:
        _sum_check("hopePoints byCategory", self.by_category.values(), self.awarded)
        _sum_check("hopePoints byAction", self.by_action.values(), self.awarded)
        if self.capped_entries > self.entries:
            raise ValueError("hopePoints cappedEntries cannot exceed entries")
        return self


class GeoCell(MitcheModel):
    """Activity in one geohash cell."""

    requests: Count = 0
    """Requests created with their public area in the cell."""
    offerings: Count = 0
    """Offerings made on requests in the cell."""
    events: Count = 0
    """In-person events held in the cell."""
    active_users: Count = 0
    """Active members whose home area is in the cell."""


class AnalyticsSource(StrEnum):
    """How a day's document was computed."""

    COUNTERS = "counters"
    """Summed from the day's counter shards."""
    BACKFILL = "backfill"
    """Recomputed from the source collections."""


_Geography = Annotated[dict[Geohash, GeoCell], Field(max_length=MAX_GEO_CELLS)]


class _DailyCounters(MitcheModel):
    """The counters a day has, shared by the daily document and each of its shards."""

    day: Annotated[DayId, SERVER]
    """The day counted, equal to the analytics document id."""
    users: Annotated[UserMetrics, SERVER] = Field(default_factory=UserMetrics)
    """Members."""
    requests: Annotated[RequestMetrics, SERVER] = Field(default_factory=RequestMetrics)
    """Requests."""
    offerings: Annotated[OfferingMetrics, SERVER] = Field(default_factory=OfferingMetrics)
    """Offerings."""
    events: Annotated[EventMetrics, SERVER] = Field(default_factory=EventMetrics)
    """Events."""
    messages: Annotated[MessageMetrics, SERVER] = Field(default_factory=MessageMetrics)
    """Messages."""
    reports: Annotated[ReportMetrics, SERVER] = Field(default_factory=ReportMetrics)
    """Reports."""
    screening: Annotated[ScreeningMetrics, SERVER] = Field(default_factory=ScreeningMetrics)
    """The automatic screen's verdicts."""
    hope_points: Annotated[HopePointMetrics, SERVER] = Field(default_factory=HopePointMetrics)
    """Hope points."""
    geohash_precision: Annotated[Annotated[int, Field(ge=2, le=5)], SERVER] = 4
    """Characters of the geohash cells in `geography`."""
    geography: Annotated[_Geography, SERVER] = Field(default_factory=dict)
    """Activity by geohash cell."""

    @model_validator(mode="after")
    def _cells_have_precision(self) -> Self:
        wrong = sorted(cell for cell in self.geography if len(cell) != self.geohash_precision)
        if wrong:
            raise ValueError(
                f"geography cells are {self.geohash_precision}-character geohashes, not {wrong[:5]}"
            )
        return self


class AnalyticsDay(_DailyCounters):
    """`analytics/{day}`: one day's metrics."""

    time_zone: Annotated[TimeZoneName, SERVER] = "UTC"
    """Time zone whose midnight bounds the day."""
    source: Annotated[AnalyticsSource, SERVER] = AnalyticsSource.COUNTERS
    """How the document was computed."""
    shards_merged: Annotated[Annotated[int, Field(ge=0, le=MAX_SHARDS)], SERVER] = 0
    """Shard documents summed (0 for a backfill)."""
    computed_at: Annotated[Timestamp, SERVER]
    """When the document was written; after the day ended."""

    @model_validator(mode="after")
    def _computed_after_day(self) -> Self:
        day = parse_day_id(self.day)
        end = dt.datetime.combine(
            day + dt.timedelta(days=1), dt.time(), tzinfo=time_zone(self.time_zone)
        )
        if self.computed_at < end:
            raise ValueError(f"computedAt must be after the day {self.day} ended ({end})")
        if self.source is AnalyticsSource.BACKFILL and self.shards_merged:
            raise ValueError("a backfill merges no shards (shardsMerged is 0)")
        return self


class CounterShard(_DailyCounters):
    """`analytics/{day}/shards/{shardId}`: one shard of a day's counters."""

    shard: Annotated[Annotated[int, Field(ge=0, le=MAX_SHARDS - 1)], SERVER]
    """Shard index, equal to the document id."""
    updated_at: Annotated[Timestamp, SERVER]
    """Last increment."""


SPEC: Final = CollectionSpec(
    collection=Collection.ANALYTICS,
    model=AnalyticsDay,
    id_field="day",
    subcollections=(
        SubcollectionSpec(
            path="analytics/{day}/shards/{shardId}",
            model=CounterShard,
            why=(
                "Triggers increment counters many times a second; spreading them over shard "
                "documents keeps each under Firestore's sustained write rate per document, and "
                "the daily document is written once, from their sum."
            ),
        ),
        SubcollectionSpec(
            path="analytics/{day}/processedEvents/{markerId}",
            model=ProcessedEvent,
            why=(
                "Idempotency markers of the counter triggers: each is created in the same batch "
                "as its increments, so a redelivered event is refused instead of counted twice; "
                "functions only, expired by a TTL policy on expiresAt."
            ),
        ),
    ),
)
