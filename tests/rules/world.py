"""The small community every rules test starts from: named actors, and one or two documents of
each kind, built from the models so that every seeded document is one the models accept.

Alice owns most things (a profile, requests, offerings, a story); Bob is her counterpart (dm
partner, accepted helper, reveal counterpart, reporter); Olga organises an event with Colin;
Vera is a verified provider; Mona moderates; Ada administers; Sue is suspended; Sam is any
other signed-in member.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any, Final

import pygeohash
from google.cloud.firestore_v1 import GeoPoint

from mitche.models import (
    AccountStatus,
    Achievement,
    AchievementCategory,
    AchievementCriterion,
    AchievementRarity,
    AchievementTier,
    ActorRole,
    AnalyticsDay,
    Approval,
    ApprovalState,
    Attachment,
    AttachmentContentType,
    Block,
    CommunityEvent,
    Conversation,
    ConversationType,
    CounterShard,
    Device,
    DevicePlatform,
    EventAccess,
    EventCategory,
    EventCheckIn,
    EventFormat,
    EventStatus,
    ExactLocation,
    HelpCategory,
    HelpfulVote,
    HelpRequest,
    HopeAction,
    HopeCategory,
    HopeLedgerEntry,
    KeyAlgorithm,
    MemberDataKey,
    Message,
    MessageType,
    MitcheModel,
    Moderation,
    ModerationSettings,
    ModerationState,
    Notification,
    NotificationInbox,
    NotificationKind,
    Offering,
    OfferingType,
    PrivacySettings,
    PrivateAccount,
    Privileges,
    Profile,
    Provider,
    ProviderApplication,
    PublicKey,
    PublicSettings,
    Registration,
    Report,
    ReportAction,
    ReportActionKind,
    ReportCase,
    ReportReason,
    ReportSeverity,
    ReportTargetType,
    ReportTriage,
    RequestLocation,
    RequestStatus,
    Resource,
    ResourceCategory,
    ResourceReview,
    ResourceStatus,
    RevealConsent,
    RevealGrant,
    SealedIdentity,
    Security,
    TapestryThread,
    ThreadHeart,
    ThreadNomination,
    ThreadPlacement,
    ThreadReview,
    ThreadStatus,
    ThreadSubject,
    User,
    UserAchievement,
    Visibility,
    public_location,
)
from mitche.models.user_achievements import AchievementDisplay, AchievementProgress

__all__ = [
    "ACTORS",
    "HOME",
    "Actor",
    "make_attachment",
    "make_conversation",
    "make_event",
    "make_exact",
    "make_message",
    "make_notification",
    "make_offering",
    "make_report",
    "make_request",
    "make_resource",
    "make_thread",
    "make_user",
    "report_id",
    "world",
]

HOME: Final = GeoPoint(45.7578, 4.8320)
"""Where the community lives (Lyon, Bellecour)."""


@dataclass(frozen=True, slots=True)
class Actor:
    """A caller of the access matrix: a column of the table."""

    name: str
    """Column name in the matrix (`owner`, `moderator`...)."""
    uid: str | None
    """Firebase uid; None for the signed-out visitor."""
    claims: dict[str, Any] = field(default_factory=dict)
    """Custom claims of the ID token, as the backend sets them."""


def _actors(now: dt.datetime) -> tuple[Actor, ...]:
    suspended_until = int((now + dt.timedelta(days=7)).timestamp())
    return (
        Actor("anonymous", None),
        Actor("user", "sam", {"role": "user", "accountStatus": "active"}),
        Actor("owner", "alice", {"role": "user", "accountStatus": "active"}),
        Actor("participant", "bob", {"role": "user", "accountStatus": "warned"}),
        Actor("organizer", "olga", {"role": "user"}),
        Actor("coorganizer", "colin", {"role": "user"}),
        Actor("provider", "vera", {"role": "user", "verifiedProvider": True}),
        Actor("moderator", "mona", {"role": "moderator"}),
        Actor("admin", "ada", {"role": "admin"}),
        Actor(
            "suspended",
            "sue",
            {"role": "user", "accountStatus": "suspended", "suspendedUntil": suspended_until},
        ),
    )


ACTORS: Final = _actors(dt.datetime.now(dt.UTC))
"""The matrix's columns, in order (suspension measured from the start of the session)."""


def make_exact(point: GeoPoint = HOME, address: str | None = "12 rue de la Paix") -> ExactLocation:
    """An exact location with its 9-character geohash."""
    geohash = pygeohash.encode(point.latitude, point.longitude, 9)
    return ExactLocation(point=point, geohash=geohash, address=address)


