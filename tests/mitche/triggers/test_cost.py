"""What each trigger costs per event, in Firestore document reads and writes, measured here and
listed in the README ("## Cost per trigger"): the test fails when the two disagree.

Each scenario stores its documents, then delivers one event (or makes one call) while the
units of work record their reads and writes (`recording_costs`). Settings documents and the
catalog are cached per instance (one read per document per minute at most) and not counted
here. The writes are cross-checked against the server's change feed: every write the units
count shows up as a changed document.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from google.cloud import storage as gcs
from google.cloud.firestore_v1 import GeoPoint

from firelab.functions._events import DELETED
from firelab.server.core import ChangeBatch
from firelab.storage import StorageServer
from mitche.callables import registry
from mitche.catalog import SEED_CATALOG
from mitche.domain.nearby import cell_centre
from mitche.handlers import (
    DECIDE_EVENT,
    Caller,
    ProviderDecision,
    ProviderRevocation,
    StoryDecision,
    decide_provider,
    decide_story,
    default_deps,
    expire_overdue_requests,
    resolve,
    review_content,
    revoke_provider,
    roll_up_day,
    set_role,
    sweep_orphans,
)
from mitche.handlers._erasure import resume_stalled_erasures
from mitche.models import (
    REQUEST_CARDS,
    ErasureJob,
    ErasurePhase,
    EventStatus,
    HopePoints,
    ModeratorRoster,
    Offering,
    PushState,
    PushStatus,
    RequestStatus,
    RevealConsent,
    erasure_path,
    public_location,
)
from tests.mitche.handlers.factories import (
    T0,
    accepted,
    approved,
    checked_in,
    fulfilled,
    make_conversation,
    make_event,
    make_message,
    make_offering,
    make_registration,
    make_report,
    make_request,
    make_resource,
    make_review,
    make_thread,
    make_user,
    published,
)
from tests.mitche.triggers.conftest import PROJECT, Store
from tests.rules.world import make_notification

README = Path(__file__).parents[3] / "README.md"
SECTION = "## Cost per trigger"
ADMIN = Caller("adminlina", {"role": "admin", "accountStatus": "active"})
MODERATOR = Caller("modkenji", {"role": "moderator", "accountStatus": "active"})

Scenario = Callable[[Store], Callable[[], object]]
"""Stores the documents a scenario needs; returns the one delivery (or call) to measure."""


def _created(store: Store, function: str, path: str, model: object) -> Callable[[], object]:
    after = store.put(path, model)  # type: ignore[arg-type]
    return lambda: store.deliver(function, store.event(path, None, after, at=T0))


def _changed(
    store: Store, function: str, path: str, before: object, after: object
) -> Callable[[], object]:
    old = store.put(path, before)  # type: ignore[arg-type]
    new = store.put(path, after)  # type: ignore[arg-type]
    return lambda: store.deliver(function, store.event(path, old, new, at=T0))


def _members(store: Store, *uids: str) -> None:
    for uid in uids:
        store.put(f"users/{uid}", make_user(uid))


def offering_created(store: Store) -> Callable[[], object]:
    _members(store, "amina")
    return _created(store, "offering_written", *make_offering())


def offering_created_with_catalog(store: Store) -> Callable[[], object]:
    for achievement_id, achievement in SEED_CATALOG.items():
        store.put(f"achievements/{achievement_id}", achievement)
    return offering_created(store)


def offering_accepted_urgent(store: Store) -> Callable[[], object]:
    _members(store, "amina")
    store.put(*make_request(urgency="critical"))
    path, offering = make_offering()
    return _changed(store, "offering_written", path, offering, accepted(offering))


def offering_rated(store: Store) -> Callable[[], object]:
    _members(store, "amina")
    store.put(*make_request(category="transport"))
    path, offering = make_offering()
    done = accepted(offering).model_dump(by_alias=True, exclude_none=True)
    done.update(
        status="completed",
        completedAt=T0,
        requesterFeedback={"rating": 5, "authorId": "samira", "createdAt": T0},
    )
    return _changed(
        store, "offering_written", path, accepted(offering), Offering.model_validate(done)
    )


def offering_edited(store: Store) -> Callable[[], object]:
    path, offering = make_offering()
    edited = offering.model_copy(update={"description": "Now with a car"})
    return _changed(store, "offering_written", path, offering, edited)


def request_created(store: Store) -> Callable[[], object]:
    _members(store, "samira")
    return _created(store, "request_written", *make_request())


def request_fulfilled(store: Store) -> Callable[[], object]:
    _members(store, "amina", "jonas")
    path, request = make_request()
    return _changed(store, "request_written", path, request, fulfilled(request, ["amina", "jonas"]))


def event_completed(store: Store) -> Callable[[], object]:
    _members(store, "lina", "jonas")
    path, event = make_event(co_organizer_ids=["jonas"])
    done = event.model_copy(update={"status": EventStatus.COMPLETED})
    return _changed(store, "community_event_written", path, event, done)


def attendee_checked_in(store: Store) -> Callable[[], object]:
    _members(store, "amina")
    path, registration = make_registration()
    return _changed(store, "registration_written", path, registration, checked_in(registration))


def _event_with_places(store: Store, capacity: int, **counts: int) -> str:
    path, event = make_event(
        capacity=capacity,
        startsAt=T0 + dt.timedelta(days=2),
        endsAt=T0 + dt.timedelta(days=2, hours=3),
        registrations=counts,
    )
    store.put(path, event)
    return path


def _placed(
    user: str, status: str, asked: dt.datetime, counted: str | None = None
) -> tuple[str, object]:
    return make_registration(
        user,
        status=status,
        requestedAt=asked,
        counted={"status": counted or status, "seats": 1},
    )


def registration_placed(store: Store) -> Callable[[], object]:
    _event_with_places(store, 10)
    path, registration = make_registration(status="pending", requestedAt=T0)
    return _created(store, "registration_written", path, registration)


def cancellation_promotes(store: Store) -> Callable[[], object]:
    _event_with_places(store, 1, registered=1, waitlisted=1)
    path, seated = _placed("amina", "registered", T0 - dt.timedelta(hours=2))
    store.put(*_placed("jonas", "waitlisted", T0 - dt.timedelta(hours=1)))
    _, cancelled = _placed("amina", "cancelled", T0 - dt.timedelta(hours=2), "registered")
    return _changed(store, "registration_written", path, seated, cancelled)


def event_cancelled(store: Store) -> Callable[[], object]:
    path = _event_with_places(store, 10, registered=2)
    for user in ("amina", "jonas"):
        store.put(*_placed(user, "registered", T0 - dt.timedelta(hours=1)))
    times = {"startsAt": T0 + dt.timedelta(days=2), "endsAt": T0 + dt.timedelta(days=2, hours=3)}
    _, event = make_event(capacity=10, registrations={"registered": 2}, **times)
    _, cancelled = make_event(
        capacity=10, registrations={"registered": 2}, status="cancelled", **times
    )
    return _changed(store, "community_event_written", path, event, cancelled)


def event_approved(store: Store) -> Callable[[], object]:
    pending = {"state": "pending", "submittedAt": T0 - dt.timedelta(days=1)}
    store.put(*make_event(approval=pending))
    request = {"eventId": "ev1", "decision": "approve"}
    return lambda: DECIDE_EVENT.call(default_deps(), MODERATOR, request)


def story_approved(store: Store) -> Callable[[], object]:
    _members(store, "amina")
    path, thread = make_thread()
    return _changed(store, "tapestry_thread_written", path, thread, approved(thread))


def resource_published(store: Store) -> Callable[[], object]:
    _members(store, "amina")
    path, resource = make_resource()
    return _changed(store, "resource_written", path, resource, published(resource))


def review_created(store: Store) -> Callable[[], object]:
    _members(store, "samira")
    return _created(store, "resource_review_written", *make_review())


def message_sent(store: Store) -> Callable[[], object]:
    _members(store, "amina")
    return _created(store, "message_written", *make_message())


def conversation_started(store: Store) -> Callable[[], object]:
    return _created(store, "conversation_written", *make_conversation())


def _moderation(store: Store) -> None:
    _members(store, "amina", "samira", "modkenji")
    store.put("systemSettings/moderators", ModeratorRoster(moderator_ids=["modkenji"]))
    store.put(*make_offering())


def report_filed(store: Store) -> Callable[[], object]:
    _moderation(store)
    return _created(store, "report_written", *make_report())


def report_hides(store: Store) -> Callable[[], object]:
    _moderation(store)
    store.put(*make_offering(description="Pay me with a gift card code first"))
    return _created(store, "report_written", *make_report())


def _triaged_report(store: Store) -> str:
    _moderation(store)
    path, report = make_report()
    store.put(path, report)
    store.deliver("report_written", store.event(path, None, store.proto(path), at=T0))
    return path


def report_resolved(store: Store) -> Callable[[], object]:
    path = _triaged_report(store)
    return lambda: resolve(default_deps(), MODERATOR, {"reportId": path[8:], "action": "warn"})


def report_upheld(store: Store) -> Callable[[], object]:
    path = _triaged_report(store)
    before = store.proto(path)
    resolve(default_deps(), MODERATOR, {"reportId": path[8:], "action": "hide"})
    after = store.proto(path)
    return lambda: store.deliver(
        "report_written", store.event(path, before, after, event_id="upheld", at=T0)
    )


def role_set(store: Store) -> Callable[[], object]:
    _members(store, "jonas")
    return lambda: set_role(default_deps(), ADMIN, {"uid": "jonas", "role": "moderator"})


def member_points_changed(store: Store) -> Callable[[], object]:
    default_deps().settings.leaderboard_key(store.client)
    points = HopePoints(total=15, silent_hero=15).model_dump(by_alias=True)
    richer = make_user(
        "amina",
        gamification={"hopePoints": points, "weeklyPoints": 15, "week": "2026-W48"},
    )
    return _changed(store, "user_written", "users/amina", make_user("amina"), richer)


def member_levelled_up(store: Store) -> Callable[[], object]:
    default_deps().settings.public(store.client)
    sprout = make_user("amina", gamification={"experience": 300, "level": 3})
    return _changed(store, "user_written", "users/amina", make_user("amina"), sprout)


def usage_summed(store: Store) -> Callable[[], object]:
    path, resource = make_resource()
    store.put(path, published(resource))
    return _created(store, "resource_usage_written", f"{path}/usageShards/4", {"views": 1})


def limits_set(store: Store) -> Callable[[], object]:
    data = {"limits": {"requestSeconds": 30}, "reason": "Flood of duplicate requests"}
    return lambda: registry()["set_rate_limits"].call(default_deps(), ADMIN, data)


def member_bio_edited(store: Store) -> Callable[[], object]:
    edited = make_user("amina", profile={"bio": "Retired nurse"})
    return _changed(store, "user_written", "users/amina", make_user("amina"), edited)


def ledger_entry_written(store: Store) -> Callable[[], object]:
    _members(store, "amina")
    path, offering = make_offering()
    after = store.put(path, offering)
    store.deliver("offering_written", store.event(path, None, after, event_id="setup", at=T0))
    [entry] = store.ids("users/amina/hopeLedger")
    ledger_path = f"users/amina/hopeLedger/{entry}"
    proto = store.proto(ledger_path)
    return lambda: store.deliver(
        "hope_ledger_written", store.event(ledger_path, None, proto, at=T0)
    )


def message_in_conversation(store: Store) -> Callable[[], object]:
    _members(store, "amina", "samira")
    store.put(*make_conversation())
    return _created(store, "message_written", *make_message())


def message_removed(store: Store) -> Callable[[], object]:
    _members(store, "amina", "samira")
    store.put(*make_conversation())
    path, message = make_message()
    shown = {**message.to_firestore(), "moderation": {"status": "approved"}}
    before = store.put(path, shown)
    after = store.put(path, {**shown, "moderation": {"status": "removed", "reason": "Scam."}})
    return lambda: store.deliver("message_written", store.event(path, before, after, at=T0))


def erasure_resumed(store: Store) -> Callable[[], object]:
    job = ErasureJob(
        erasure_id="e1",
        uid="amina",
        tombstone="erased-e1",
        phase=ErasurePhase.CONTENT,
        requested_at=T0,
        updated_at=T0,
    )
    store.put(erasure_path("e1"), job)
    return lambda: resume_stalled_erasures(default_deps(), T0 + dt.timedelta(hours=1))


def read_receipt(store: Store) -> Callable[[], object]:
    path, conversation = make_conversation()
    store.put(path, conversation)
    message_path, message = make_message()
    store.put(message_path, message)
    before = store.proto(path)
    state = {"samira": {"joinedAt": T0, "lastReadAt": T0 + dt.timedelta(minutes=1)}}
    after = store.put(path, {**conversation.to_firestore(), "participantState": state})
    return lambda: store.deliver("conversation_written", store.event(path, before, after, at=T0))


def _consent(store: Store, owner: str, counterpart: str) -> tuple[str, Any]:
    consent = RevealConsent(
        counterpart_id=counterpart, context="conversations/conv1", created_at=T0, updated_at=T0
    )
    path = f"users/{owner}/revealConsents/{counterpart}"
    return path, store.put(path, consent)


def reveal_completed(store: Store) -> Callable[[], object]:
    _members(store, "amina", "samira")
    _consent(store, "amina", "samira")
    path, after = _consent(store, "samira", "amina")
    return lambda: store.deliver("reveal_consent_written", store.event(path, None, after, at=T0))


def notification_read(store: Store) -> Callable[[], object]:
    path = "users/amina/notifications/n1"
    pushed = make_notification("amina", T0).model_copy(
        update={"push": PushState(status=PushStatus.SENT, sent_at=T0)}
    )
    read = pushed.model_copy(update={"read_at": T0})
    return _changed(store, "notification_written", path, pushed, read)


def notification_without_devices(store: Store) -> Callable[[], object]:
    _members(store, "amina")
    return _created(
        store,
        "notification_written",
        "users/amina/notifications/n2",
        make_notification("amina", T0),
    )


def reveal_requested(store: Store) -> Callable[[], object]:
    _members(store, "amina", "samira")
    path, after = _consent(store, "samira", "amina")
    return lambda: store.deliver("reveal_consent_written", store.event(path, None, after, at=T0))


def standing_offering_claimed(store: Store) -> Callable[[], object]:
    data = make_offering(requestPath=None, requesterId=None)[1].to_firestore()
    claimed = Offering.model_validate(
        {**data, "requesterId": "samira", "status": "accepted", "respondedAt": T0}
    )
    return _changed(store, "offering_written", "offerings/standing", data, claimed)


def request_expired(store: Store) -> Callable[[], object]:
    path, request = make_request(deadline=T0 - dt.timedelta(minutes=5))
    store.put(*make_offering())
    expired = request.model_copy(update={"status": RequestStatus.EXPIRED})
    return _changed(store, "request_written", path, request, expired)


BUCKET = f"{PROJECT}.appspot.com"


@pytest.fixture(scope="module")
def storage_server() -> Iterator[StorageServer]:
    """Cloud Storage for the attachments functions (their Firestore cost is what is measured)."""
    with StorageServer(project=PROJECT) as running:
        yield running


@pytest.fixture(autouse=True)
def _storage(storage_server: StorageServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty default bucket, named by the variables the runtime sets."""
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", storage_server.url)
    monkeypatch.setenv("STORAGE_BUCKET", BUCKET)
    storage_server.reset()


