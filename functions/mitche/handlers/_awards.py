"""Writing members' activities: one transaction per event, each reward paid once per fact.

A reward is owed for a fact, not for an event (see `mitche.models.reward_facts`): the fact is
(the document it is about, what happened, the member who benefits), and its marker
`users/{uid}/rewardFacts/{reward_fact_id(subject, fact)}` is created, never set, in the same
transaction as the award. So a resource toggled active again, an attendance unchecked and
checked, a review deleted and written again, or a second offering by the same helper on the
same request, pays nothing more; and a second delivery of the event, before or after the
first commits, finds its facts recorded and changes nothing.

The first attempt reads no marker: it creates them, and the `create` is the check, so a
first delivery costs no extra read. When a marker exists already the attempt fails as a
whole, and a careful attempt reads the event's markers and applies only the facts not yet
recorded (none: a duplicate).

For every member an event concerns, the transaction reads the user document (and the progress
documents of the achievements the change can move), computes every member's update with
`apply_activity` before writing anything (a transaction reads nothing after its first write),
then writes the user documents, the new ledger entries, the progress documents and the facts.
A rating moves `stats.rating` and its category's `stats.ratingsByCategory` in that same write,
so it rides on the same fact: a redelivered feedback counts in neither twice (the fact of a
rating names the category it was counted in, which migration 0014 reads).

Activities that pay nothing and move only counters no achievement watches (a message sent, a
request created) skip the transaction: a batch increments the counters and creates the facts,
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
    merge_activities,
    pays_points,
)
from mitche.models import (
    PROCESSED_EVENTS,
    REWARD_FACTS,
    Collection,
    RewardFact,
    User,
    UserAchievement,
    UserStat,
    processed_event_id,
    reward_fact_id,
    user_achievement_id,
)
from mitche.services import GameRules, Unit, log_info, run_batch, run_transaction, to_document

__all__ = [
    "AwardOutcome",
    "apply_member_activities",
    "fact_path",
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


def fact_path(activity: MemberActivity) -> str:
    """The marker of the fact an activity rewards, below the member's document."""
    subject, fact = activity.fact_key
    return f"{user_path(activity.user_id)}/{REWARD_FACTS}/{reward_fact_id(subject, fact)}"


def _record_fact(unit: Unit, activity: MemberActivity, change: DocumentChange) -> None:
    subject, fact = activity.fact_key
    unit.create(
        fact_path(activity),
        RewardFact(
            fact=fact,
            subject=subject,
            event_id=change.event_id,
            recorded_at=change.at,
            category=activity.rating_category if activity.rating is not None else None,
        ),
    )


def _by_member(activities: Sequence[MemberActivity]) -> dict[str, list[MemberActivity]]:
    grouped: dict[str, list[MemberActivity]] = {}
    for activity in activities:
        grouped.setdefault(activity.user_id, []).append(activity)
    return grouped


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
        for user_id, own in _by_member(activities).items():
            activity = merge_activities(own)
            fields: dict[str, Any] = {
                f"stats.{stat.value}": firestore.Increment(amount)
                for stat, amount in activity.stats.items()
                if amount
            }
            fields["lastActiveAt"] = change.at
            unit.update(user_path(user_id), fields)
            for fact in own:
                _record_fact(unit, fact, change)

    run_batch(deps.client, handler, work)
    return AwardOutcome(counted=tuple(_by_member(activities)))


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
    *,
    careful: bool,
) -> AwardOutcome:
    def work(unit: Unit) -> AwardOutcome:
        wanted = list(activities)
        if careful:
            recorded = unit.get_all(fact_path(activity) for activity in wanted)
            wanted = [a for a in wanted if recorded[fact_path(a)] is None]
            if not wanted:
                return AwardOutcome(duplicate=True)
        grouped = _by_member(wanted)
        users = unit.get_all(user_path(user_id) for user_id in grouped)
        # Every read before the first write: a transaction cannot read after writing.
        planned: list[tuple[MemberUpdate, list[MemberActivity]]] = []
        for user_id, own in grouped.items():
            path = user_path(user_id)
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
                merge_activities(own),
                rules,
                event_id=change.event_id,
                at=change.at,
                progress_source=progress_source(unit, user_id, handler, change.event_id),
            )
            planned.append((update, own))
        for update, own in planned:
            write_update(unit, update, change.at)
            for activity in own:
                _record_fact(unit, activity, change)
        return AwardOutcome(updates=tuple(update for update, _ in planned))

    return run_transaction(deps.client, handler, work)


def apply_member_activities(
    deps: Deps, handler: HandlerName, change: DocumentChange, activities: Sequence[MemberActivity]
) -> AwardOutcome:
    """Apply the activities an event recorded, each fact exactly once."""
    if not activities:
        return AwardOutcome()
    rules = deps.settings.game_rules(deps.client)
    try:
        if _counters_only(activities, rules):
            try:
                outcome = _increment(deps, handler, change, activities)
            except NotFoundError:
                outcome = _transact(deps, handler, change, activities, rules, careful=False)
        else:
            outcome = _transact(deps, handler, change, activities, rules, careful=False)
    except AlreadyExistsError:
        outcome = _transact(deps, handler, change, activities, rules, careful=True)
    if outcome.duplicate:
        log_info(
            "facts already rewarded; nothing applied",
            handler=handler,
            eventId=change.event_id,
            path=change.path,
        )
        return outcome
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