def make_attachment(
    owner: str,
    folder: str,
    name: str = "photo.jpg",
    content_type: AttachmentContentType = AttachmentContentType.JPEG,
) -> Attachment:
    """A file uploaded under the owner's prefix."""
    return Attachment(
        storage_path=f"uploads/{owner}/{folder}/{name}",
        owner_id=owner,
        content_type=content_type,
        size_bytes=120_000,
    )


def make_user(
    uid: str, at: dt.datetime, visibility: Visibility = Visibility.COMMUNITY, **fields: Any
) -> User:
    """A member's public document."""
    return User(
        profile=Profile(display_name=uid.title(), anonymous_alias=f"Quiet {uid.title()} 7"),
        privacy=PrivacySettings(profile_visibility=visibility),
        created_at=at,
        updated_at=at,
        **fields,
    )


def make_notification(recipient: str, at: dt.datetime) -> Notification:
    """An unread notification, as `mitche.handlers.notify` writes it."""
    return Notification(
        kind=NotificationKind.LEVEL_UP,
        params={"level": "2"},
        locale="en",
        title="Level up",
        body="You reached level 2.",
        target=f"users/{recipient}",
        last_key=f"seed:{recipient}",
        created_at=at,
        updated_at=at,
        expires_at=at + dt.timedelta(days=90),
    )


def make_request(requester: str, at: dt.datetime, **fields: Any) -> HelpRequest:
    """An open request for groceries near home."""
    values: dict[str, Any] = {
        "requester_id": requester,
        "title": "Groceries for the week",
        "description": "I cannot carry heavy bags after my surgery.",
        "category": HelpCategory.FOOD,
        "location": public_location(HOME, "Bellecour, Lyon"),
        "created_at": at,
        "updated_at": at,
    }
    values.update(fields)
    return HelpRequest(**values)


def make_offering(
    helper: str, at: dt.datetime, *, unchecked: bool = False, **fields: Any
) -> Offering:
    """A standing offer of help (no request answered); `unchecked` skips the model's
    validation, for documents a hostile client sends."""
    values: dict[str, Any] = {
        "helper_id": helper,
        "offering_type": OfferingType.HELP,
        "title": "Lifts to the hospital",
        "description": "I drive on weekday mornings.",
        "category": HelpCategory.TRANSPORT,
        "created_at": at,
        "updated_at": at,
    }
    values.update(fields)
    return Offering.model_construct(**values) if unchecked else Offering(**values)


def make_event(organizer: str, at: dt.datetime, **fields: Any) -> CommunityEvent:
    """A meal share in a week's time."""
    starts = at + dt.timedelta(days=8)
    values: dict[str, Any] = {
        "organizer_id": organizer,
        "title": "Sunday meal share",
        "description": "Bring a dish, share a meal.",
        "category": EventCategory.MEAL_SHARE,
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=3),
        "time_zone": "Europe/Paris",
        "format": EventFormat.IN_PERSON,
        "location": public_location(HOME, "Bellecour, Lyon"),
        "created_at": at,
        "updated_at": at,
    }
    values.update(fields)
    return CommunityEvent(**values)


def make_resource(submitter: str, at: dt.datetime, **fields: Any) -> Resource:
    """A food bank's weekly distribution."""
    values: dict[str, Any] = {
        "submitted_by": submitter,
        "name": "Bellecour food bank",
        "description": "Fresh produce every Tuesday.",
        "category": ResourceCategory.FOOD,
        "provider": Provider(name="Banque alimentaire du Rhône"),
        "location": make_exact(address="3 place Bellecour"),
        "languages": ["fr", "en"],
        "created_at": at,
        "updated_at": at,
    }
    values.update(fields)
    return Resource(**values)


def make_conversation(
    creator: str,
    participants: list[str],
    at: dt.datetime,
    *,
    unchecked: bool = False,
    **fields: Any,
) -> Conversation:
    """A direct conversation unless `conversation_type` says otherwise."""
    values: dict[str, Any] = {
        "conversation_type": ConversationType.DM,
        "created_by": creator,
        "participant_ids": participants,
        "created_at": at,
        "updated_at": at,
    }
    values.update(fields)
    return Conversation.model_construct(**values) if unchecked else Conversation(**values)


