"""`python -m mitche.commands`: recompute totals, re-evaluate achievements, copy privileges
again, backfill analytics, load the catalog, against the local Firestore server."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mitche.catalog import SEED_CATALOG, seed_catalog
from mitche.commands import (
    backfill_day,
    load_catalog,
    main,
    member_ids,
    recompute_totals,
    reevaluate_achievements,
    sync_privileges,
)
from mitche.handlers import default_deps, roll_up_day
from mitche.models import AchievementTier, AnalyticsDay, HopePoints
from mitche.services import from_document
from tests.mitche.handlers.factories import (
    T0,
    accepted,
    fulfilled,
    make_conversation,
    make_message,
    make_offering,
    make_report,
    make_request,
    make_user,
)
from tests.mitche.triggers.conftest import Store


def award_offerings(store: Store, uid: str, count: int) -> None:
    """`count` offerings by `uid` on different requests, each accepted: 10 points apiece, and
    5 for each offering made once confirmed points cover it (0, 5, 5: 40 for three)."""
    for index in range(count):
        path, offering = make_offering(uid, f"{uid}-off{index}", request_id=f"req{index}")
        made = store.put(path, offering)
        store.deliver("offering_written", store.event(path, None, made, event_id=path, at=T0))
        taken = store.put(path, accepted(offering))
        store.deliver(
            "offering_written", store.event(path, made, taken, event_id=f"{path}+1", at=T0)
        )


def test_recompute_totals_repairs_a_member_from_the_ledger(store: Store) -> None:
    """A member whose totals were tampered with gets back exactly what the ledger says; a
    correct member is left untouched."""
    for uid in ("amina", "jonas"):
        store.put(f"users/{uid}", make_user(uid))
        award_offerings(store, uid, 3)
    correct = store.get("users/amina")
    wrong = HopePoints(total=999, guardian=999).model_dump(by_alias=True)
    store.client.document("users/jonas").update({"gamification.hopePoints": wrong})
    run = recompute_totals(default_deps(), page_size=1)
    assert run.visited == 2
    assert run.changed == ("jonas",)
    jonas = store.get("users/jonas")
    assert jonas is not None
    assert jonas["gamification"]["hopePoints"]["total"] == 40
    assert store.get("users/amina") == correct


def test_members_are_paged_in_id_order(store: Store) -> None:
    """Paging visits every member once, whatever the page size."""
    for uid in ("c", "a", "e", "b", "d"):
        store.put(f"users/{uid}", make_user(f"user{uid}"))
    assert list(member_ids(store.client, page_size=2)) == ["a", "b", "c", "d", "e"]


def test_reevaluation_awards_a_new_achievement_once(store: Store) -> None:
    """An achievement added after members qualified is earned by re-evaluation, with its
    reward; running the same re-evaluation again pays nothing more."""
    store.put("users/amina", make_user("amina", stats={"offeringsMade": 7}))
    catalog = {"generous-hand": SEED_CATALOG["generous-hand"]}
    for achievement_id, achievement in catalog.items():
        store.put(f"achievements/{achievement_id}", achievement)
    default_deps().settings.invalidate()
    first = reevaluate_achievements(default_deps(), run_id="r1")
    again = reevaluate_achievements(default_deps(), run_id="r1")
    assert first.changed == ("amina",)
    assert again.changed == ()
    progress = store.get("userAchievements/amina_generous-hand")
    assert progress is not None
    assert progress["progress"]["tier"] == 1
    user = store.get("users/amina")
    assert user is not None
    assert user["gamification"]["hopePoints"]["total"] == 10


def test_loading_the_catalog_creates_then_changes_nothing_then_bumps_versions(
    store: Store,
) -> None:
    """A fresh install loads all 24 seed achievements; loading again writes nothing; a changed
    threshold updates the entry and bumps its version."""
    first = load_catalog(default_deps())
    assert len(first.created) == len(SEED_CATALOG) >= 20
    assert load_catalog(default_deps()).unchanged == tuple(sorted(SEED_CATALOG))
    changed = seed_catalog()
    tiers = list(changed["first-offer"].tiers)
    tiers[0] = AchievementTier(tier=1, threshold=2, hope_points_reward=5, title="First Step")
    changed["first-offer"] = changed["first-offer"].model_copy(update={"tiers": tiers})
    outcome = load_catalog(default_deps(), changed)
    assert outcome.reevaluate == ("first-offer",)
    stored = store.get("achievements/first-offer")
    assert stored is not None
    assert stored["version"] == 2


def test_backfill_matches_the_live_counters(store: Store) -> None:
    """A day recomputed from the source collections has the same counts as the day the
    triggers counted (the functions' own writes are delivered too, as production would)."""
    joined = {}
    for uid in ("amina", "samira"):
        path = f"users/{uid}"
        joined[uid] = store.put(path, make_user(uid, createdAt=T0, updatedAt=T0))
        store.deliver("user_written", store.event(path, None, joined[uid], event_id=path, at=T0))
    events: list[tuple[str, str, Any]] = []
    for index in range(3):
        events.append(("request_written", *make_request(request_id=f"r{index}", urgency="high")))
    events.append(("offering_written", *make_offering()))
    events.append(("conversation_written", *make_conversation()))
    events.append(("message_written", *make_message()))
    events.append(("report_written", *make_report()))
    for function, path, model in events:
        after = store.put(path, model)
        store.deliver(function, store.event(path, None, after, event_id=path, at=T0))
    path, request = make_request(request_id="r0", urgency="high")
    before = store.proto(path)
    after = store.put(path, fulfilled(request, ["amina"]))
    store.deliver("request_written", store.event(path, before, after, event_id="ful", at=T0))
    for uid, first in joined.items():
        path = f"users/{uid}"
        update = store.event(path, first, store.proto(path), event_id=f"{path}-2", at=T0)
        store.deliver("user_written", update)
        for entry in store.ids(f"{path}/hopeLedger"):
            entry_path = f"{path}/hopeLedger/{entry}"
            created = store.event(entry_path, None, store.proto(entry_path), event_id=entry, at=T0)
            store.deliver("hope_ledger_written", created)
    live = roll_up_day(default_deps(), "2026-11-24")
    backfilled = backfill_day(default_deps(), "2026-11-24", force=True)
    assert backfilled is not None
    assert backfilled.source.value == "backfill"
    for part in ("requests", "offerings", "messages", "hopePoints"):
        assert getattr(backfilled, _snake(part)) == getattr(live, _snake(part)), part
    assert backfilled.users.new_users == live.users.new_users == 2
    assert backfilled.users.active_users == live.users.active_users == 1
    assert backfilled.reports.created == 1
    stored = store.get("analytics/2026-11-24")
    assert stored is not None
    assert from_document(AnalyticsDay, stored) == backfilled


def test_backfill_counts_classifications_from_the_cases(store: Store) -> None:
    """A report that hid its content is counted by severity and as hidden from its
    moderators-only case (the report says neither since migration 0015), as the live counters
    did."""
    for uid in ("amina", "samira"):
        store.put(f"users/{uid}", make_user(uid))
    store.put(*make_offering(description="Pay me with a gift card code first"))
    path, report = make_report()
    filed = store.put(path, report)
    store.deliver("report_written", store.event(path, None, filed, event_id="filed", at=T0))
    triaged = store.event(path, filed, store.proto(path), event_id="triaged", at=T0)
    store.deliver("report_written", triaged)
    live = roll_up_day(default_deps(), "2026-11-24")
    assert (live.reports.auto_hidden, live.reports.by_severity) == (1, {"high": 1})
    backfilled = backfill_day(default_deps(), "2026-11-24", force=True)
    assert backfilled is not None
    assert backfilled.reports == live.reports


def _snake(name: str) -> str:
    return "hope_points" if name == "hopePoints" else name


def test_backfill_keeps_a_day_that_has_a_document(store: Store) -> None:
    """Without --force, a day that already has its document is left as it is."""
    roll_up_day(default_deps(), "2026-11-24")
    assert backfill_day(default_deps(), "2026-11-24") is None


def test_the_command_line_runs_a_command_and_prints_its_outcome(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m mitche.commands backfill-analytics --from D --to D` prints what it wrote."""
    status = main(["backfill-analytics", "--from", "2026-11-22", "--to", "2026-11-23"])
    assert status == 0
    outcome = json.loads(capsys.readouterr().out)
    assert outcome == {
        "command": "backfill-analytics",
        "dryRun": False,
        "written": ["2026-11-22", "2026-11-23"],
        "kept": [],
    }


def test_the_command_line_refuses_a_backwards_range(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """A range whose end is before its start exits with status 2 and says why."""
    assert main(["backfill-analytics", "--from", "2026-11-23", "--to", "2026-11-01"]) == 2
    assert "is before --from" in capsys.readouterr().err


def test_sync_privileges_follows_an_edited_benefits_table(store: Store) -> None:
    """After an admin lets members organise from level 2, the run rewrites the map of a
    level-2 member whose copy is stale and leaves a level-1 member without one; a second run
    changes nothing."""
    store.put("users/amina", make_user("amina", gamification={"experience": 150, "level": 2}))
    store.put("users/jonas", make_user("jonas"))
    stale = {"level": 2, "maxOpenRequests": 3, "canOrganizeEvents": False}
    store.put("users/amina/private/account", {"privileges": {**stale, "mentorshipEligible": False}})
    table = [
        {"minLevel": 1, "title": "Seedling", "maxOpenRequests": 3},
        {"minLevel": 2, "title": "Neighbour", "maxOpenRequests": 4, "canOrganizeEvents": True},
    ]
    store.put("systemSettings/public", {"levelBenefits": table})
    default_deps().settings.invalidate()
    done = sync_privileges(default_deps())
    assert (done.visited, done.changed) == (2, ("amina",))
    account = store.get("users/amina/private/account") or {}
    assert account["privileges"] == {
        "level": 2,
        "maxOpenRequests": 4,
        "canOrganizeEvents": True,
        "mentorshipEligible": False,
    }
    assert store.get("users/jonas/private/account") is None
    assert sync_privileges(default_deps()).changed == ()
