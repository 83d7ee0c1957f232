"""Large documents stay within the rules' budget of 1,000 evaluated expressions per request
(https://firebase.google.com/docs/firestore/security/rules-structure, limits): the generated
checks cost in proportion to what a document holds, so a full profile, a request with every
attachment and a resource open 28 times a week are still judged, not refused by the limit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from firelab.rules import Auth, InMemoryDocuments, Rules, RulesRequest
from mitche.domain.aliases import alias_claim_path
from mitche.models import (
    Approval,
    ApprovalState,
    EligibleGroup,
    EventStatus,
    ImpactReport,
    MitcheModel,
    OpeningHours,
    Profile,
    PublicArea,
    ResourceEligibility,
    Schedule,
    written_by,
)
from mitche.services.codec import to_document

from .world import make_attachment, make_event, make_request, make_resource, make_user

RULES = Path(__file__).resolve().parents[2] / "firestore.rules"
NOW = dt.datetime.now(dt.UTC)
CLIENT = firestore.Client(project="demo-budget", credentials=AnonymousCredentials())
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _created(model: MitcheModel) -> dict[str, Any]:
    document = to_document(model, CLIENT)
    for name, info in type(model).model_fields.items():
        if written_by(info).server_owned:
            document.pop(info.alias or name, None)
    document["createdAt"] = NOW
    if "updatedAt" in document:
        document["updatedAt"] = NOW
    return document


FULL_ALIAS = "Ö" * 40
"""The longest alias, every character folded by the rules' alias key."""


def _full_profile() -> MitcheModel:
    user = make_user("alice", NOW)
    user.profile = Profile(
        display_name="A" * 50,
        anonymous_alias=FULL_ALIAS,
        avatar=make_attachment("alice", "avatars", "me.jpg"),
        bio="x" * 500,
        languages=["fr", "en", "es", "de", "it", "pt", "ar", "zh", "ja", "ko"],
        skills=[f"skill-{i}" for i in range(30)],
        interests=[f"cause-{i}" for i in range(30)],
        home_area=PublicArea(geohash="u05kq", label="Bellecour, Lyon"),
    )
    return user


def _busy_resource() -> MitcheModel:
    hours = [
        OpeningHours(day=DAYS[i % 7], opens_at=f"0{i // 7}:00", closes_at=f"1{i // 7}:00")
        for i in range(28)
    ]
    return make_resource(
        "vera",
        NOW,
        tags=[f"tag-{i}" for i in range(15)],
        schedule=Schedule(time_zone="Europe/Paris", hours=hours),
        eligibility=ResourceEligibility(groups=list(EligibleGroup), minimum_age=16),
    )


def _full_request() -> MitcheModel:
    return make_request(
        "alice",
        NOW,
        tags=[f"tag-{i}" for i in range(10)],
        attachments=[make_attachment("alice", "requests/r1", f"p{i}.jpg") for i in range(6)],
        deadline=NOW + dt.timedelta(days=3),
    )


CASES = {
    "a profile with every list full": ("users/alice", _full_profile, "alice", {}),
    "a request with six attachments and ten tags": ("requests/r1", _full_request, "alice", {}),
    "a resource open 28 times a week": (
        "resources/r1",
        _busy_resource,
        "vera",
        {"verifiedProvider": True},
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_large_documents_are_judged_within_the_budget(name):
    """The create is allowed, not refused for evaluating more than 1,000 expressions."""
    path, build, uid, claims = CASES[name]
    world: dict[str, dict[str, Any]] = {
        "users/alice": to_document(make_user("alice", NOW - dt.timedelta(days=1)), CLIENT),
    }
    after = dict(world)
    after["users/alice/private/account"] = {"lastRequest": {"at": NOW, "path": path}}
    after[alias_claim_path(FULL_ALIAS)] = {"ownerId": "alice", "claimedAt": NOW}
    decision = Rules.from_file(RULES).evaluate(
        RulesRequest(
            method="create",
            path=path,
            auth=Auth(uid, {"email_verified": True, **claims}),
            time=NOW,
            request_resource=_created(build()),
        ),
        InMemoryDocuments(before=world, after=after),
    )
    assert decision.allowed, decision.explain()


def test_an_impact_report_with_ten_photos_is_judged_within_the_budget():
    """An organiser reports a finished event's impact with ten photos (theirs and a
    co-organiser's, each checked as an organiser's upload for the event): allowed, not refused
    for evaluating more than 1,000 expressions."""
    started = NOW - dt.timedelta(days=30)
    event = make_event(
        "olga",
        started,
        co_organizer_ids=["colin"],
        status=EventStatus.COMPLETED,
        approval=Approval(state=ApprovalState.APPROVED, submitted_at=started, decided_at=started),
    )
    before = to_document(event, CLIENT)
    photos = [
        make_attachment(("olga", "colin")[i % 2], "events/e1", f"p{i}.jpg") for i in range(10)
    ]
    reported = event.model_copy(
        update={"impact": ImpactReport(attendees=40, photos=photos, reported_at=NOW)}
    )
    after = to_document(reported, CLIENT)
    after["updatedAt"] = NOW
    world = {
        "users/olga": to_document(make_user("olga", NOW - dt.timedelta(days=1)), CLIENT),
        "communityEvents/e1": before,
    }
    decision = Rules.from_file(RULES).evaluate(
        RulesRequest(
            method="update",
            path="communityEvents/e1",
            auth=Auth("olga", {"email_verified": True}),
            time=NOW,
            resource=before,
            request_resource=after,
        ),
        InMemoryDocuments(before=world, after={**world, "communityEvents/e1": after}),
    )
    assert decision.allowed, decision.explain()