def _uploaded(*names: str) -> gcs.Bucket:
    bucket = gcs.Client(project=PROJECT).bucket(BUCKET)
    for name in names:
        bucket.blob(name).upload_from_string(b"x", content_type="image/jpeg")
    return bucket


def story_withdrawn(store: Store) -> Callable[[], object]:
    path = "tapestryThreads/t1"
    before = store.put(path, {"nominatorId": "amina"})
    _uploaded("uploads/amina/stories/t1/garden.jpg", "uploads/amina/stories/t1/thumb-garden.jpg")
    store.client.document(path).delete()
    event = store.event(path, before, None, at=T0)
    event["type"] = DELETED
    return lambda: store.deliver("story_files_removed", event)


def orphans_swept(store: Store) -> Callable[[], object]:
    kept = "uploads/amina/requests/r1/kept.jpg"
    store.put(
        "requests/r1",
        {
            "requesterId": "amina",
            "attachments": [{"storagePath": kept, "contentType": "image/jpeg"}],
        },
    )
    bucket = _uploaded(
        kept, "uploads/amina/requests/r1/stray.jpg", "uploads/amina/messages/c1/m1/unsent.jpg"
    )
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    return lambda: sweep_orphans(bucket, store.client, later)


def overdue_request_expired(store: Store) -> Callable[[], object]:
    store.put(*make_request(deadline=T0 - dt.timedelta(minutes=5)))
    return lambda: expire_overdue_requests(default_deps(), T0)


