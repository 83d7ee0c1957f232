"""Daily analytics counters: what a document change increments, which shard takes it, and how
a day's shards merge into `analytics/{day}`.

`counter_deltas(before, after)` is the whole rule book: a pure function of one document's
change (None before: created; None after: deleted) to counter increments, keyed by field path
segments in the counter shard document (wire names, so the service layer turns each key into
a `FieldPath` with a `firestore.Increment`). Every counter counts events of the day: a request
created, a request entering a status, a member's first activity of their day.

Design choices, and why:
* Counters that must agree (a request's total, its category and its urgency) come from one
  change and go to one shard in one write, so the model's "breakdowns add up" checks hold in
  every shard and in their sum.
* The shard is chosen from a hash of the trigger's event id, not at random: spread is as even
  as random, and a retried event lands on the same shard, which keeps a test or a replay
  reproducible (double counting is prevented by the event marker, not by the shard).
* Deletions count nothing: the analytics are a record of what happened on a day, and a
  deleted request was still created that day.
* Geography uses the coarse public geohash documents already carry (public areas, 5
  characters; request locations, 6), cut to `geohashPrecision` characters, so no exact
  location is ever read. An offering has no location of its own when it answers a request;
  only standing offerings with an area are placed on the map.
* Merging tolerates a precision changed mid-day: every cell is cut to the smallest precision
  seen among the shards and the configured one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

from mitche.domain._calendar import day_key, day_of
from mitche.errors import InvalidArgumentError
from mitche.models.analytics import MAX_SHARDS, AnalyticsDay, AnalyticsSource, CounterShard
from mitche.models.community_events import (
    AttendanceState,
    CommunityEvent,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from mitche.models.conversations import Conversation
from mitche.models.messages import Message
from mitche.models.offerings import Offering, OfferingStatus
from mitche.models.reports import Report, ReportStatus
from mitche.models.requests import HelpRequest, RequestStatus
from mitche.models.system_settings import AnalyticsSettings
from mitche.models.users import AccountStatus, HopeLedgerEntry, PrivateAccount, Security, User

__all__ = [
    "CounterDeltas",
    "CounterKey",
    "Tracked",
    "UnsupportedChangeError",
    "analytics_day",
    "apply_deltas",
    "choose_shard",
    "counter_deltas",
    "merge_shards",
]

CounterKey = tuple[str, ...]
"""Field path segments of a counter in a shard document: ("requests", "byCategory", "food")."""

Tracked = (
    User
    | HelpRequest
    | Offering
    | CommunityEvent
    | Registration
    | Conversation
    | Message
    | Report
    | HopeLedgerEntry
    | PrivateAccount
)
"""Document types whose changes the daily analytics count."""

_SHARD_BOOKKEEPING: Final = frozenset({"day", "shard", "updatedAt", "geohashPrecision"})


class UnsupportedChangeError(InvalidArgumentError):
    """A change the analytics cannot count (two different document types)."""


@dataclass(frozen=True, slots=True)
class CounterDeltas:
    """Increments to apply to one shard document, by counter key."""

    increments: Mapping[CounterKey, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        cleaned = {key: n for key, n in self.increments.items() if n}
        object.__setattr__(self, "increments", MappingProxyType(cleaned))

    def __bool__(self) -> bool:
        return bool(self.increments)

    def __add__(self, other: CounterDeltas) -> CounterDeltas:
        merged = dict(self.increments)
        for key, n in other.increments.items():
            merged[key] = merged.get(key, 0) + n
        return CounterDeltas(merged)


class _Builder:
    def __init__(self, precision: int) -> None:
        self.precision = precision
        self.counts: dict[CounterKey, int] = {}

    def add(self, *key: str, by: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + by

    def cell(self, geohash: str | None, counter: str) -> None:
        if geohash is not None and len(geohash) >= self.precision:
            self.add("geography", geohash[: self.precision], counter)

    def build(self) -> CounterDeltas:
        return CounterDeltas(self.counts)


def _entered(before: Any, after: Any, attribute: str, value: object) -> bool:
    """Whether `after` has `attribute == value` and `before` (if any) did not."""
    now = getattr(after, attribute)
    return bool(now == value and (before is None or getattr(before, attribute) != now))


def _users(b: _Builder, before: User | None, after: User) -> None:
    if not after.privacy.analytics_opt_in:
        # Withdrawn analytics consent: the member's joining and activity are not counted
        # (standing changes still are: moderation statistics are not analytics of the member).
        _standing(b, before.security if before else None, after.security)
        return
    if before is None:
        b.add("users", "newUsers")
    last_day = after.gamification.streak.last_active_day
    previous_day = before.gamification.streak.last_active_day if before else None
    if last_day is not None and last_day != previous_day:
        b.add("users", "activeUsers")
        area = after.profile.home_area
        b.cell(area.geohash if area else None, "activeUsers")
    _standing(b, before.security if before else None, after.security)


def _standing(b: _Builder, before: Security | None, after: Security | None) -> None:
    """Deactivations and suspensions, from a security map wherever it is stored (the private
    account, or the user document in the legacy shape)."""
    if after is None:
        return
    if _entered(before, after, "account_status", AccountStatus.DEACTIVATED):
        b.add("users", "deactivatedUsers")
    if _entered(before, after, "account_status", AccountStatus.SUSPENDED):
        b.add("users", "suspendedUsers")


def _requests(b: _Builder, before: HelpRequest | None, after: HelpRequest) -> None:
    if before is None:
        b.add("requests", "created")
        b.add("requests", "byCategory", after.category.value)
        b.add("requests", "byUrgency", after.urgency.value)
        b.cell(after.location.geohash if after.location else None, "requests")
    if before is None or before.status is not after.status:
        b.add("requests", "byStatus", after.status.value)
        if after.status is RequestStatus.FULFILLED:
            b.add("requests", "fulfilled")


def _offerings(b: _Builder, before: Offering | None, after: Offering) -> None:
    if before is None:
        b.add("offerings", "created")
        b.add("offerings", "byType", after.offering_type.value)
        b.cell(after.location.geohash if after.location else None, "offerings")
    if _entered(before, after, "status", OfferingStatus.ACCEPTED):
        b.add("offerings", "accepted")
    if _entered(before, after, "status", OfferingStatus.COMPLETED):
        b.add("offerings", "completed")


def _events(b: _Builder, before: CommunityEvent | None, after: CommunityEvent) -> None:
    if before is None:
        b.add("events", "created")
        b.add("events", "byCategory", after.category.value)
    if _entered(before, after, "status", EventStatus.COMPLETED):
        b.add("events", "held")
        b.cell(after.location.geohash if after.location else None, "events")


def _registrations(b: _Builder, before: Registration | None, after: Registration) -> None:
    if before is None and after.status is not RegistrationStatus.CANCELLED:
        b.add("events", "registrations")
    if before is not None and _entered(before, after, "status", RegistrationStatus.CANCELLED):
        b.add("events", "cancellations")
    if _entered(before, after, "attendance", AttendanceState.ATTENDED):
        b.add("events", "attendances")


def _reports(b: _Builder, before: Report | None, after: Report) -> None:
    if before is None:
        b.add("reports", "created")
        b.add("reports", "byReason", after.reason.value)
    if after.severity is not None and (before is None or before.severity is None):
        b.add("reports", "bySeverity", after.severity.value)
    # `reports.autoHidden` is counted by the triage itself: whether a report hid its content
    # is on the moderators-only case, never on the report (migration 0015).
    if _entered(before, after, "status", ReportStatus.RESOLVED):
        b.add("reports", "resolved")
    if _entered(before, after, "status", ReportStatus.DISMISSED):
        b.add("reports", "dismissed")


def _ledger(b: _Builder, before: HopeLedgerEntry | None, after: HopeLedgerEntry) -> None:
    if before is not None:
        return
    b.add("hopePoints", "entries")
    if after.capped:
        b.add("hopePoints", "cappedEntries")
    if after.amount > 0:
        b.add("hopePoints", "awarded", by=after.amount)
        b.add("hopePoints", "byCategory", after.category.value, by=after.amount)
        b.add("hopePoints", "byAction", after.action.value, by=after.amount)


def counter_deltas(
    before: Tracked | None, after: Tracked | None, *, geohash_precision: int = 4
) -> CounterDeltas:
    """The daily counters one document change increments."""
    if after is None:
        return CounterDeltas()
    if before is not None and type(before) is not type(after):
        raise UnsupportedChangeError(
            f"a change from {type(before).__name__} to {type(after).__name__} is not countable"
        )
    b = _Builder(geohash_precision)
    match after:
        case User():
            _users(b, before if isinstance(before, User) else None, after)
        case HelpRequest():
            _requests(b, before if isinstance(before, HelpRequest) else None, after)
        case Offering():
            _offerings(b, before if isinstance(before, Offering) else None, after)
        case CommunityEvent():
            _events(b, before if isinstance(before, CommunityEvent) else None, after)
        case Registration():
            _registrations(b, before if isinstance(before, Registration) else None, after)
        case Report():
            _reports(b, before if isinstance(before, Report) else None, after)
        case HopeLedgerEntry():
            _ledger(b, before if isinstance(before, HopeLedgerEntry) else None, after)
        case PrivateAccount():
            _standing(
                b, before.security if isinstance(before, PrivateAccount) else None, after.security
            )
        case Conversation():
            if before is None:
                b.add("messages", "conversationsStarted")
        case Message():
            if before is None:
                b.add("messages", "sent")
    return b.build()


def choose_shard(event_id: str, shard_count: int) -> int:
    """The counter shard an event's increments go to: a hash of the event id, modulo the
    configured shard count."""
    if not 1 <= shard_count <= MAX_SHARDS:
        raise ValueError(f"shard count must be within 1..{MAX_SHARDS}, not {shard_count}")
    digest = hashlib.sha256(event_id.encode()).digest()
    return int.from_bytes(digest[:8], "big") % shard_count


def analytics_day(at: dt.datetime, settings: AnalyticsSettings) -> str:
    """The analytics day (`YYYY-MM-DD`) of a moment, in the configured time zone."""
    return day_key(day_of(at, settings.time_zone))


def apply_deltas(document: Mapping[str, Any], deltas: CounterDeltas) -> dict[str, Any]:
    """A shard document's data (wire names) with the increments applied, as Firestore's
    `Increment` transforms would leave it."""
    result = _deep_copy(document)
    for key, n in deltas.increments.items():
        node = result
        for segment in key[:-1]:
            node = node.setdefault(segment, {})
        node[key[-1]] = node.get(key[-1], 0) + n
    return result


def _deep_copy(document: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: _deep_copy(value) if isinstance(value, Mapping) else value
        for key, value in document.items()
    }


def _add_into(total: dict[str, Any], part: Mapping[str, Any]) -> None:
    for key, value in part.items():
        if isinstance(value, Mapping):
            _add_into(total.setdefault(key, {}), value)
        elif isinstance(value, int) and not isinstance(value, bool):
            total[key] = total.get(key, 0) + value


def _regrid(geography: Mapping[str, Mapping[str, int]], precision: int) -> dict[str, Any]:
    cells: dict[str, Any] = {}
    for geohash, counters in geography.items():
        _add_into(cells.setdefault(geohash[:precision], {}), counters)
    return cells


def merge_shards(
    day: str,
    shards: Iterable[CounterShard],
    *,
    settings: AnalyticsSettings,
    computed_at: dt.datetime,
) -> AnalyticsDay:
    """The day's analytics document: the sum of every shard document of the day."""
    parts = list(shards)
    if any(shard.day != day for shard in parts):
        raise InvalidArgumentError(f"every shard merged into {day} must count {day}")
    precision = min([settings.geohash_precision, *(s.geohash_precision for s in parts)])
    total: dict[str, Any] = {}
    for shard in parts:
        data = shard.model_dump(by_alias=True, exclude_none=True)
        for key in _SHARD_BOOKKEEPING:
            data.pop(key, None)
        data["geography"] = _regrid(data.get("geography", {}), precision)
        _add_into(total, data)
    return AnalyticsDay.model_validate(
        {
            **total,
            "day": day,
            "geohashPrecision": precision,
            "timeZone": settings.time_zone,
            "source": AnalyticsSource.COUNTERS,
            "shardsMerged": len(parts),
            "computedAt": computed_at,
        }
    )
