"""Level privileges and resource usage through the deployed functions (events delivered by
hand, twice where a redelivery could do harm): the privileges copied on a level change, the
open-request count, the limit's backstop, and usage shards summed into the resource."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mitche.handlers import default_deps, sum_usage
from mitche.handlers._context import DocumentChange
from mitche.models import PrivateAccount
from mitche.services import from_document
from tests.mitche.handlers.factories import T0, make_request, make_resource, make_user, published
from tests.mitche.triggers.conftest import NOW, Store

ACCOUNT = "users/samira/private/account"


def level_change(store: Store, level: int, *, event_id: str = "lvl-1") -> None:
    """samira's level moves from 1 to `level` (as an award writes it); the trigger runs."""
    before = store.put("users/samira", make_user("samira"))
    after = store.put("users/samira", make_user("samira", gamification={"level": level}))
    store.deliver(
        "user_written", store.event("users/samira", before, after, at=T0, event_id=event_id)
    )


def test_a_level_up_copies_the_new_rows_privileges_onto_the_account(store: Store) -> None:
    """Level 3 (Sprout) may organise events and keep four requests open; a redelivery writes
    nothing more, and the account keeps its stamps."""
    store.put(ACCOUNT, {"lastRequest": {"at": T0, "path": "requests/r0"}})
    level_change(store, 3)
    account = from_document(PrivateAccount, store.get(ACCOUNT) or {})
    assert account.privileges is not None
    assert (account.privileges.level, account.privileges.max_open_requests) == (3, 4)
    assert account.privileges.can_organize_events
    assert not account.privileges.mentorship_eligible
    assert account.last_request is not None
    level_change(store, 3, event_id="lvl-2")
    assert (store.get(ACCOUNT) or {})["privileges"]["level"] == 3


def test_a_profile_edit_or_a_new_member_at_level_one_writes_no_privileges(store: Store) -> None:
    """Nothing is copied unless the level changed (level 1 is what the rules assume)."""
    after = store.put("users/samira", make_user("samira"))
    store.deliver("user_written", store.event("users/samira", None, after, at=T0))
    assert store.get(ACCOUNT) is None


def post(store: Store, request_id: str, minutes: int, **changes: Any) -> None:
    """samira's request `request_id`, created `minutes` after T0, and its trigger."""
    at = T0 + dt.timedelta(minutes=minutes)
    path, request = make_request("samira", request_id, createdAt=at, updatedAt=at, **changes)
    after = store.put(path, request)
    store.deliver("request_written", store.event(path, None, after, at=at, event_id=request_id))


def test_open_requests_are_recounted_on_every_opening_and_ending(store: Store) -> None:
    """The account holds the member's open requests after each trigger, redeliveries
    included; a fulfilled or closed request no longer counts."""
    post(store, "r1", 1)
    post(store, "r2", 2)
    assert (store.get(ACCOUNT) or {})["openRequests"] == 2
    path = "requests/r1"
    stored = store.get(path) or {}
    before = store.proto(path)
    ended = T0 + dt.timedelta(hours=1)
    after = store.put(path, {**stored, "status": "closed", "completion": {"completedAt": ended}})
    event = store.event(path, before, after, at=T0 + dt.timedelta(hours=1), event_id="close-1")
    store.deliver("request_written", event)
    store.deliver("request_written", event)
    assert (store.get(ACCOUNT) or {})["openRequests"] == 1


def test_a_request_past_the_limit_is_closed_and_its_author_reads_why(store: Store) -> None:
    """At level 1 (three open), a fourth request that got past the rules is closed with the
    reason; the three earlier ones stay open and the count says three."""
    for number in range(1, 5):
        post(store, f"r{number}", number)
    fourth = store.get("requests/r4") or {}
    assert fourth["status"] == "closed"
    assert fourth["closure"]["reason"] == "openRequestLimit"
    assert "3 open at once" in fourth["closure"]["message"]
    assert fourth["completion"]["fulfilledBy"] == []
    assert [(store.get(f"requests/r{n}") or {})["status"] for n in (1, 2, 3)] == ["open"] * 3
    assert (store.get(ACCOUNT) or {})["openRequests"] == 3


def test_the_backstop_follows_the_members_own_privileges(store: Store) -> None:
    """With Sprout's privileges (four open), the fourth request stays open."""
    store.put(
        ACCOUNT,
        {
            "privileges": {
                "level": 3,
                "maxOpenRequests": 4,
                "canOrganizeEvents": True,
                "mentorshipEligible": False,
            }
        },
    )
    for number in range(1, 5):
        post(store, f"r{number}", number)
    assert (store.get("requests/r4") or {})["status"] == "open"
    assert (store.get(ACCOUNT) or {})["openRequests"] == 4


def test_usage_shards_are_summed_into_the_resource(store: Store) -> None:
    """Views and referrals on several shards become the resource's metrics.views and
    usage.referrals, with the time of the sum; a redelivery writes nothing more."""
    path, resource = make_resource("lea", "res1")
    store.put(path, published(resource))
    store.put(f"{path}/usageShards/0", {"views": 3, "referrals": 1})
    shard = store.put(f"{path}/usageShards/7", {"views": 2})
    event = store.event(f"{path}/usageShards/7", None, shard, at=NOW)
    store.deliver("resource_usage_written", event)
    summed = store.get(path) or {}
    assert summed["metrics"]["views"] == 5
    assert summed["usage"]["referrals"] == 1
    assert summed["usage"]["summedAt"] is not None
    first = summed["usage"]["summedAt"]
    store.deliver("resource_usage_written", event)
    assert (store.get(path) or {})["usage"]["summedAt"] == first


def test_a_sum_waits_out_the_interval_after_the_last_one(store: Store) -> None:
    """A use counted less than a second after the last sum is summed once the interval has
    passed (the handler waits rather than writing the resource twice in a second)."""
    path, resource = make_resource("lea", "res1")
    store.put(path, published(resource))
    shard = store.put(f"{path}/usageShards/1", {"views": 1})
    change = DocumentChange(
        event_id="use-1",
        at=NOW,
        path=f"{path}/usageShards/1",
        before=None,
        after={"views": 1},
        params={},
    )
    deps = default_deps()
    clock = [NOW]
    deps.now = lambda: clock[0]
    assert sum_usage(deps, change).written == {
        "metrics.views": 1,
        "usage.referrals": 0,
        "usage.contactClicks": 0,
        "usage.directionRequests": 0,
    }
    store.put(f"{path}/usageShards/1", {"views": 2})
    waited: list[float] = []

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        clock[0] = clock[0] + dt.timedelta(seconds=seconds)

    clock[0] = NOW + dt.timedelta(milliseconds=400)
    outcome = sum_usage(deps, change, sleep=sleep)
    assert outcome.waits == 1
    assert abs(waited[0] - 0.6) < 1e-6
    assert (store.get(path) or {})["metrics"]["views"] == 2
    assert shard is not None