def _placed_request(**changes: Any) -> tuple[str, Any]:
    """An open request with a public place (listed near me)."""
    place = public_location(GeoPoint(45.7745, 4.829), "Croix-Rousse, Lyon")
    return make_request(remoteOk=False, location=place.model_dump(by_alias=True), **changes)


def nearby_request_listed(store: Store) -> Callable[[], object]:
    return _created(store, "nearby_request_written", *_placed_request())


def nearby_request_accepted(store: Store) -> Callable[[], object]:
    path, request = _placed_request()
    taken = request.model_copy(update={"status": RequestStatus.IN_PROGRESS})
    taken = taken.model_copy(update={"accepted_helper_ids": ["amina"]})
    _created(store, "nearby_request_written", path, request)()
    return _changed(store, "nearby_request_written", path, request, taken)


def nearby_request_edited(store: Store) -> Callable[[], object]:
    path, request = _placed_request()
    edited = request.model_copy(update={"title": "Groceries for this week and next"})
    return _changed(store, "nearby_request_written", path, request, edited)


def match_card_written(store: Store) -> Callable[[], object]:
    return _created(store, "match_request_written", *make_request())


def match_card_untouched(store: Store) -> Callable[[], object]:
    path, request = make_request()
    viewed = request.model_copy(update={"metrics": request.metrics.model_copy(update={"views": 9})})
    return _changed(store, "match_request_written", path, request, viewed)


