"""The hostile-client suite (hostile.py), each attempt run against the local server through a
real client acting as the attacker: every attack is refused, every honest twin allowed."""

from __future__ import annotations

import pytest

from .hostile import CASES, CUSTOM_ACTORS
from .world import Actor, make_user

CATEGORIES = {
    "privilege escalation",
    "spoofed author",
    "other members' documents",
    "identity and exact location",
    "queries without constraints",
    "oversized or malformed",
    "reports of unreadable content",
    "writes while suspended",
    "rate limits",
    "events, registrations and reviews",
    "reveal contexts",
}


def test_every_category_has_attacks_and_the_ids_are_unique():
    """Each kind of attack the issue lists has refused cases, and no two cases share an id."""
    assert {case.category for case in CASES if not case.allowed} == CATEGORIES
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_client(case, harness, fresh_world):
    """The attempt is refused (or, for an honest twin, allowed)."""
    if case.actor in CUSTOM_ACTORS:
        uid, claims = CUSTOM_ACTORS[case.actor]
        actor = Actor(case.actor, uid, claims)
        harness.seed({f"users/{uid}": make_user(uid, fresh_world)})
    else:
        actor = harness.actors[case.actor]
    if case.prepare is not None:
        case.prepare(harness.owner, fresh_world)
    assert harness.performs(case.run, actor, fresh_world) is case.allowed
