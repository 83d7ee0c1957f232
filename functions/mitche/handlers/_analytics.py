"""Daily analytics counters, maintained by triggers: one batch per counted change.

The increments a change makes (`mitche.domain.analytics.counter_deltas`) go to one shard
document `analytics/{day}/shards/{n}` of the event's day, chosen from the event id, as
`Increment` transforms in a merge; the same batch creates the marker
`analytics/{day}/processedEvents/{handler-hash(eventId)}`. A redelivered event fails on the
marker and the batch changes nothing. No document is read: a counted change costs two writes,
an uncounted one (most updates) costs nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from google.cloud import firestore

from mitche.domain.analytics import (
    CounterDeltas,
    Tracked,
    analytics_day,
    choose_shard,
    counter_deltas,
)
from mitche.errors import AlreadyExistsError
from mitche.handler_names import HandlerName
from mitche.handlers._awards import marker_path
from mitche.handlers._context import Deps, DocumentChange, decode_change
from mitche.models import (
    Collection,
    CommunityEvent,
    Conversation,
    HelpRequest,
    HopeLedgerEntry,
    Message,
    Offering,
    PrivateAccount,
    ProcessedEvent,
    Registration,
    Report,
    User,
    shard_id,
)
from mitche.services import Unit, log_info, run_batch

__all__ = ["ANALYTICS_MODELS", "count_change", "shard_increments", "shard_path"]

ANALYTICS_MODELS: Final[Mapping[str, type[Tracked]]] = {
    HandlerName.ANALYTICS_USERS: User,
    HandlerName.ANALYTICS_REQUESTS: HelpRequest,
    HandlerName.ANALYTICS_OFFERINGS: Offering,
    HandlerName.ANALYTICS_EVENTS: CommunityEvent,
    HandlerName.ANALYTICS_REGISTRATIONS: Registration,
    HandlerName.ANALYTICS_CONVERSATIONS: Conversation,
    HandlerName.ANALYTICS_MESSAGES: Message,
    HandlerName.ANALYTICS_REPORTS: Report,
    HandlerName.ANALYTICS_LEDGER: HopeLedgerEntry,
    HandlerName.ANALYTICS_ACCOUNTS: PrivateAccount,
}
"""The document model each analytics handler counts changes of."""


def shard_path(day: str, shard: int) -> str:
    """`analytics/{day}/shards/{n}`."""
    return f"{Collection.ANALYTICS.value}/{day}/shards/{shard_id(shard)}"


def shard_increments(
    deltas: CounterDeltas, *, day: str, shard: int, precision: int, at: datetime
) -> dict[str, Any]:
    """The merge that applies `deltas` to a shard document (nested maps of `Increment`s,
    plus the shard's bookkeeping fields)."""
    data: dict[str, Any] = {
        "day": day,
        "shard": shard,
        "geohashPrecision": precision,
        "updatedAt": at,
    }
    for key, amount in deltas.increments.items():
        node = data
        for segment in key[:-1]:
            node = node.setdefault(segment, {})
        node[key[-1]] = firestore.Increment(amount)
    return data


def count_change(deps: Deps, handler: HandlerName, change: DocumentChange) -> CounterDeltas:
    """Count one change in today's shards, once; returns the increments applied (empty for a
    change that counts nothing, a malformed document or a duplicate delivery)."""
    model = ANALYTICS_MODELS[handler]
    sides = decode_change(model, change, handler)
    if sides is None:
        return CounterDeltas()
    settings = deps.settings.analytics(deps.client)
    deltas = counter_deltas(*sides, geohash_precision=settings.geohash_precision)
    if not deltas:
        return deltas
    day = analytics_day(change.at, settings)
    shard = choose_shard(change.event_id, settings.shard_count)
    increments = shard_increments(
        deltas, day=day, shard=shard, precision=settings.geohash_precision, at=change.at
    )

    def work(unit: Unit) -> None:
        unit.set(shard_path(day, shard), increments, merge=True)
        unit.create(
            marker_path(f"{Collection.ANALYTICS.value}/{day}", handler, change.event_id),
            ProcessedEvent.of(handler, change.event_id, change.at),
        )

    try:
        run_batch(deps.client, handler, work)
    except AlreadyExistsError:
        log_info(
            "event already counted; duplicate delivery ignored",
            handler=handler,
            eventId=change.event_id,
            path=change.path,
        )
        return CounterDeltas()
    return deltas