def urgent_alert_sent(store: Store) -> Callable[[], object]:
    """Amina, who asked to hear of requests near her, is the one helper for Samira's critical
    request in her area: she is alerted."""
    amina = make_user(
        "amina",
        profile={"bio": "I do groceries for neighbours."},
        notifications={"topics": {"nearbyRequests": True}},
    )
    _created(store, "match_user_written", "users/amina", amina)()
    centre = cell_centre("u09wnb")
    location = {
        "area": {"geohash": "u09wn", "label": "Belleville, Paris"},
        "geohash": "u09wnb",
        "point": GeoPoint(centre.latitude, centre.longitude),
    }
    path, request = make_request(
        urgency="critical", location=location, moderation={"status": "approved"}
    )
    _created(store, "match_request_written", path, request)()
    card = f"{REQUEST_CARDS}/req1"
    return lambda: store.deliver(
        "match_urgent_alerts", store.event(card, None, store.proto(card), at=T0)
    )


def helper_card_written(store: Store) -> Callable[[], object]:
    return _created(store, "match_user_written", "users/amina", make_user("amina"))


def identity_sealed(store: Store) -> Callable[[], object]:
    data = {"legalName": "Amina Diallo", "phone": "+33612345678"}
    amina = Caller("amina", {"email_verified": True})
    return lambda: registry()["set_identity"].call(default_deps(), amina, data)