def make_message(
    sender: str,
    conversation: str,
    participants: list[str],
    at: dt.datetime,
    *,
    unchecked: bool = False,
    **fields: Any,
) -> Message:
    """A text message; `unchecked` skips the model's validation."""
    values: dict[str, Any] = {
        "conversation_id": conversation,
        "participant_ids": participants,
        "sender_id": sender,
        "message_type": MessageType.TEXT,
        "text": "See you at ten?",
        "created_at": at,
    }
    values.update(fields)
    return Message.model_construct(**values) if unchecked else Message(**values)


def make_thread(nominator: str, at: dt.datetime, **fields: Any) -> TapestryThread:
    """A pending story of help."""
    values: dict[str, Any] = {
        "nominator_id": nominator,
        "subject": ThreadSubject.MEMBER,
        "title": "The neighbour who fixed my heater",
        "story": "In the coldest week of the year, he came with his tools and stayed.",
        "category": HopeCategory.SILENT_HERO,
        "created_at": at,
        "updated_at": at,
    }
    values.update(fields)
    return TapestryThread(**values)


def report_id(target_path: str, reporter: str) -> str:
    """The deterministic report id the rules require (mitche.domain.moderation)."""
    return f"{hashlib.sha256(target_path.encode()).hexdigest()[:40]}_{reporter}"


def make_report(
    reporter: str, target_path: str, at: dt.datetime, *, unchecked: bool = False, **fields: Any
) -> Report:
    """A report about a request unless `target_type` says otherwise."""
    values: dict[str, Any] = {
        "reporter_id": reporter,
        "target_type": ReportTargetType.REQUEST,
        "target_path": target_path,
        "reason": ReportReason.SCAM,
        "details": "Asks for money by wire transfer.",
        "created_at": at,
    }
    values.update(fields)
    return Report.model_construct(**values) if unchecked else Report(**values)


def _approved_thread(at: dt.datetime) -> TapestryThread:
    return make_thread(
        "alice",
        at,
        status=ThreadStatus.APPROVED,
        review=ThreadReview(reviewer_id="mona", reviewed_at=at),
        placement=ThreadPlacement(thread_index=0, panel=at.strftime("%Y-%m"), woven_at=at),
        moderation=Moderation(status=ModerationState.APPROVED),
    )


def _achievement(name: str, at: dt.datetime, *, hidden: bool) -> Achievement:
    return Achievement(
        name=name,
        description="Helped ten neighbours.",
        icon="heart-hands",
        category=AchievementCategory.HELPING,
        rarity=AchievementRarity.RARE,
        criterion=AchievementCriterion(stat="requestsFulfilled"),
        tiers=[AchievementTier(tier=1, threshold=10, title="Helper")],
        reward_category=HopeCategory.SILENT_HERO,
        hidden=hidden,
        created_at=at,
        updated_at=at,
    )


