"""Platform documents: the settings the demo's admin changed after setup (the other settings
documents and the achievement catalog come from the production setup commands the seed runs
first), three rolled-up analytics days and today's counter shards still filling up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from mitche.models.analytics import (
    AnalyticsDay,
    CounterShard,
    EventMetrics,
    GeoCell,
    HopePointMetrics,
    MessageMetrics,
    OfferingMetrics,
    ReportMetrics,
    RequestMetrics,
    UserMetrics,
    day_id,
    shard_id,
)
from mitche.models.community_events import EventCategory
from mitche.models.names import Collection
from mitche.models.offerings import OfferingType
from mitche.models.reports import ReportReason, ReportSeverity
from mitche.models.requests import HelpCategory, RequestStatus, UrgencyLevel
from mitche.models.system_settings import SETTINGS_MODELS, ModerationSettings
from mitche.models.users import HopeAction, HopeCategory
from mitche_dev.devstack._actors import Actor
from mitche_dev.devstack._ids import DemoDocument, path
from mitche_dev.devstack._timeline import Timeline

__all__ = ["platform_documents"]

_ROLL_UP_DELAY: Final = dt.timedelta(minutes=15)
"""How long after midnight the scheduled roll-up writes the day's document."""

# Lyon's cells at the analytics precision (4 characters, about 39 km × 20 km).
_LYON_CELL: Final = "u05k"
_EAST_CELL: Final = "u05m"


_SETTINGS_CONTENT: Final[dict[str, dict[str, object]]] = {
    "moderators": {"moderator_ids": [Actor.ADA.value, Actor.MOD.value], "next_assignment": 3},
}
"""Settings documents whose defaults would contradict the demo: the moderators' roster names
Ada (admins moderate: the roster holds every moderating role in good standing) and Mod, and its
round-robin counter has handed out the demo's three reports."""


def _settings(t: Timeline) -> list[DemoDocument]:
    """The settings documents the demo needs otherwise than `init-settings` writes them, at
    their code defaults but for the demo's content, stamped as last saved by Ada where the
    document records who saved it."""
    saved = {"updated_at": t.clock.ago(days=30), "updated_by": Actor.ADA.value}
    documents: list[DemoDocument] = []
    for document, model in SETTINGS_MODELS.items():
        content = _SETTINGS_CONTENT.get(document.value)
        if content is None:
            continue
        fields = {name: value for name, value in saved.items() if name in model.model_fields}
        fields |= content
        documents.append((path(Collection.SYSTEM_SETTINGS, document), model.model_validate(fields)))
    return documents


@dataclass(frozen=True, slots=True)
class _Activity:
    """One day's activity in the demo city, the inputs of its metrics."""

    days_ago: int
    requests: dict[HelpCategory, int]
    urgency: dict[UrgencyLevel, int]
    fulfilled: int
    offerings: dict[OfferingType, int]
    accepted: int
    messages: int
    reports: dict[ReportReason, int]
    points: dict[HopeAction, tuple[HopeCategory, int]]
    active_users: int


_ACTIVITY: Final = (
    _Activity(
        days_ago=3,
        requests={HelpCategory.EMOTIONAL_SUPPORT: 2, HelpCategory.FOOD: 1},
        urgency={UrgencyLevel.LOW: 2, UrgencyLevel.HIGH: 1},
        fulfilled=1,
        offerings={OfferingType.HELP: 3},
        accepted=1,
        messages=14,
        reports={ReportReason.SCAM: 1},
        points={
            HopeAction.OFFERING_MADE: (HopeCategory.SILENT_HERO, 15),
            HopeAction.REPORT_UPHELD: (HopeCategory.GUARDIAN, 10),
        },
        active_users=9,
    ),
    _Activity(
        days_ago=2,
        requests={HelpCategory.FOOD: 2, HelpCategory.TRANSPORT: 1},
        urgency={UrgencyLevel.MEDIUM: 1, UrgencyLevel.HIGH: 2},
        fulfilled=0,
        offerings={OfferingType.HELP: 2, OfferingType.RESOURCE: 1},
        accepted=2,
        messages=21,
        reports={},
        points={
            HopeAction.OFFERING_MADE: (HopeCategory.SILENT_HERO, 15),
            HopeAction.OFFERING_ACCEPTED: (HopeCategory.SILENT_HERO, 20),
            HopeAction.URGENT_RESPONSE: (HopeCategory.FIRST_RESPONDER, 15),
        },
        active_users=12,
    ),
    _Activity(
        days_ago=1,
        requests={HelpCategory.FINANCIAL: 1, HelpCategory.HOUSEHOLD: 1},
        urgency={UrgencyLevel.CRITICAL: 1, UrgencyLevel.MEDIUM: 1},
        fulfilled=1,
        offerings={OfferingType.FINANCIAL: 1, OfferingType.HELP: 1},
        accepted=0,
        messages=17,
        reports={ReportReason.SPAM: 1},
        points={
            HopeAction.OFFERING_MADE: (HopeCategory.SILENT_HERO, 10),
            HopeAction.REQUEST_FULFILLED: (HopeCategory.SILENT_HERO, 25),
        },
        active_users=10,
    ),
)
"""The last three days, oldest first."""