def identity_read_by_counterpart(store: Store) -> Callable[[], object]:
    amina = Caller("amina", {"email_verified": True})
    registry()["set_identity"].call(default_deps(), amina, {"legalName": "Amina Diallo"})
    store.client.document("users/amina/revealGrants/jonas").set(
        {
            "counterpartId": "jonas",
            "context": store.client.document("conversations/c1"),
            "completedAt": T0,
        }
    )
    jonas = Caller("jonas", {"email_verified": True})
    return lambda: registry()["read_identity"].call(default_deps(), jonas, {"uid": "amina"})


def held_content_approved(store: Store) -> Callable[[], object]:
    path, request = make_request()
    store.put(path, {**request.to_firestore(), "moderation": {"status": "hidden"}})
    decision = {"path": path, "decision": "approve"}
    return lambda: review_content(default_deps(), MODERATOR, decision)


def points_adjusted(store: Store) -> Callable[[], object]:
    _members(store, "jonas")
    data = {
        "uid": "jonas",
        "amount": 20,
        "category": "silentHero",
        "reason": "Confirmed by the shelter",
        "key": "cost-0001",
    }
    return lambda: registry()["adjust_hope_points"].call(default_deps(), MODERATOR, data)


def status_set(store: Store) -> Callable[[], object]:
    data = {"status": "readOnly", "message": "Back soon", "reason": "Migration 0004"}
    return lambda: registry()["set_service_status"].call(default_deps(), ADMIN, data)


