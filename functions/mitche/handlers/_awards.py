"""Writing members' activities: one transaction per event, idempotent by the event id.

For every member an event concerns, the transaction reads the user document (and the progress
documents of the achievements the change can move), computes the update with
`apply_activity`, and writes the user document, the new ledger entries, the progress
documents and a marker `users/{uid}/processedEvents/{handler-hash(eventId)}` — created, never
set. A second delivery of the event, before or after the first commits, fails on that `create`
(or, delivered concurrently, is retried by the transaction and then fails on it): the whole
transaction is dropped and nothing is counted twice. No marker is read: the `create` is the
check, so a first delivery costs no extra read.

Activities that pay nothing and move only counters no achievement watches (a message sent, a
request created) skip the transaction: a batch increments the counters and creates the marker,
with no read at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from google.cloud import firestore

from mitche.errors import AlreadyExistsError, NotFoundError
from mitche.handler_names import HandlerName
from mitche.handlers._context import Deps, DocumentChange, decode
from mitche.handlers._member import (
    MemberActivity,
    MemberUpdate,
    ProgressSource,
    apply_activity,
    pays_points,
)
from mitche.models import (
    PROCESSED_EVENTS,
    Collection,
    ProcessedEvent,
    User,
    UserAchievement,
    UserStat,
    processed_event_id,
    user_achievement_id,
)
from mitche.services import GameRules, Unit, log_info, run_batch, run_transaction, to_document

__all__ = [
    "AwardOutcome",
    "apply_member_activities",
    "marker_path",
    "progress_source",
    "user_path",
    "write_update",
]


def user_path(user_id: str) -> str:
    """`users/{uid}`."""
    return f"{Collection.USERS.value}/{user_id}"


def marker_path(parent: str, handler: HandlerName, event_id: str) -> str:
    """The idempotency marker of `handler` for event `event_id`, below document `parent`."""
    return f"{parent}/{PROCESSED_EVENTS}/{processed_event_id(handler, event_id)}"


@dataclass(frozen=True, slots=True)
class AwardOutcome:
    """What a handler run did."""

    updates: tuple[MemberUpdate, ...] = ()
    counted: tuple[str, ...] = ()
    """Members whose counters were incremented without a transaction."""
    duplicate: bool = False
    """The event had been applied already; nothing was written."""


def _watched_stats(rules: GameRules) -> set[str]:
    return {
        achievement.criterion.stat.value
        for achievement in rules.catalog.values()
        if isinstance(achievement.criterion.stat, UserStat)
    }


def _counters_only(activities: Sequence[MemberActivity], rules: GameRules) -> bool:
    watched = _watched_stats(rules)
    return all(
        not pays_points(activity, rules)
        and activity.rating is None
        and not any(stat.value in watched for stat in activity.stats)
        for activity in activities
    )


def _increment(
    deps: Deps, handler: HandlerName, change: DocumentChange, activities: Sequence[MemberActivity]
) -> AwardOutcome:
    def work(unit: Unit) -> None:
        for activity in activities:
            path = user_path(activity.user_id)
            fields: dict[str, Any] = {
                f"stats.{stat.value}": firestore.Increment(amount)
                for stat, amount in activity.stats.items()
                if amount
            }
            fields["lastActiveAt"] = change.at
            unit.update(path, fields)
            unit.create(
                marker_path(path, handler, change.event_id),
                ProcessedEvent.of(handler, change.event_id, change.at),
            )

    run_batch(deps.client, handler, work)
    return AwardOutcome(counted=tuple(activity.user_id for activity in activities))


def progress_source(unit: Unit, user_id: str, handler: str, event_id: str) -> ProgressSource:
    """Stored progress documents of a member, read through the unit on demand."""

    def load(achievement_ids: Iterable[str]) -> Mapping[str, UserAchievement]:
        ids = list(achievement_ids)
        paths = {
            f"{Collection.USER_ACHIEVEMENTS.value}/{user_achievement_id(user_id, aid)}": aid
            for aid in ids
        }
        found: dict[str, UserAchievement] = {}
        for path, data in unit.get_all(paths).items():
            document = decode(UserAchievement, data, path=path, handler=handler, event_id=event_id)
            if document is not None:
                found[paths[path]] = document
        return found

    return load


def write_update(unit: Unit, update: MemberUpdate, at: dt.datetime) -> None:
    """Write a member's update: their document, new ledger entries, progress documents."""
    path = user_path(update.user_id)
    unit.update(
        path,
        {
            "gamification": to_document(update.gamification, unit.client),
            "stats": to_document(update.stats, unit.client),
            "lastActiveAt": at,
        },
    )
    for entry_id, entry in update.ledger:
        unit.create(f"{path}/hopeLedger/{entry_id}", entry)
    for document in update.progress:
        unit.set(f"{Collection.USER_ACHIEVEMENTS.value}/{document.document_id}", document)
    for achievement_id in update.deleted_progress:
        document_id = user_achievement_id(update.user_id, achievement_id)
        unit.delete(f"{Collection.USER_ACHIEVEMENTS.value}/{document_id}")


def _transact(
    deps: Deps,
    handler: HandlerName,
    change: DocumentChange,
    activities: Sequence[MemberActivity],
    rules: GameRules,
) -> AwardOutcome:
    def work(unit: Unit) -> tuple[MemberUpdate, ...]:
        users = unit.get_all(user_path(activity.user_id) for activity in activities)
        updates: list[MemberUpdate] = []
        for activity in activities:
            path = user_path(activity.user_id)
            user = decode(User, users[path], path=path, handler=handler, event_id=change.event_id)
            if user is None:
                log_info(
                    "no usable member document; activity dropped",
                    handler=handler,
                    eventId=change.event_id,
                    path=path,
                    exists=users[path] is not None,
                )
                continue
            update = apply_activity(
                user,
                activity,
                rules,
                event_id=change.event_id,
                at=change.at,
                progress_source=progress_source(unit, activity.user_id, handler, change.event_id),
            )
            write_update(unit, update, change.at)
            unit.create(
                marker_path(path, handler, change.event_id),
                ProcessedEvent.of(handler, change.event_id, change.at),
            )
            updates.append(update)
        return tuple(updates)

    return AwardOutcome(updates=run_transaction(deps.client, handler, work))


def apply_member_activities(
    deps: Deps, handler: HandlerName, change: DocumentChange, activities: Sequence[MemberActivity]
) -> AwardOutcome:
    """Apply the activities an event recorded, exactly once per event."""
    if not activities:
        return AwardOutcome()
    rules = deps.settings.game_rules(deps.client)
    try:
        if _counters_only(activities, rules):
            try:
                outcome = _increment(deps, handler, change, activities)
            except NotFoundError:
                outcome = _transact(deps, handler, change, activities, rules)
        else:
            outcome = _transact(deps, handler, change, activities, rules)
    except AlreadyExistsError:
        log_info(
            "event already applied; duplicate delivery ignored",
            handler=handler,
            eventId=change.event_id,
            path=change.path,
        )
        return AwardOutcome(duplicate=True)
    for update in outcome.updates:
        log_info(
            "member activity applied",
            handler=handler,
            eventId=change.event_id,
            path=change.path,
            uid=update.user_id,
            points=update.points_credited,
            ledgerEntries=len(update.ledger),
            achievementsEarned=list(update.newly_earned),
            levelUp=update.level_up.to_level if update.level_up else None,
        )
    return outcome