def _severity(reason: ReportReason) -> ReportSeverity:
    return ModerationSettings().severity_for_reason(reason)


def _analytics_day(activity: _Activity, t: Timeline) -> DemoDocument:
    day = t.clock.day(activity.days_ago)
    created = sum(activity.requests.values())
    reports = sum(activity.reports.values())
    by_severity: dict[ReportSeverity, int] = {}
    for reason, count in activity.reports.items():
        severity = _severity(reason)
        by_severity[severity] = by_severity.get(severity, 0) + count
    by_category: dict[HopeCategory, int] = {}
    for category, amount in activity.points.values():
        by_category[category] = by_category.get(category, 0) + amount
    ended = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    document = AnalyticsDay(
        day=day_id(day),
        users=UserMetrics(
            new_users=1 if activity.days_ago == 2 else 0,
            active_users=activity.active_users,
            suspended_users=1 if ReportReason.SCAM in activity.reports else 0,
        ),
        requests=RequestMetrics(
            created=created,
            fulfilled=activity.fulfilled,
            by_category=activity.requests,
            by_urgency=activity.urgency,
            by_status={RequestStatus.OPEN: created, RequestStatus.FULFILLED: activity.fulfilled},
        ),
        offerings=OfferingMetrics(
            created=sum(activity.offerings.values()),
            by_type=activity.offerings,
            accepted=activity.accepted,
            completed=activity.fulfilled,
        ),
        events=EventMetrics(
            created=1 if activity.days_ago == 1 else 0,
            by_category={EventCategory.SUPPORT_CIRCLE: 1} if activity.days_ago == 1 else {},
            registrations=2,
        ),
        messages=MessageMetrics(sent=activity.messages, conversations_started=2),
        reports=ReportMetrics(
            created=reports,
            by_reason=activity.reports,
            by_severity=by_severity,
            auto_hidden=sum(
                count
                for reason, count in activity.reports.items()
                if _severity(reason).rank >= ReportSeverity.HIGH.rank
            ),
            resolved=1 if ReportReason.SCAM in activity.reports else 0,
        ),
        hope_points=HopePointMetrics(
            awarded=sum(amount for _, amount in activity.points.values()),
            by_category=by_category,
            by_action={action: amount for action, (_, amount) in activity.points.items()},
            entries=len(activity.points) + 2,
        ),
        geography={
            _LYON_CELL: GeoCell(
                requests=created,
                offerings=sum(activity.offerings.values()),
                active_users=activity.active_users - 2,
            ),
            _EAST_CELL: GeoCell(active_users=2),
        },
        shards_merged=7,
        computed_at=max(ended, min(ended + _ROLL_UP_DELAY, t.now)),
    )
    return path(Collection.ANALYTICS, document.day), document


def _todays_shards(t: Timeline) -> list[DemoDocument]:
    """Two counter shards of today, incremented by this morning's triggers."""
    today = day_id(t.clock.day(0))
    shards = [
        CounterShard(
            day=today,
            shard=0,
            requests=RequestMetrics(
                created=1,
                by_category={HelpCategory.COMPANIONSHIP: 1},
                by_urgency={UrgencyLevel.LOW: 1},
                by_status={RequestStatus.OPEN: 1},
            ),
            messages=MessageMetrics(sent=3),
            geography={_LYON_CELL: GeoCell(requests=1)},
            updated_at=t.clock.ago(minutes=40),
        ),
        CounterShard(
            day=today,
            shard=4,
            users=UserMetrics(active_users=3),
            messages=MessageMetrics(sent=2, conversations_started=1),
            updated_at=t.clock.ago(minutes=5),
        ),
    ]
    return [
        (path(Collection.ANALYTICS, today, "shards", shard_id(shard.shard)), shard)
        for shard in shards
    ]


def platform_documents(t: Timeline) -> list[DemoDocument]:
    """The settings documents, the rolled-up days (oldest first) and today's shards."""
    return [
        *_settings(t),
        *(_analytics_day(activity, t) for activity in _ACTIVITY),
        *_todays_shards(t),
    ]