def flags_set(store: Store) -> Callable[[], object]:
    data = {"flags": {"events": False}, "reason": "Venue audit"}
    return lambda: registry()["set_feature_flags"].call(default_deps(), ADMIN, data)


def day_rolled_up(store: Store) -> Callable[[], object]:
    for index in range(3):
        path, request = make_request(request_id=f"r{index}")
        after = store.put(path, request)
        store.deliver(
            "request_written", store.event(path, None, after, event_id=f"e{index}", at=T0)
        )
    return lambda: roll_up_day(default_deps(), "2026-11-24")


def consents_withdrawn(store: Store) -> Callable[[], object]:
    _members(store, "amina")
    answer = {"granted": False, "version": "1", "answeredAt": T0}
    consents = {
        "termsVersion": "2026-11",
        "termsAcceptedAt": T0,
        "analytics": answer,
        "leaderboards": answer,
        "updatedAt": T0,
    }
    return _created(store, "consents_written", "users/amina/private/consents", consents)


def _nominated(store: Store, consent: str) -> str:
    """A pending story of amina's about samira (who answered `consent`); the thread's id."""
    _members(store, "amina", "samira")
    path, thread = make_thread(subject="member")
    store.put(path, thread)
    store.put(
        f"{path}/private/nomination",
        {
            "nominatorId": "amina",
            "subjectId": "samira",
            "createdAt": T0,
            "subjectConsent": consent,
            **({"consentAt": T0} if consent != "unanswered" else {}),
        },
    )
    return path.rsplit("/", 1)[-1]


def review_rated(store: Store) -> Callable[[], object]:
    _members(store, "samira")
    resource_path, resource = make_resource()
    store.put(resource_path, published(resource))
    path, review = make_review()
    return _created(store, "resource_review_written", path, review)


def helpful_vote_given(store: Store) -> Callable[[], object]:
    store.put(*make_review())
    vote = {"userId": "jonas", "createdAt": T0}
    return _created(
        store, "helpful_vote_written", "resources/res1/reviews/samira/helpful/jonas", vote
    )


def heart_given(store: Store) -> Callable[[], object]:
    path, thread = make_thread()
    store.put(path, approved(thread))
    heart = {"userId": "jonas", "createdAt": T0}
    return _created(store, "tapestry_heart_written", f"{path}/hearts/jonas", heart)


def subject_told(store: Store) -> Callable[[], object]:
    thread_id = _nominated(store, "unanswered")
    path = f"tapestryThreads/{thread_id}/private/nomination"
    after = store.proto(path)
    return lambda: store.deliver("story_nomination_written", store.event(path, None, after, at=T0))


def story_decided(store: Store) -> Callable[[], object]:
    thread_id = _nominated(store, "credit")
    decision = StoryDecision(thread_id=thread_id, verdict="approve")
    return lambda: decide_story(default_deps(), "modkenji", decision)


def _applied(store: Store, resource_id: str = "res1") -> None:
    store.put(*make_resource(resource_id=resource_id))
    store.put(
        f"resources/{resource_id}/private/providerApplication",
        {
            "applicantId": "amina",
            "roleInOrganization": "coordinator",
            "evidence": "Registry number W751234567.",
            "appliedAt": T0,
            "updatedAt": T0,
        },
    )