def world(now: dt.datetime) -> dict[str, MitcheModel | dict[str, Any]]:
    """Every seeded document by path (models; plain dicts where no model exists)."""
    past = now - dt.timedelta(days=2)
    earlier = past - dt.timedelta(days=1)
    shown = Moderation(status=ModerationState.APPROVED)
    docs: dict[str, MitcheModel | dict[str, Any]] = {}
    for actor in ACTORS:
        if actor.uid is not None:
            docs[f"users/{actor.uid}"] = make_user(actor.uid, earlier)
    sealed = "sealed:v1:" + "A" * 40
    docs["users/alice/private/identity"] = SealedIdentity(
        legal_name=sealed, email=sealed, home=sealed, updated_at=past
    )
    docs["users/alice/private/dataKey"] = MemberDataKey(
        wrapped_key="A" * 60, kek_version="local-1", created_at=past
    )
    docs["users/alice/publicKeys/phone"] = PublicKey(
        algorithm=KeyAlgorithm.X25519, public_key="B" * 43, label="phone", created_at=past
    )
    answer = {"granted": True, "version": "1", "answeredAt": earlier}
    docs["users/alice/private/consents"] = {
        "termsVersion": "2026-11",
        "termsAcceptedAt": earlier,
        "analytics": answer,
        "leaderboards": answer,
        "updatedAt": earlier,
    }
    docs["users/alice/private/export"] = {
        "exportId": "x1",
        "status": "running",
        "requestedAt": past,
        "updatedAt": past,
    }
    docs["users/alice/private/account"] = PrivateAccount(
        security=Security(account_status=AccountStatus.WARNED, strikes=1, last_strike_at=earlier),
        last_request_at=earlier,
        last_message_at=past,
    )
    # Levels' privileges (copied by the member trigger): olga and colin reached Sprout and
    # organise events; vera is a Mentor. Everyone else is level 1 (no map).
    sprout = Privileges(level=3, max_open_requests=4, can_organize_events=True)
    docs["users/olga/private/account"] = PrivateAccount(privileges=sprout)
    docs["users/colin/private/account"] = PrivateAccount(privileges=sprout)
    docs["users/vera/private/account"] = PrivateAccount(
        privileges=Privileges(
            level=20, max_open_requests=8, can_organize_events=True, mentorship_eligible=True
        )
    )
    docs["users/alice/hopeLedger/e1"] = HopeLedgerEntry(
        action=HopeAction.OFFERING_MADE,
        category=HopeCategory.SILENT_HERO,
        event_id="evt-1",
        base=10,
        amount=10,
        created_at=past,
    )
    docs["users/alice/revealConsents/bob"] = RevealConsent(
        counterpart_id="bob", context="conversations/conv-ab", created_at=past, updated_at=past
    )
    docs["users/bob/revealConsents/alice"] = RevealConsent(
        counterpart_id="alice",
        context="conversations/conv-ab",
        created_at=past,
        updated_at=past,
        completed_at=past,
    )
    docs["users/alice/revealGrants/bob"] = RevealGrant(
        counterpart_id="bob", context="conversations/conv-ab", completed_at=past
    )
    docs["users/alice/notifications/n1"] = make_notification("alice", past)
    docs["users/alice/notificationInbox/summary"] = NotificationInbox(unread=1, updated_at=past)
    docs["users/alice/blocks/mallory"] = Block(member_id="mallory", created_at=past)
    docs["users/alice/devices/d1"] = Device(
        token="alice-phone-token", platform=DevicePlatform.IOS, created_at=past, last_seen_at=past
    )
    docs["requests/req-alice"] = make_request(
        "alice",
        earlier,
        status=RequestStatus.IN_PROGRESS,
        accepted_helper_ids=["bob"],
        attachments=[make_attachment("alice", "requests/req-alice")],
        moderation=shown,
    )
    docs["requests/req-alice/private/location"] = RequestLocation(
        exact=make_exact(), instructions="Third floor, code 4521", updated_at=earlier
    )
    docs["requests/req-draft"] = make_request(
        "alice", earlier, title="Draft request", visibility=Visibility.PRIVATE
    )
    docs["requests/req-bob"] = make_request("bob", earlier, moderation=shown)
    docs["offerings/off-answer"] = make_offering(
        "alice",
        earlier,
        request_path="requests/req-bob",
        requester_id="bob",
        visibility=Visibility.PRIVATE,
    )
    docs["offerings/off-standing"] = make_offering("alice", earlier, moderation=shown)
    docs["communityEvents/evt-pub"] = make_event(
        "olga",
        earlier,
        co_organizer_ids=["colin"],
        status=EventStatus.SCHEDULED,
        approval=Approval(state=ApprovalState.APPROVED, submitted_at=earlier, decided_at=earlier),
        moderation=shown,
    )
    docs["communityEvents/evt-draft"] = make_event("olga", earlier, title="Draft workshop")
    docs["communityEvents/evt-done"] = make_event(
        "olga",
        earlier - dt.timedelta(days=30),
        co_organizer_ids=["colin"],
        title="Park clean-up",
        status=EventStatus.COMPLETED,
        approval=Approval(state=ApprovalState.APPROVED, submitted_at=earlier, decided_at=earlier),
        moderation=shown,
    )
    docs["communityEvents/evt-pub/private/access"] = EventAccess(
        venue=make_exact(address="Salle des fêtes, 1 rue Victor Hugo"),
        instructions="Ring twice.",
        updated_at=earlier,
    )
    docs["communityEvents/evt-pub/registrations/alice"] = Registration(
        user_id="alice", created_at=earlier, updated_at=earlier
    )
    docs["communityEvents/evt-pub/private/checkIn"] = EventCheckIn(
        code="K7P2QX", created_at=earlier
    )
    docs["resources/res-pub"] = make_resource(
        "vera", earlier, status=ResourceStatus.ACTIVE, moderation=shown
    )
    docs["resources/res-draft"] = make_resource("alice", earlier, name="Draft clinic")
    docs["resources/res-pub/reviews/alice"] = ResourceReview(
        author_id="alice", rating=5, comment="Kind volunteers.", created_at=past, updated_at=past
    )
    docs["resources/res-pub/reviews/alice/helpful/bob"] = HelpfulVote(
        user_id="bob", created_at=past
    )
    docs["resources/res-draft/private/providerApplication"] = ProviderApplication(
        applicant_id="alice",
        role_in_organization="Volunteer coordinator",
        evidence="Registry number W691234567, listed on the association's page.",
        applied_at=earlier,
        updated_at=earlier,
    )
    docs["conversations/conv-ab"] = make_conversation("alice", ["alice", "bob"], earlier)
    docs["conversations/conv-support"] = make_conversation(
        "alice", ["alice"], earlier, conversation_type=ConversationType.SUPPORT, title="Help"
    )
    docs["messages/msg-ab"] = make_message(
        "alice", "conv-ab", ["alice", "bob"], past, moderation=shown
    )
    docs["messages/msg-held"] = make_message(
        "alice",
        "conv-ab",
        ["alice", "bob"],
        past,
        text="Wire me the deposit first",
        moderation=Moderation(status=ModerationState.HIDDEN, reason="held for a moderator"),
    )
    docs["messages/msg-ba"] = make_message("bob", "conv-ab", ["alice", "bob"], past)
    docs["messages/msg-photo"] = make_message(
        "alice",
        "conv-ab",
        ["alice", "bob"],
        past,
        message_type=MessageType.IMAGE,
        text=None,
        attachment=make_attachment("alice", "messages/conv-ab/msg-photo", "map.jpg"),
        moderation=shown,
    )
    # Sent before bob joined the conversation: its copy of the participants is alice's alone.
    docs["messages/msg-early"] = make_message(
        "alice", "conv-ab", ["alice"], earlier, text="Note to self", moderation=shown
    )
    docs["tapestryThreads/thr-approved"] = _approved_thread(earlier)
    docs["tapestryThreads/thr-pending"] = make_thread("alice", earlier, title="Pending story")
    docs["tapestryThreads/thr-approved/private/nomination"] = ThreadNomination(
        nominator_id="alice", subject_id="bob", created_at=earlier
    )
    docs["tapestryThreads/thr-about-bob"] = make_thread(
        "alice", earlier, subject=ThreadSubject.MEMBER, title="What bob did"
    )
    docs["tapestryThreads/thr-about-bob/private/nomination"] = ThreadNomination(
        nominator_id="alice", subject_id="bob", created_at=earlier
    )
    docs["tapestryThreads/thr-approved/hearts/bob"] = ThreadHeart(user_id="bob", created_at=past)
    reported = "requests/req-alice"
    docs[f"reports/{report_id(reported, 'bob')}"] = make_report("bob", reported, past)
    docs[f"reports/{report_id(reported, 'bob')}/private/case"] = ReportCase(
        target_owner_id="alice",
        triage=ReportTriage(
            classified_at=past, reason_severity=ReportSeverity.LOW, severity=ReportSeverity.LOW
        ),
        assigned_moderator_id="mona",
        assigned_at=past,
        updated_at=past,
    )
    docs[f"reports/{report_id(reported, 'bob')}/actions/a1"] = ReportAction(
        kind=ReportActionKind.CLASSIFIED, actor_role=ActorRole.SYSTEM, at=past
    )
    docs["achievements/ach-visible"] = _achievement("Good neighbour", earlier, hidden=False)
    docs["achievements/ach-hidden"] = _achievement("Night owl", earlier, hidden=True)
    docs["userAchievements/alice_ach-visible"] = UserAchievement(
        user_id="alice",
        achievement_id="ach-visible",
        display=AchievementDisplay(
            name="Good neighbour",
            description="Helped ten neighbours.",
            icon="heart-hands",
            category=AchievementCategory.HELPING,
            rarity=AchievementRarity.RARE,
            tier_count=1,
        ),
        progress=AchievementProgress(value=3, next_threshold=10, updated_at=past),
        created_at=past,
        updated_at=past,
    )
    day = (now - dt.timedelta(days=3)).date().isoformat()
    docs[f"analytics/{day}"] = AnalyticsDay(day=day, computed_at=now - dt.timedelta(days=1))
    docs[f"analytics/{day}/shards/0"] = CounterShard(day=day, shard=0, updated_at=past)
    docs["systemSettings/public"] = PublicSettings()
    docs["systemSettings/moderation"] = ModerationSettings()
    docs["systemSettings/leaderboards/boards/allTime"] = {"board": "allTime"}
    docs["systemSettings/leaderboards/boards/allTime/entries/e1"] = {
        "alias": "Quiet Alice 7",
        "points": 120,
    }
    return docs


def analytics_day(now: dt.datetime) -> str:
    """The id of the seeded analytics day."""
    return (now - dt.timedelta(days=3)).date().isoformat()
