"""Scheduled work: the daily analytics roll-up, and lifting suspensions that have run out.

* `roll_up_day` sums every counter shard of a day into `analytics/{day}` (read the shards, write
  one document). It is a pure recomputation, so running it again (a retried schedule, a late
  increment) only rewrites the same or a more complete sum; the schedule therefore rolls up
  the day that just ended and the one before it, which catches increments delivered late.
* `lift_suspensions` finds members whose `security.suspendedUntil` has passed (a single-field
  range query over the private accounts' collection group, plus the legacy user documents
  until migration 0001 has moved every map: the field is set only while suspended) and moves
  each back to `warned` in its own transaction, in the private account; the account trigger
  then updates their custom claims.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from pydantic import ValidationError

from mitche.domain._calendar import day_of
from mitche.domain.analytics import merge_shards
from mitche.domain.moderation import lift_expired_suspension
from mitche.handler_names import HandlerName
from mitche.handlers._account import read_security, write_security
from mitche.handlers._context import Deps
from mitche.models import (
    AnalyticsDay,
    Collection,
    CounterShard,
    parse_day_id,
)
from mitche.queries import query_for
from mitche.services import (
    CostSample,
    Unit,
    from_document,
    log_info,
    log_warning,
    record_cost,
    run_batch,
    run_transaction,
)

__all__ = [
    "ROLL_UP_DAYS",
    "LiftedSuspensions",
    "days_to_roll_up",
    "lift_suspensions",
    "roll_up_day",
]

ROLL_UP_DAYS: Final = 2
"""Days each scheduled run rolls up: the one that just ended and the one before it."""


def days_to_roll_up(now: dt.datetime, time_zone: str, count: int = ROLL_UP_DAYS) -> list[str]:
    """The analytics days that ended last before `now`, newest first."""
    today = day_of(now, time_zone)
    return [(today - dt.timedelta(days=back)).isoformat() for back in range(1, count + 1)]


def roll_up_day(deps: Deps, day: str) -> AnalyticsDay:
    """Write `analytics/{day}` from the day's shards; returns the document written."""
    parse_day_id(day)
    client = deps.client
    settings = deps.settings.analytics(client)
    handler = HandlerName.ANALYTICS_ROLLUP
    snapshots = list(query_for(client, "functions.dayShards", day=day).stream())
    record_cost(CostSample(handler, max(1, len(snapshots)), 0))
    shards: list[CounterShard] = []
    for snapshot in snapshots:
        try:
            shards.append(from_document(CounterShard, snapshot.to_dict() or {}))
        except ValidationError as error:
            log_warning(
                "counter shard does not validate; left out of the day",
                handler=handler,
                path=snapshot.reference.path,
                errors=error.errors(include_url=False, include_context=False, include_input=False),
            )
    document = merge_shards(day, shards, settings=settings, computed_at=deps.now())

    def work(unit: Unit) -> None:
        unit.set(f"{Collection.ANALYTICS.value}/{day}", document)

    run_batch(client, handler, work)
    log_info("analytics day rolled up", handler=handler, day=day, shards=len(shards))
    return document


@dataclass(frozen=True, slots=True)
class LiftedSuspensions:
    """Members whose suspension was lifted."""

    lifted: tuple[str, ...]
    skipped: tuple[str, ...]


def lift_suspensions(deps: Deps, limit: int = 200) -> LiftedSuspensions:
    """Lift every suspension that has ended (at most `limit` per run)."""
    client = deps.client
    now = deps.now()
    handler = HandlerName.MODERATION_LIFT_SUSPENSIONS
    accounts = query_for(client, "functions.endedAccountSuspensions", now=now, limit=limit)
    legacy = query_for(client, "functions.endedSuspensions", now=now, limit=limit)
    found = [snapshot.reference.path.split("/")[1] for snapshot in accounts.stream()]
    found += [snapshot.id for snapshot in legacy.stream()]
    candidates = sorted(set(found))[:limit]
    record_cost(CostSample(handler, max(2, len(candidates)), 0))
    lifted: list[str] = []
    skipped: list[str] = []
    for uid in candidates:

        def work(unit: Unit, uid: str = uid) -> bool:
            stored = read_security(unit, uid, handler=handler, event_id=now.isoformat())
            current = stored.security
            security = lift_expired_suspension(current, now) if current else None
            if security is None:
                return False
            write_security(
                unit, uid, security, account_exists=stored.account_exists, legacy=stored.legacy
            )
            return True

        (lifted if run_transaction(client, handler, work) else skipped).append(uid)
    if lifted:
        log_info("suspensions lifted", handler=handler, uids=lifted)
    return LiftedSuspensions(tuple(lifted), tuple(skipped))