def provider_verified(store: Store) -> Callable[[], object]:
    _members(store, "amina")
    _applied(store)
    decision = ProviderDecision(resource_id="res1", verdict="verify")
    return lambda: decide_provider(default_deps(), "modkenji", decision)


def provider_revoked(store: Store) -> Callable[[], object]:
    _members(store, "amina")
    _applied(store)
    verified = ProviderDecision(resource_id="res1", verdict="verify")
    decide_provider(default_deps(), "modkenji", verified)
    store.put(*make_resource(resource_id="res2"))
    revocation = ProviderRevocation(uid="amina", note="The association closed.")
    return lambda: revoke_provider(default_deps(), "modkenji", revocation)


SCENARIOS: dict[tuple[str, str], Scenario] = {
    ("offering_written", "offering created"): offering_created,
    ("offering_written", "offering created, seed catalog, first act of a member"): (
        offering_created_with_catalog
    ),
    ("offering_written", "offering accepted on a critical request"): offering_accepted_urgent,
    ("offering_written", "offering edited (no act of help)"): offering_edited,
    ("offering_written", "offering completed and rated (request's category read)"): (
        offering_rated
    ),
    ("request_written", "request created"): request_created,
    ("request_written", "request fulfilled by 2 helpers"): request_fulfilled,
    ("community_event_written", "event completed (organiser + 1 co-organiser)"): event_completed,
    ("registration_written", "attendee checked in"): attendee_checked_in,
    ("decide_event (callable)", "event approved, check-in code made"): event_approved,
    ("registration_written", "member asks for a place (registered)"): registration_placed,
    ("registration_written", "cancellation, head of the waitlist promoted and told"): (
        cancellation_promotes
    ),
    ("community_event_written", "event cancelled, 2 registrations cancelled and told"): (
        event_cancelled
    ),
    ("tapestry_thread_written", "story approved"): story_approved,
    ("resource_written", "resource published with a verified provider"): resource_published,
    ("resource_review_written", "resource reviewed"): review_created,
    ("message_written", "message sent"): message_sent,
    ("conversation_written", "conversation started"): conversation_started,
    ("report_written", "report filed (triage, case + counters)"): report_filed,
    ("report_written", "report filed that hides the content (+ log entry, autoHidden counter)"): (
        report_hides
    ),
    ("report_written", "report upheld (reporter's award + counters)"): report_upheld,
    ("user_written", "points changed, opted in (both boards)"): member_points_changed,
    ("user_written", "profile edited (nothing derived changes)"): member_bio_edited,
    ("hope_ledger_written", "ledger entry created"): ledger_entry_written,
    (
        "resolveReport (callable)",
        "warn: report, case, content, strike, claims, log",
    ): report_resolved,
    ("setMemberRole (callable)", "role changed"): role_set,
    ("daily_analytics (schedule)", "one day rolled up from 3 shards"): day_rolled_up,
    ("message_written", "message sent in a conversation (inbox, unread)"): message_in_conversation,
    ("message_written", "a moderator hides or releases a message (badges)"): message_removed,
    ("conversation_written", "read receipt (unread recount)"): read_receipt,
    ("reveal_consent_written", "second consent completes the reveal"): reveal_completed,
    ("reveal_consent_written", "first consent (pending count)"): reveal_requested,
    ("offering_written", "standing offering claimed"): standing_offering_claimed,
    ("notification_written", "notification read (unread count)"): notification_read,
    ("notification_written", "notification created, push decided (no device)"): (
        notification_without_devices
    ),
    ("request_written", "request expired, 1 waiting offering"): request_expired,
    ("expire_overdue_requests (schedule)", "1 overdue request expired"): overdue_request_expired,
    ("resume_stalled_erasures (schedule)", "1 stalled erasure moved again"): erasure_resumed,
    ("story_files_removed", "story withdrawn (its photo and thumbnail removed)"): story_withdrawn,
    ("sweep_orphan_uploads (schedule)", "3 uploads of 2 documents, 2 unlinked removed"): (
        orphans_swept
    ),
    ("reviewContent (callable)", "held content approved"): held_content_approved,
    ("adjustHopePoints (callable)", "20 points credited (ledger, totals, audit)"): (
        points_adjusted
    ),
    ("setServiceStatus (callable)", "read-only mode set"): status_set,
    ("setFeatureFlags (callable)", "one feature switched off"): flags_set,
    ("setIdentity (callable)", "identity sealed, first time (data key made)"): identity_sealed,
    ("readIdentity (callable)", "read by a revealed counterpart (audited)"): (
        identity_read_by_counterpart
    ),
    ("nearby_request_written", "request posted with a place (listed near me)"): (
        nearby_request_listed
    ),
    ("nearby_request_written", "request accepted (leaves the near-me list)"): (
        nearby_request_accepted
    ),
    ("nearby_request_written", "request edited, listing unchanged"): nearby_request_edited,
    ("resource_review_written", "review of a published resource (rating from 1 review)"): (
        review_rated
    ),
    ("helpful_vote_written", "helpful vote given"): helpful_vote_given,
    ("tapestry_heart_written", "heart given"): heart_given,
    ("story_nomination_written", "story names a member (subject told)"): subject_told,
    ("decideStory (callable)", "story approved (placement, credits, 2 notified)"): story_decided,
    ("decideProvider (callable)", "provider verified (claim set)"): provider_verified,
    ("revokeProvider (callable)", "provider of 2 listings revoked"): provider_revoked,
    ("match_request_written", "request posted (card written, text embedded)"): match_card_written,
    ("match_request_written", "request viewed (nothing matching reads)"): match_card_untouched,
    ("match_user_written", "profile written, no standing offer"): helper_card_written,
    ("match_urgent_alerts", "critical request listed (1 helper alerted)"): urgent_alert_sent,
    ("consents_written", "analytics and leaderboards withdrawn"): consents_withdrawn,
    ("user_written", "level 1 to 3 (privileges copied to the account)"): member_levelled_up,
    ("resource_usage_written", "one view counted (10 shards summed)"): usage_summed,
    ("setRateLimits (callable)", "request interval changed"): limits_set,
}


