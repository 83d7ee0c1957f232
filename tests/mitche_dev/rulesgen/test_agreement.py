"""One shared table of valid and invalid documents, run through both the pydantic models and
the generated rules functions: they agree on every document, except the divergences listed
(each with its reason), which are the validators the rules language cannot express.

A document is the client-written part of a model as it is stored (camelCase keys, timestamps,
GeoPoints, references); the rules side checks it as the hand-written rules do on create: the
required keys, the keys a client may write, every field, and the model's cross-field checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pygeohash
import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from google.cloud.firestore_v1 import GeoPoint
from pydantic import BaseModel, ValidationError

from firelab.rules import Auth, Rules, RulesRequest
from mitche.models import (
    AliasClaim,
    Block,
    CommunityEvent,
    Consents,
    Conversation,
    Device,
    DevicePlatform,
    EventAccess,
    HelpfulVote,
    HelpRequest,
    KeyAlgorithm,
    Message,
    MitcheModel,
    Offering,
    PrivateAccount,
    ProviderApplication,
    PublicKey,
    PurposeConsent,
    RateStamp,
    Registration,
    Report,
    RequestLocation,
    Resource,
    ResourceReview,
    RevealConsent,
    TapestryThread,
    ThreadHeart,
    ThreadNomination,
    UsageShard,
    User,
    written_by,
)
from mitche.models.registry import collection_specs
from mitche.services.codec import from_document, to_document
from mitche_dev.rulesgen import document_rules, render_section
from mitche_dev.schemagen import build_schema_set
from tests.rules.world import (
    make_attachment,
    make_conversation,
    make_event,
    make_exact,
    make_message,
    make_offering,
    make_report,
    make_request,
    make_resource,
    make_thread,
    make_user,
)

T0 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
LATER = T0 + dt.timedelta(hours=1)
CLIENT = firestore.Client(project="demo-agreement", credentials=AnonymousCredentials())

Document = dict[str, Any]
Change = Callable[[Document], None]


def _client_part(model: MitcheModel) -> Document:
    """The keys a client writes, as stored."""
    document = to_document(model, CLIENT)
    for name, info in type(model).model_fields.items():
        if written_by(info).server_owned:
            document.pop(info.alias or name, None)
    return document


BASES: dict[type[BaseModel], Callable[[], MitcheModel]] = {
    User: lambda: make_user("alice", T0),
    HelpfulVote: lambda: HelpfulVote(user_id="bob", created_at=T0),
    UsageShard: lambda: UsageShard(views=1),
    ProviderApplication: lambda: ProviderApplication(
        applicant_id="alice",
        role_in_organization="Volunteer coordinator",
        evidence="I run the Tuesday food bank at the community centre.",
        applied_at=T0,
        updated_at=T0,
    ),
    Consents: lambda: Consents(
        terms_version="2026-11",
        terms_accepted_at=T0,
        analytics=PurposeConsent(granted=True, version="1", answered_at=T0),
        leaderboards=PurposeConsent(granted=False, version="1", answered_at=T0),
        updated_at=T0,
    ),
    PublicKey: lambda: PublicKey(
        algorithm=KeyAlgorithm.X25519, public_key="q" * 43, label="phone", created_at=T0
    ),
    PrivateAccount: lambda: PrivateAccount(last_request=RateStamp(at=T0, path="requests/r1")),
    RevealConsent: lambda: RevealConsent(
        counterpart_id="bob", context="conversations/c1", created_at=T0, updated_at=T0
    ),
    HelpRequest: lambda: make_request("alice", T0),
    Offering: lambda: make_offering("alice", T0),
    CommunityEvent: lambda: make_event("olga", T0),
    EventAccess: lambda: EventAccess(venue=make_exact(), updated_at=T0),
    Registration: lambda: Registration(user_id="alice", created_at=T0, updated_at=T0),
    Resource: lambda: make_resource("vera", T0),
    ResourceReview: lambda: ResourceReview(
        author_id="alice", rating=4, created_at=T0, updated_at=T0
    ),
    Conversation: lambda: make_conversation("alice", ["alice", "bob"], T0),
    Message: lambda: make_message("alice", "c1", ["alice", "bob"], T0),
    TapestryThread: lambda: make_thread("alice", T0),
    ThreadNomination: lambda: ThreadNomination(nominator_id="alice", created_at=T0),
    Report: lambda: make_report("bob", "requests/r1", T0),
    RequestLocation: lambda: RequestLocation(exact=make_exact(), updated_at=T0),
    ThreadHeart: lambda: ThreadHeart(user_id="bob", created_at=T0),
    AliasClaim: lambda: AliasClaim(owner_id="alice", claimed_at=T0),
    Device: lambda: Device(
        token="fcm-token-1", platform=DevicePlatform.ANDROID, created_at=T0, last_seen_at=T0
    ),
    Block: lambda: Block(member_id="bob", created_at=T0),
}
"""A valid document of each client-written model."""


_SERVER_HELPERS = (
    "acceptedHelperIds is the server's (a function writes it from the offerings the requester "
    "accepted), so no client write may hold it"
)


@dataclass(frozen=True, slots=True)
class Case:
    """A document (a base with one change) and what each side says of it."""

    model: type[BaseModel]
    description: str
    change: Change
    valid: bool
    """What the model says."""
    rules_valid: bool | None = None
    """What the rules say when they differ from the model (a listed divergence)."""
    why: str = ""

    @property
    def id(self) -> str:
        """Test id."""
        return f"{self.model.__name__}: {self.description}"


def _set(**changes: Any) -> Change:
    """Set top-level keys (`None` removes a key); dotted keys set nested ones."""

    def apply(document: Document) -> None:
        for key, value in changes.items():
            *parents, last = key.split("__")
            target = document
            for parent in parents:
                target = target[parent]
            if value is None:
                target.pop(last, None)
            else:
                target[last] = value

    return apply


def _attachment(**fields: Any) -> Document:
    document = to_document(make_attachment("alice", "requests/r1"), CLIENT)
    document.update(fields)
    return document


def _ref(path: str) -> Any:
    return CLIENT.document(path)


AS_IS = _set()

CASES: list[Case] = [
    *(Case(model, "the base document", AS_IS, True) for model in BASES),
    # users
    Case(User, "a display name of 51 characters", _set(profile__displayName="x" * 51), False),
    Case(User, "an alias of 2 characters", _set(profile__anonymousAlias="ab"), False),
    Case(User, "a skill that is not a tag", _set(profile__skills=["Plumbing"]), False),
    Case(User, "31 skills", _set(profile__skills=[f"s{i}" for i in range(31)]), False),
    Case(User, "30 skills", _set(profile__skills=[f"s{i}" for i in range(30)]), True),
    Case(User, "a language tag in lower case", _set(profile__languages=["pt-br"]), False),
    Case(
        User,
        "a PDF as avatar",
        _set(profile__avatar=_attachment(contentType="application/pdf")),
        False,
    ),
    Case(User, "an image avatar", _set(profile__avatar=_attachment()), True),
    Case(User, "an unknown profile key", _set(profile__age=30), False),
    Case(User, "an updatedAt before createdAt", _set(updatedAt=T0 - dt.timedelta(days=1)), False),
    Case(
        User,
        "a privacy visibility outside the enum",
        _set(privacy__profileVisibility="friends"),
        False,
    ),
    Case(
        User,
        "a quiet hours window of no length",
        _set(notifications__quietHours={"startsAt": "22:00", "endsAt": "22:00"}),
        False,
    ),
    Case(
        User,
        "a quiet hours window over midnight",
        _set(notifications__quietHours={"startsAt": "22:00", "endsAt": "07:00"}),
        True,
    ),
    Case(
        User,
        "a local time of 24:00",
        _set(notifications__quietHours={"startsAt": "24:00", "endsAt": "07:00"}),
        False,
    ),
    Case(User, "a nearby radius of 0 km", _set(notifications__nearbyRadiusKm=0), False),
    Case(
        User,
        "a boolean setting given as 1",
        _set(preferences__largeText=1),
        True,
        rules_valid=False,
        why="the rules check stored types strictly; pydantic's lax mode reads 1 as true",
    ),
    Case(
        User,
        "a well-formed time zone that does not exist (read as UTC, so it still decodes)",
        _set(preferences__timeZone="Mars/Olympus_Mons"),
        True,
    ),
    Case(
        User, "a time zone that is not a zone name", _set(preferences__timeZone="UTC+2 :)"), False
    ),
    # private account
    Case(
        PrivateAccount,
        "a stamp's time given as a string",
        _set(lastRequest__at="2026-11-20T09:00:00Z"),
        True,
        rules_valid=False,
        why="the rules want a stored timestamp; pydantic's lax mode parses an ISO string",
    ),
    Case(
        PrivateAccount,
        "a rate-limit time that is not a timestamp",
        _set(lastRequest__at="x"),
        False,
    ),
    Case(
        PrivateAccount,
        "a stamp naming a path with an empty segment",
        _set(lastRequest__path="requests//r1"),
        False,
    ),
    Case(PrivateAccount, "a stamp with a key beyond at and path", _set(lastRequest__n=1), False),
    Case(
        PrivateAccount,
        "a security map written by the member",
        _set(security={"role": "admin"}),
        True,
        rules_valid=False,
        why="security is a server field: the rules refuse it from any client",
    ),
    # device public keys (end-to-end encryption)
    Case(PublicKey, "a key that is not 43 base64url characters", _set(publicKey="abc"), False),
    Case(PublicKey, "a key with a character outside base64url", _set(publicKey="+" * 43), False),
    Case(PublicKey, "an algorithm outside the enum", _set(algorithm="P-256"), False),
    # reveal consents
    Case(RevealConsent, "a status outside the enum", _set(status="maybe"), False),
    Case(
        RevealConsent,
        "a context that is a string",
        _set(context="conversations/c1"),
        True,
        rules_valid=False,
        why="a stored reference is a Firestore reference; the models also read the path string "
        "they hold in memory",
    ),
    Case(RevealConsent, "a counterpart id with a slash", _set(counterpartId="bob/x"), False),
    # push devices
    Case(Device, "a platform outside the enum", _set(platform="symbian"), False),
    Case(Device, "an empty token", _set(token=""), False),
    Case(Device, "a token of 4096 characters", _set(token="x" * 4096), True),
    Case(Device, "a token of 4097 characters", _set(token="x" * 4097), False),
    # requests
    Case(HelpRequest, "a title of 4 characters", _set(title="Help"), False),
    Case(HelpRequest, "a title of 120 characters", _set(title="x" * 120), True),
    Case(HelpRequest, "a title of 121 characters", _set(title="x" * 121), False),
    Case(
        HelpRequest,
        "a title of 100 emoji",
        _set(title="🙏" * 100),
        True,
        rules_valid=False,
        why="the rules measure strings in UTF-16 code units (200 here), pydantic in code points",
    ),
    Case(HelpRequest, "a title that is a number", _set(title=12345), False),
    Case(HelpRequest, "eleven tags", _set(tags=[f"t{i}" for i in range(11)]), False),
    Case(HelpRequest, "a tag of 41 characters", _set(tags=["a" * 41]), False),
    Case(HelpRequest, "a tag starting with a dash", _set(tags=["-food"]), False),
    Case(HelpRequest, "a category outside the enum", _set(category="weapons"), False),
    Case(HelpRequest, "an unknown key", _set(isUrgent=True), False),
    Case(
        HelpRequest,
        "a deadline before its creation",
        _set(deadline=T0 - dt.timedelta(days=1)),
        False,
    ),
    Case(HelpRequest, "no place and no remote help", _set(location=None), False),
    Case(HelpRequest, "remote help without a place", _set(location=None, remoteOk=True), True),
    Case(
        HelpRequest,
        "a public geohash of 7 characters",
        _set(location__geohash=pygeohash.encode(45.7578, 4.8320, 7)),
        False,
    ),
    Case(HelpRequest, "a public geohash outside its area", _set(location__geohash="u05kzz"), False),
    Case(
        HelpRequest,
        "a public point that is not its cell's centre",
        _set(location__point=GeoPoint(45.7578, 4.8320)),
        False,
    ),
    Case(
        HelpRequest,
        "an attachment uploaded by someone else",
        _set(attachments=[_attachment(ownerId="bob")]),
        False,
    ),
    Case(
        HelpRequest,
        "an attachment outside its owner's prefix",
        _set(attachments=[_attachment(storagePath="uploads/bob/x.jpg")]),
        False,
    ),
    Case(
        HelpRequest,
        "an attachment path with '..'",
        _set(attachments=[_attachment(storagePath="uploads/alice/../bob/x.jpg")]),
        False,
    ),
    Case(
        HelpRequest,
        "a PDF attachment with a width",
        _set(attachments=[_attachment(contentType="application/pdf", width=10)]),
        False,
    ),
    Case(HelpRequest, "an empty attachment", _set(attachments=[_attachment(sizeBytes=0)]), False),
    Case(
        HelpRequest,
        "an attachment of type zip",
        _set(attachments=[_attachment(contentType="application/zip")]),
        False,
    ),
    Case(HelpRequest, "six attachments", _set(attachments=[_attachment()] * 6), True),
    Case(HelpRequest, "seven attachments", _set(attachments=[_attachment()] * 7), False),
    Case(HelpRequest, "in progress without helpers", _set(status="inProgress"), False),
    Case(
        HelpRequest,
        "in progress with a helper",
        _set(status="inProgress", acceptedHelperIds=["bob"]),
        True,
        rules_valid=False,
        why=_SERVER_HELPERS,
    ),
    Case(HelpRequest, "a helper twice", _set(acceptedHelperIds=["bob", "bob"]), False),
    Case(HelpRequest, "the requester as helper", _set(acceptedHelperIds=["alice"]), False),
    Case(HelpRequest, "a helper id with a comma", _set(acceptedHelperIds=["bob,carol"]), False),
    Case(
        HelpRequest,
        "fulfilled without completion",
        _set(status="fulfilled", acceptedHelperIds=["bob"]),
        False,
    ),
    Case(
        HelpRequest,
        "fulfilled by an accepted helper",
        _set(
            status="fulfilled",
            acceptedHelperIds=["bob"],
            completion={"completedAt": LATER, "fulfilledBy": ["bob"]},
        ),
        True,
        rules_valid=False,
        why=_SERVER_HELPERS,
    ),
    Case(
        HelpRequest,
        "fulfilled by someone not accepted",
        _set(
            status="fulfilled",
            acceptedHelperIds=["bob"],
            completion={"completedAt": LATER, "fulfilledBy": ["carol"]},
        ),
        False,
    ),
    Case(
        HelpRequest,
        "feedback on the completion (it lives on the offering)",
        _set(
            status="closed",
            completion={
                "completedAt": LATER,
                "feedback": {"rating": 5, "authorId": "bob", "createdAt": LATER},
            },
        ),
        False,
    ),
    Case(HelpRequest, "an updatedAt before createdAt", _set(updatedAt=T0 - dt.timedelta(1)), False),
    Case(RequestLocation, "instructions of 501 characters", _set(instructions="x" * 501), False),
    Case(RequestLocation, "no exact place", _set(exact=None), False),
    # offerings
    Case(Offering, "a financial offer without an amount", _set(offeringType="financial"), False),
    Case(
        Offering,
        "a financial offer of 0",
        _set(offeringType="financial", financial={"amount": {"amountMinor": 0, "currency": "EUR"}}),
        False,
    ),
    Case(
        Offering,
        "a gift to repay",
        _set(
            offeringType="financial",
            financial={
                "amount": {"amountMinor": 2000, "currency": "EUR"},
                "method": "gift",
                "repayBy": LATER,
            },
        ),
        False,
    ),
    Case(
        Offering,
        "a loan to repay",
        _set(
            offeringType="financial",
            financial={
                "amount": {"amountMinor": 2000, "currency": "EUR"},
                "method": "loan",
                "repayBy": LATER,
            },
        ),
        True,
    ),
    Case(
        Offering,
        "a currency in lower case",
        _set(
            offeringType="financial",
            financial={"amount": {"amountMinor": 2000, "currency": "eur"}},
        ),
        False,
    ),
    Case(Offering, "a request without its requester", _set(requestPath=_ref("requests/r1")), False),
    Case(
        Offering,
        "an offer to oneself",
        _set(requestPath=_ref("requests/r1"), requesterId="alice"),
        False,
    ),
    Case(
        Offering,
        "an answer to a non-request",
        _set(requestPath=_ref("users/bob"), requesterId="bob"),
        False,
    ),
    Case(Offering, "completed without completedAt", _set(status="completed"), False),
    Case(
        Offering,
        "feedback before completion",
        _set(helperFeedback={"rating": 5, "authorId": "alice", "createdAt": LATER}),
        False,
    ),
    Case(
        Offering,
        "weekly hours that close before they open",
        _set(
            availability={
                "weeklyHours": [{"day": "monday", "opensAt": "18:00", "closesAt": "09:00"}]
            }
        ),
        False,
    ),
    Case(
        Offering,
        "availability ending before it starts",
        _set(availability={"availableFrom": LATER, "availableUntil": T0}),
        False,
    ),
    Case(Offering, "a conversation id with a slash", _set(conversationId="a/b"), False),
    Case(Offering, "a conversation id '..'", _set(conversationId=".."), False),
    # events
    Case(CommunityEvent, "ending before it starts", _set(endsAt=T0 + dt.timedelta(days=7)), False),
    Case(CommunityEvent, "in person without a place", _set(location=None), False),
    Case(
        CommunityEvent,
        "virtual with a place",
        _set(format="virtual", virtualPlatform="jitsi"),
        False,
    ),
    Case(
        CommunityEvent,
        "virtual",
        _set(format="virtual", virtualPlatform="jitsi", location=None),
        True,
    ),
    Case(CommunityEvent, "the organiser as co-organiser", _set(coOrganizerIds=["olga"]), False),
    Case(
        CommunityEvent,
        "eleven co-organisers",
        _set(coOrganizerIds=[f"c{i}" for i in range(11)]),
        False,
    ),
    Case(
        CommunityEvent,
        "an impact report before completion",
        _set(impact={"attendees": 10, "reportedAt": LATER}),
        False,
    ),
    Case(
        CommunityEvent,
        "a PDF cover",
        _set(coverImage=_attachment(contentType="application/pdf")),
        False,
    ),
    Case(
        CommunityEvent,
        "registration closing after the start",
        _set(registrationDeadline=T0 + dt.timedelta(days=9)),
        False,
    ),
    Case(CommunityEvent, "a capacity of 0", _set(capacity=0), False),
    Case(
        CommunityEvent,
        "eleven items to bring",
        _set(requirements={"itemsToBring": ["a dish"] * 11}),
        False,
    ),
    Case(
        CommunityEvent, "an empty item to bring", _set(requirements={"itemsToBring": [""]}), False
    ),
    Case(
        CommunityEvent,
        "an item to bring of 80 characters",
        _set(requirements={"itemsToBring": ["é" * 80]}),
        True,
    ),
    Case(
        CommunityEvent,
        "an item to bring of 81 characters",
        _set(requirements={"itemsToBring": ["é" * 81]}),
        False,
    ),
    Case(
        CommunityEvent,
        "an item to bring holding the unit separator",
        _set(requirements={"itemsToBring": ["gloves\x1fboots"]}),
        True,
        rules_valid=False,
        why="lists of free text are checked joined with U+001F, so a line holding it is refused",
    ),
    Case(EventAccess, "neither venue nor link", _set(venue=None), False),
    Case(EventAccess, "a link that is not https", _set(joinUrl="http://meet.example.org/x"), False),
    Case(Registration, "attended without a check-in time", _set(attendance="attended"), False),
    Case(Registration, "checked in", _set(attendance="attended", checkedInAt=LATER), True),
    Case(Registration, "eleven guests", _set(guests=11), False),
    Case(
        Registration,
        "feedback without attending",
        _set(feedback={"rating": 4, "authorId": "alice", "createdAt": LATER}),
        False,
    ),
    # resources
    Case(Resource, "neither a place nor remote service", _set(location=None), False),
    Case(Resource, "a language twice", _set(languages=["fr", "fr"]), False),
    Case(Resource, "no language", _set(languages=[]), False),
    Case(
        Resource,
        "a free service with a fee",
        _set(fees={"free": True, "amount": {"amountMinor": 500, "currency": "EUR"}}),
        False,
    ),
    Case(
        Resource,
        "ages the wrong way round",
        _set(eligibility={"minimumAge": 60, "maximumAge": 18}),
        False,
    ),
    Case(Resource, "a group twice", _set(eligibility={"groups": ["youth", "youth"]}), False),
    Case(
        Resource,
        "a schedule valid backwards",
        _set(schedule={"timeZone": "Europe/Paris", "validFrom": LATER, "validTo": T0}),
        False,
    ),
    Case(
        Resource,
        "a geohash prefix with an 'a'",
        _set(serviceArea={"geohashPrefixes": ["u0a"]}),
        False,
    ),
    Case(
        Resource,
        "a PDF logo",
        _set(provider={"name": "Bank", "logo": _attachment(contentType="application/pdf")}),
        False,
    ),
    Case(
        Resource,
        "a website that is not https",
        _set(contact={"website": "ftp://example.org"}),
        False,
    ),
    Case(ResourceReview, "a visit after the review", _set(visitedAt=LATER), False),
    Case(ResourceReview, "six stars", _set(rating=6), False),
    # conversations and messages
    Case(Conversation, "a dm of three", _set(participantIds=["alice", "bob", "carol"]), False),
    Case(Conversation, "a creator outside the conversation", _set(createdBy="carol"), False),
    Case(Conversation, "a titled dm", _set(title="Us"), False),
    Case(Conversation, "a participant twice", _set(participantIds=["alice", "alice"]), False),
    Case(
        Conversation,
        "a state for a non-participant",
        _set(participantState={"carol": {"joinedAt": T0}}),
        False,
    ),
    Case(
        Conversation,
        "a request thread about an event",
        _set(conversationType="request", context=_ref("communityEvents/e1"), title="Help"),
        False,
    ),
    Case(
        Conversation,
        "a request thread",
        _set(conversationType="request", context=_ref("requests/r1"), title="Help"),
        True,
    ),
    Case(
        Conversation,
        "a request thread about a nested document",
        _set(conversationType="request", context=_ref("requests/r1/private/location")),
        False,
    ),
    Case(Message, "a text message without text", _set(text=None), False),
    Case(Message, "a message of 4001 characters", _set(text="x" * 4001), False),
    Case(
        Message,
        "a location message with text",
        _set(messageType="location", location={"point": GeoPoint(45.7, 4.8), "label": "Here"}),
        False,
    ),
    Case(
        Message,
        "an image message carrying a PDF",
        _set(
            messageType="image",
            text=None,
            attachment=_attachment(
                contentType="application/pdf", storagePath="uploads/alice/messages/c1/m1/a.pdf"
            ),
        ),
        False,
    ),
    Case(
        Message,
        "an image uploaded by someone else",
        _set(
            messageType="image",
            attachment=_attachment(ownerId="bob", storagePath="uploads/bob/messages/c1/m1/a.jpg"),
        ),
        False,
    ),
    Case(
        Message,
        "an image below the message's folder",
        _set(
            messageType="image",
            attachment=_attachment(storagePath="uploads/alice/messages/c1/m1/a.jpg"),
        ),
        True,
    ),
    Case(
        Message,
        "an image of another conversation",
        _set(
            messageType="image",
            attachment=_attachment(storagePath="uploads/alice/messages/c2/m1/a.jpg"),
        ),
        False,
    ),
    Case(
        Message,
        "an image from the sender's request folder",
        _set(messageType="image", attachment=_attachment()),
        False,
    ),
    Case(Message, "a deleted message that keeps its text", _set(deletedAt=LATER), False),
    Case(Message, "a deleted message", _set(deletedAt=LATER, text=None), True),
    Case(Message, "a sender outside the conversation", _set(senderId="carol"), False),
    Case(Message, "a read receipt from a non-participant", _set(readBy={"carol": LATER}), False),
    Case(Message, "an edit before sending", _set(editedAt=T0 - dt.timedelta(1)), False),
    Case(
        Message,
        "a reaction by a non-participant",
        _set(reactions={"👍": ["carol"]}),
        False,
        rules_valid=True,
        why="reaction lists are map values keyed by emoji (UNENFORCED: the message rules let "
        "each participant change only their own uid)",
    ),
    Case(Message, "a reply id with a slash", _set(replyTo="m/1"), False),
    # tapestry and reports
    Case(TapestryThread, "a story of 9 characters", _set(story="Too short"), False),
    Case(TapestryThread, "a custom colour", _set(appearance={"color": "#A1B2C3"}), True),
    Case(
        TapestryThread,
        "a photo of the story",
        _set(photo=_attachment(storagePath="uploads/alice/stories/t1/a.jpg")),
        True,
    ),
    Case(
        TapestryThread,
        "a photo uploaded by someone else",
        _set(photo=_attachment(ownerId="bob", storagePath="uploads/bob/stories/t1/a.jpg")),
        False,
    ),
    Case(
        TapestryThread,
        "a photo from the nominator's request folder",
        _set(photo=_attachment()),
        False,
    ),
    Case(
        TapestryThread,
        "a PDF as the story's photo",
        _set(
            photo=_attachment(
                contentType="application/pdf",
                storagePath="uploads/alice/stories/t1/a.pdf",
            )
        ),
        False,
    ),
    Case(
        TapestryThread, "a colour neither named nor hex", _set(appearance={"color": "teal"}), False
    ),
    Case(
        TapestryThread,
        "an area geohash of 6 characters",
        _set(area={"geohash": "u05kq4", "label": "Lyon"}),
        False,
    ),
    Case(TapestryThread, "a category outside the enum", _set(category="luck"), False),
    Case(
        ThreadNomination,
        "consent without a subject",
        _set(subjectConsent="credit", consentAt=LATER),
        False,
    ),
    Case(ThreadNomination, "the nominator as subject", _set(subjectId="alice"), False),
    Case(
        ThreadNomination,
        "an answer without a time",
        _set(subjectId="bob", subjectConsent="credit"),
        False,
    ),
    Case(
        ThreadNomination,
        "an answer",
        _set(subjectId="bob", subjectConsent="credit", consentAt=LATER),
        True,
    ),
    Case(ThreadHeart, "a heart with a comment", _set(comment="so moving"), False),
    Case(ThreadHeart, "a heart without a time", _set(createdAt=None), False),
    Case(Report, "a request reported as a message", _set(targetType="message"), False),
    Case(
        Report,
        "a nested document reported",
        _set(targetPath=_ref("requests/r1/private/location")),
        False,
    ),
    Case(Report, "'other' without details", _set(reason="other", details=None), False),
    Case(Report, "'other' with blank details", _set(reason="other", details="   "), False),
    Case(Report, "'other' explained", _set(reason="other", details="Feels off."), True),
    Case(Report, "details of 2001 characters", _set(details="x" * 2001), False),
]


@cache
def _rules() -> Rules:
    """The generated section inside a ruleset that checks `/check/{model}` creations."""
    documents = {
        document.model: document
        for document in document_rules(build_schema_set(collection_specs().values()))
    }
    section = render_section(collection_specs().values())
    branches = []
    for model in BASES:
        document = documents[model.__name__]
        prefix = document.prefix
        check = (
            f"d.keys().hasAll({prefix}RequiredKeys()) && d.keys().hasOnly({prefix}CreateKeys())"
            f" && {prefix}Fields(d, d.keys())"
        )
        if f"function {prefix}Invariants(" in section:
            check += f" && {prefix}Invariants(d)"
        branches.append(f"      function is{model.__name__}Document(d) {{ return {check}; }}")
        branches.append(
            f"      allow create: if model == '{model.__name__}'"
            f" && is{model.__name__}Document(request.resource.data);"
        )
    source = (
        "rules_version = '2';\nservice cloud.firestore {\n"
        "  match /databases/{database}/documents {\n"
        + section
        + "    match /check/{model} {\n"
        + "\n".join(branches)
        + "\n    }\n  }\n}\n"
    )
    return Rules.from_source(source, "agreement.rules")


def _document(case: Case) -> Document:
    document = _client_part(BASES[case.model]())
    case.change(document)
    return document


def _model_accepts(model: type[BaseModel], document: Document) -> bool:
    try:
        from_document(model, document)
    except ValidationError:
        return False
    return True


def _rules_accept(model: type[BaseModel], document: Document) -> bool:
    request = RulesRequest(
        method="create",
        path=f"check/{model.__name__}",
        auth=Auth("alice"),
        request_resource=document,
    )
    return _rules().evaluate(request).allowed


def test_every_client_written_model_has_a_base_document():
    """The table starts from a valid document of each model a client writes."""
    written = {
        document.model
        for document in document_rules(build_schema_set(collection_specs().values()))
        if document.creatable
    }
    assert {model.__name__ for model in BASES} == written


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_models_and_rules_agree(case):
    """The model accepts the document exactly when the generated rules do (divergences
    state what each side says, and why)."""
    document = _document(case)
    assert _model_accepts(case.model, document) is case.valid
    expected = case.valid if case.rules_valid is None else case.rules_valid
    assert _rules_accept(case.model, document) is expected


def test_divergences_are_explained():
    """Each case where the two sides differ says why."""
    assert all(case.why for case in CASES if case.rules_valid not in (None, case.valid))
