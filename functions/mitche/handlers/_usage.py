"""Resource usage without a hot document: shards counted by members, summed by a function.

A member's app counts one use of a resource (a view of its page, a referral, a tap on its
contact, a request for directions) by adding 1 to one counter of one of the resource's
`USAGE_SHARDS` shards, chosen at random (`resources/{resourceId}/usageShards/{shardId}`, with
its `lastUsage` rate-limit stamp; firestore.rules check it adds exactly 1). Ten shards absorb
about ten uses a second; the resource itself, which takes about one write a second, is written
only by `sum_usage`.

`sum_usage` (trigger on every shard write) reads the resource and every shard in one
transaction and writes the sums (`usage.referrals`, `usage.contactClicks`,
`usage.directionRequests`, `metrics.views`) and `usage.summedAt`, when they differ from what
is stored. At most one sum a second is written per resource: a run that finds the last sum
younger than `SUM_INTERVAL` waits for the rest of the interval and tries again. Each run ends
only once a transaction that began after its own shard write found the sums right or wrote
them, so the last use of a burst is always counted, whatever the order of deliveries; a
redelivery finds the sums right and writes nothing. A run that keeps losing to others (a
resource used more than once a second for `MAX_ROUNDS` seconds) gives up with AbortedError:
the runs still waiting behind it count its use.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from mitche.errors import AbortedError
from mitche.handler_names import HandlerName
from mitche.handlers._context import Deps, DocumentChange, parent_path
from mitche.models import USAGE_SHARDS
from mitche.services import Unit, log_info, run_transaction

__all__ = ["USAGE_FIELDS", "UsageSum", "shard_paths", "sum_usage"]

HANDLER: Final = HandlerName.RESOURCES_USAGE
SUM_INTERVAL: Final = dt.timedelta(seconds=1)
"""Shortest time between two sums written to one resource."""
MAX_ROUNDS: Final = 10
"""Waits a run accepts before giving up to the runs behind it."""
USAGE_FIELDS: Final[Mapping[str, str]] = {
    "views": "metrics.views",
    "referrals": "usage.referrals",
    "contactClicks": "usage.contactClicks",
    "directionRequests": "usage.directionRequests",
}
"""Each shard counter and the resource field its sum goes to."""


@dataclass(frozen=True, slots=True)
class UsageSum:
    """What a run did."""

    written: Mapping[str, int] | None = None
    """The sums written, by resource field; None when they were already right."""
    waits: int = 0
    """Intervals the run waited for."""


@dataclass(frozen=True, slots=True)
class _Round:
    written: Mapping[str, int] | None = None
    wait: dt.timedelta | None = None


def shard_paths(resource_path: str) -> tuple[str, ...]:
    """Every usage shard of a resource."""
    return tuple(f"{resource_path}/usageShards/{number}" for number in range(USAGE_SHARDS))


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _stored(data: Mapping[str, Any], field: str) -> int:
    group, name = field.split(".")
    found = data.get(group)
    return _count(found.get(name)) if isinstance(found, Mapping) else 0


def _summed_at(data: Mapping[str, Any]) -> dt.datetime | None:
    usage = data.get("usage")
    at = usage.get("summedAt") if isinstance(usage, Mapping) else None
    return at if isinstance(at, dt.datetime) else None


def sum_usage(
    deps: Deps, change: DocumentChange, *, sleep: Callable[[float], None] = time.sleep
) -> UsageSum:
    """Sum the resource's usage shards into its counts, at most once a `SUM_INTERVAL`."""
    if change.after is None:
        return UsageSum()
    resource = parent_path(change.path)
    shards = shard_paths(resource)

    def work(unit: Unit) -> _Round:
        found = unit.get_all([resource, *shards])
        data = found[resource]
        if data is None:
            return _Round()
        sums = {
            target: sum(_count((found[shard] or {}).get(counter)) for shard in shards)
            for counter, target in USAGE_FIELDS.items()
        }
        if all(_stored(data, field) == value for field, value in sums.items()):
            return _Round()
        now = deps.now()
        last = _summed_at(data)
        if last is not None and now - last < SUM_INTERVAL:
            return _Round(wait=last + SUM_INTERVAL - now)
        unit.update(resource, {**sums, "usage.summedAt": now})
        return _Round(written=sums)

    for waits in range(MAX_ROUNDS + 1):
        done = run_transaction(deps.client, HANDLER, work)
        if done.wait is None:
            if done.written is not None:
                log_info(
                    "resource usage summed",
                    handler=HANDLER,
                    eventId=change.event_id,
                    path=resource,
                    waits=waits,
                    **done.written,
                )
            return UsageSum(done.written, waits)
        sleep(max(done.wait.total_seconds(), 0.05))
    raise AbortedError(f"{resource}: usage summed by other runs for {MAX_ROUNDS} intervals")