@contextmanager
def changed_documents(store: Store) -> Iterator[list[str]]:
    """Names of the documents the server saw change while the block ran."""
    names: list[str] = []

    def listen(batch: ChangeBatch) -> None:
        names.extend(change.name for change in batch.changes)

    subscription = store.server.emulator.subscribe(listen)
    try:
        yield names
    finally:
        subscription.close()


def measure(store: Store, scenario: Scenario) -> tuple[int, int]:
    """Reads and writes of one delivery, settings excluded; writes checked on the server."""
    from mitche.services import recording_costs

    run = scenario(store)
    with recording_costs() as recorder, changed_documents(store) as changed:
        run()
    assert len(changed) == sum(sample.writes for sample in recorder.samples), changed
    samples = [s for s in recorder.samples if not s.handler.startswith("settings")]
    return sum(s.reads for s in samples), sum(s.writes for s in samples)


_ROW = re.compile(
    r"^\|\s*`?(?P<function>[^|`]+?)`?\s*\|\s*(?P<event>[^|]+?)\s*\|\s*(?P<reads>\d+)\s*\|\s*(?P<writes>\d+)\s*\|$"
)


def readme_table() -> dict[tuple[str, str], tuple[int, int]]:
    """The rows of the README's cost table: (function, event) → (reads, writes)."""
    text = README.read_text("utf-8")
    assert SECTION in text, f"README.md has no {SECTION!r} section"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        found = _ROW.match(line.strip())
        if found:
            key = (found["function"].strip(), found["event"].strip())
            assert key not in rows, f"README.md lists {key} twice"
            rows[key] = (int(found["reads"]), int(found["writes"]))
    return rows


def test_the_readme_lists_every_measured_scenario() -> None:
    """The README table has exactly one row per measured scenario."""
    assert sorted(readme_table()) == sorted(SCENARIOS)


@pytest.mark.parametrize("key", list(SCENARIOS), ids=[f"{f}: {e}" for f, e in SCENARIOS])
def test_cost_per_event_matches_the_readme(store: Store, key: tuple[str, str]) -> None:
    """The reads and writes measured for the scenario are the README's figures."""
    measured = measure(store, SCENARIOS[key])
    assert measured == readme_table().get(key), f"{key}: measured {measured}"
