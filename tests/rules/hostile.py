"""What a hostile client tries, and what the rules answer: privilege escalation, spoofed
authors, other members' documents, identity and exact-location reads, queries without the
constraints the rules require, oversized and malformed documents, reports of unreadable
content, writes while suspended, and rate-limit violations. A few cases are allowed on
purpose: the honest twin of an attack, so that a refusal is known to come from the attack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from google.cloud.firestore import DELETE_FIELD, SERVER_TIMESTAMP, Client, FieldFilter

from mitche.domain.aliases import alias_claim_path
from mitche.models import (
    AttachmentContentType,
    ConversationType,
    Message,
    MessageType,
    ReportTargetType,
    ResourceReview,
    RevealConsent,
)
from mitche.services.codec import to_document

from .scenarios import SCENARIOS, Context
from .world import (
    make_attachment,
    make_conversation,
    make_event,
    make_message,
    make_offering,
    make_report,
    make_request,
    make_thread,
    report_id,
)

__all__ = ["CASES", "HostileCase"]

Prepare = Callable[[Client, dt.datetime], None]


@dataclass(frozen=True, slots=True)
class HostileCase:
    """One attempt: who tries what, and whether the rules let it through."""

    category: str
    description: str
    actor: str
    """Actor name (a column of the matrix), or a custom actor in `CUSTOM_ACTORS`."""
    run: Callable[[Context], None]
    allowed: bool = False
    prepare: Prepare | None = None

    @property
    def id(self) -> str:
        """Test id."""
        return f"{self.category}: {self.description}"


CASES: list[HostileCase] = []

CUSTOM_ACTORS: dict[str, tuple[str, dict[str, Any]]] = {
    "banned": ("ben", {"role": "user", "accountStatus": "banned"}),
    "deactivated": ("dee", {"role": "user", "accountStatus": "deactivated"}),
    "formerly suspended": ("sue", {"accountStatus": "suspended", "suspendedUntil": 1_000_000}),
    "unverified": ("una", {"role": "user", "accountStatus": "active", "email_verified": False}),
}
"""Actors beyond the matrix's columns: uid and claims."""


def case(
    category: str,
    description: str,
    actor: str,
    *,
    allowed: bool = False,
    prepare: Prepare | None = None,
) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Register the decorated function as a hostile case."""

    def register(run: Callable[[Context], None]) -> Callable[[Context], None]:
        CASES.append(HostileCase(category, description, actor, run, allowed, prepare))
        return run

    return register


def _update(path: str, changes: dict[str, Any]) -> Callable[[Context], None]:
    def run(ctx: Context) -> None:
        ctx.db.document(path).update(changes)

    return run


def _set_fields(path: str, changes: dict[str, Any]) -> Prepare:
    def prepare(owner: Client, now: dt.datetime) -> None:
        owner.document(path).update(changes)

    return prepare


def _request_data(ctx: Context, **fields: Any) -> dict[str, Any]:
    return ctx.data(make_request(ctx.me, ctx.now, **fields), "createdAt", "updatedAt")


def _create_request(ctx: Context, data: dict[str, Any], *, stamp: bool = True) -> None:
    if stamp:
        ctx.create_with_stamp("requests/attempt", data, "lastRequest")
    else:
        ctx.db.document("requests/attempt").create(data)


# ---- privilege escalation ------------------------------------------------------------------

ESCALATION = "privilege escalation"

_STRUCK = _set_fields("users/alice", {"security.accountStatus": "warned", "security.strikes": 2})
for _key, _value in (
    ("security.role", "admin"),
    ("security.verifiedProvider", True),
    ("security.accountStatus", "active"),
    ("security.strikes", 0),
    ("gamification.hopePoints.total", 1_000_000),
    ("gamification.level", 100),
    ("stats.requestsFulfilled", 500),
    ("stats.ratingsByCategory.transport", {"count": 12, "average": 5.0}),
    ("reveal.completed", 3),
):
    case(ESCALATION, f"a member sets their own {_key}", "owner", prepare=_STRUCK)(
        _update("users/alice", {_key: _value, "updatedAt": SERVER_TIMESTAMP})
    )
for _key, _value in (
    ("security.role", "admin"),
    ("security.accountStatus", "active"),
    ("security.strikes", 0),
    ("security.verifiedProvider", True),
):
    case(ESCALATION, f"a member sets their own account's {_key}", "owner")(
        _update("users/alice/private/account", {_key: _value})
    )


@case(
    ESCALATION,
    "a new member creates a profile that makes them an admin",
    "owner",
    prepare=lambda owner, now: owner.document("users/alice").delete(),
)
def _(ctx: Context) -> None:
    ctx.db.document("users/alice").create(
        {
            "profile": {"displayName": "Alice", "anonymousAlias": "Quiet Alice"},
            "security": {"role": "admin"},
            "createdAt": SERVER_TIMESTAMP,
            "updatedAt": SERVER_TIMESTAMP,
        }
    )


_HIDDEN = _set_fields("requests/req-alice", {"moderation.status": "hidden"})
for _path, _key, _value in (
    ("requests/req-alice", "moderation.status", "approved"),
    ("requests/req-alice", "verification.status", "verified"),
    ("requests/req-alice", "metrics.views", 10_000),
    ("offerings/off-standing", "rewards.points", 500),
    ("tapestryThreads/thr-pending", "status", "approved"),
    ("resources/res-draft", "providerVerification.status", "verified"),
    ("resources/res-draft", "rating.average", 5.0),
    ("userAchievements/alice_ach-visible", "progress.tier", 1),
):
    case(ESCALATION, f"an owner sets {_path.split('/')[0]} {_key}", "owner", prepare=_HIDDEN)(
        _update(_path, {_key: _value, "updatedAt": SERVER_TIMESTAMP})
    )


case(ESCALATION, "an organiser approves their own event", "organizer")(
    _update(
        "communityEvents/evt-draft",
        {"approval.state": "approved", "status": "scheduled", "updatedAt": SERVER_TIMESTAMP},
    )
)
case(ESCALATION, "a member publishes a service without being a verified provider", "owner")(
    _update("resources/res-draft", {"status": "active", "updatedAt": SERVER_TIMESTAMP})
)
case(
    ESCALATION,
    "a verified provider publishes their draft",
    "provider",
    allowed=True,
    prepare=lambda owner, now: owner.document("resources/res-draft").update(
        {"submittedBy": "vera"}
    ),
)(_update("resources/res-draft", {"status": "active", "updatedAt": SERVER_TIMESTAMP}))
case(ESCALATION, "a reporter resolves their own report", "participant")(
    _update(f"reports/{report_id('requests/req-alice', 'bob')}", {"status": "resolved"})
)
case(ESCALATION, "a moderator writes a report's resolution from a client", "moderator")(
    _update(
        f"reports/{report_id('requests/req-alice', 'bob')}",
        {"status": "dismissed", "resolution": {"action": "dismiss"}},
    )
)
case(ESCALATION, "an admin writes the settings from a client", "admin")(
    _update("systemSettings/public", {"config.rateLimits.requestSeconds": 0})
)
case(ESCALATION, "a member grants themselves another member's identity", "user")(
    lambda ctx: ctx.db.document("users/alice/revealGrants/sam").set(
        {"counterpartId": "sam", "completedAt": SERVER_TIMESTAMP}
    )
)
case(ESCALATION, "a member writes a reveal consent's completion", "owner")(
    _update(
        "users/alice/revealConsents/bob",
        {"completedAt": SERVER_TIMESTAMP, "updatedAt": SERVER_TIMESTAMP},
    )
)
case(
    ESCALATION,
    "a member acknowledges a notification (the one field they write)",
    "owner",
    allowed=True,
)(_update("userAchievements/alice_ach-visible", {"seenAt": SERVER_TIMESTAMP}))

# ---- spoofed authors -----------------------------------------------------------------------

SPOOF = "spoofed author"


@case(SPOOF, "a request in alice's name", "user")
def _(ctx: Context) -> None:
    data = ctx.data(make_request("alice", ctx.now), "createdAt", "updatedAt")
    _create_request(ctx, data)


@case(SPOOF, "an offering in alice's name", "user")
def _(ctx: Context) -> None:
    data = ctx.data(make_offering("alice", ctx.now, request_path=None), "createdAt", "updatedAt")
    data["requestPath"] = None
    ctx.create_with_stamp("offerings/attempt", data, "lastOffering")


@case(SPOOF, "a message in alice's name", "participant")
def _(ctx: Context) -> None:
    message = make_message("alice", "conv-ab", ["alice", "bob"], ctx.now)
    ctx.create_with_stamp("messages/attempt", ctx.data(message, "createdAt"), "lastMessage")


@case(SPOOF, "a message whose participant copy adds the sender", "user")
def _(ctx: Context) -> None:
    message = make_message("sam", "conv-ab", ["alice", "bob", "sam"], ctx.now)
    ctx.create_with_stamp("messages/attempt", ctx.data(message, "createdAt"), "lastMessage")


@case(SPOOF, "a report in bob's name", "user")
def _(ctx: Context) -> None:
    report = make_report("bob", "requests/req-alice", ctx.now)
    path = f"reports/{report_id('requests/req-alice', 'sam')}"
    ctx.create_with_stamp(path, ctx.data(report, "createdAt"), "lastReport")


@case(SPOOF, "a story nominated in alice's name", "user")
def _(ctx: Context) -> None:
    thread = make_thread("alice", ctx.now)
    ctx.create_with_stamp(
        "tapestryThreads/attempt", ctx.data(thread, "createdAt", "updatedAt"), "lastStory"
    )


@case(SPOOF, "a registration for alice", "user")
def _(ctx: Context) -> None:
    ctx.db.document("communityEvents/evt-pub/registrations/alice").set(
        {"userId": "alice", "createdAt": SERVER_TIMESTAMP, "updatedAt": SERVER_TIMESTAMP}
    )


@case(SPOOF, "a review under one's own id naming alice as its author", "user")
def _(ctx: Context) -> None:
    ctx.create_with_stamp(
        "resources/res-pub/reviews/sam",
        {
            "authorId": "alice",
            "rating": 1,
            "createdAt": SERVER_TIMESTAMP,
            "updatedAt": SERVER_TIMESTAMP,
        },
        "lastReview",
    )


@case(SPOOF, "a conversation created in alice's name", "user")
def _(ctx: Context) -> None:
    conversation = make_conversation("alice", ["alice", "sam"], ctx.now)
    ctx.create_with_stamp(
        "conversations/attempt",
        ctx.data(conversation, "createdAt", "updatedAt"),
        "lastConversation",
    )


@case(SPOOF, "a heart in bob's name", "user")
def _(ctx: Context) -> None:
    ctx.create_with_stamp(
        "tapestryThreads/thr-approved/hearts/sam",
        {"userId": "bob", "createdAt": SERVER_TIMESTAMP},
        "lastHeart",
    )


# ---- other members' documents --------------------------------------------------------------

OTHERS = "other members' documents"

case(OTHERS, "editing alice's profile", "user")(
    _update("users/alice", {"profile.displayName": "Mallory", "updatedAt": SERVER_TIMESTAMP})
)
case(OTHERS, "writing alice's identity", "user")(
    _update(
        "users/alice/private/identity", {"phone": "+33600000000", "updatedAt": SERVER_TIMESTAMP}
    )
)
case(OTHERS, "closing alice's request", "participant")(
    _update("requests/req-alice", {"status": "closed", "updatedAt": SERVER_TIMESTAMP})
)
case(OTHERS, "a helper accepting their own answer", "owner")(
    _update(
        "offerings/off-answer",
        {"status": "accepted", "respondedAt": SERVER_TIMESTAMP, "updatedAt": SERVER_TIMESTAMP},
    )
)


def _claimed_standing_offer(rated: bool) -> Prepare:
    """Alice's standing offer of lifts, claimed by bob (and, with `rated`, completed and rated
    five stars by him)."""

    def prepare(owner: Client, now: dt.datetime) -> None:
        changes: dict[str, Any] = {"requesterId": "bob", "status": "accepted", "respondedAt": now}
        if rated:
            changes.update(
                status="completed",
                completedAt=now,
                requesterFeedback={"authorId": "bob", "rating": 5, "createdAt": now},
            )
        owner.document("offerings/off-standing").update(changes)

    return prepare


for _rated in (False, True):
    _when = "after bob rated it" if _rated else "once bob accepted it"
    case(
        OTHERS,
        f"a helper moving their standing offer into another kind of help {_when}",
        "owner",
        prepare=_claimed_standing_offer(_rated),
    )(_update("offerings/off-standing", {"category": "legal", "updatedAt": SERVER_TIMESTAMP}))
case(
    OTHERS,
    "a helper editing the description of a standing offer bob accepted",
    "owner",
    allowed=True,
    prepare=_claimed_standing_offer(False),
)(
    _update(
        "offerings/off-standing", {"description": "Mornings only", "updatedAt": SERVER_TIMESTAMP}
    )
)
case(OTHERS, "editing the text of alice's message", "participant")(
    _update("messages/msg-ab", {"text": "I owe you money", "editedAt": SERVER_TIMESTAMP})
)
case(OTHERS, "writing alice's read receipt", "participant")(
    _update("messages/msg-ab", {"readBy.alice": SERVER_TIMESTAMP})
)
case(OTHERS, "backdating one's own read receipt", "participant")(
    _update("messages/msg-ab", {"readBy.bob": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)})
)
case(OTHERS, "writing alice's state in the dm", "participant")(
    _update(
        "conversations/conv-ab",
        {
            "participantState.alice": {"joinedAt": SERVER_TIMESTAMP, "muted": True},
            "updatedAt": SERVER_TIMESTAMP,
        },
    )
)
case(OTHERS, "adding a participant to a dm", "owner")(
    _update(
        "conversations/conv-ab",
        {"participantIds": ["alice", "bob", "sam"], "updatedAt": SERVER_TIMESTAMP},
    )
)
_REACTED = _set_fields("messages/msg-ab", {"reactions": {"👍": ["alice"]}})
case(OTHERS, "removing alice's reaction", "participant", prepare=_REACTED)(
    _update("messages/msg-ab", {"reactions.👍": []})
)
case(OTHERS, "adding alice to a reaction", "participant", prepare=_REACTED)(
    _update("messages/msg-ab", {"reactions.❤️": ["alice"]})
)
case(
    OTHERS,
    "adding one's own reaction next to alice's",
    "participant",
    allowed=True,
    prepare=_REACTED,
)(_update("messages/msg-ab", {"reactions.👍": ["alice", "bob"]}))
case(OTHERS, "reacting with a word instead of an emoji", "participant")(
    _update("messages/msg-ab", {"reactions.lol": ["bob"]})
)
case(OTHERS, "answering a nomination about someone else", "owner")(
    _update(
        "tapestryThreads/thr-approved/private/nomination",
        {"subjectConsent": "decline", "consentAt": SERVER_TIMESTAMP},
    )
)
case(OTHERS, "checking oneself in at an event", "owner")(
    _update(
        "communityEvents/evt-pub/registrations/alice",
        {"attendance": "attended", "checkedInAt": SERVER_TIMESTAMP, "updatedAt": SERVER_TIMESTAMP},
    )
)
case(OTHERS, "a co-organiser cancelling the event", "coorganizer")(
    _update("communityEvents/evt-pub", {"status": "cancelled", "updatedAt": SERVER_TIMESTAMP})
)
case(OTHERS, "taking back bob's heart", "owner")(
    lambda ctx: ctx.db.document("tapestryThreads/thr-approved/hearts/bob").delete()
)

# ---- identity and exact location -----------------------------------------------------------

PRIVATE = "identity and exact location"


def _get(path: str) -> Callable[[Context], None]:
    return lambda ctx: ctx.read(path)


case(PRIVATE, "a stranger reads alice's identity", "user")(_get("users/alice/private/identity"))
case(PRIVATE, "a moderator reads alice's identity", "moderator")(
    _get("users/alice/private/identity")
)
case(
    PRIVATE,
    "the counterpart reads alice's identity before the reveal completed",
    "participant",
    prepare=lambda owner, now: owner.document("users/alice/revealGrants/bob").delete(),
)(_get("users/alice/private/identity"))
case(
    PRIVATE,
    "the counterpart reads alice's sealed identity document even after the reveal",
    "participant",
)(_get("users/alice/private/identity"))
case(PRIVATE, "alice reads her own data key", "owner")(_get("users/alice/private/dataKey"))
case(PRIVATE, "an admin reads alice's data key", "admin")(_get("users/alice/private/dataKey"))
case(PRIVATE, "a reveal consent is not a grant", "owner")(_get("users/bob/private/identity"))
case(PRIVATE, "a stranger reads the exact place of alice's request", "user")(
    _get("requests/req-alice/private/location")
)
case(PRIVATE, "an admin reads the exact place of alice's request", "admin")(
    _get("requests/req-alice/private/location")
)
case(
    PRIVATE,
    "a helper no longer accepted reads the exact place",
    "participant",
    prepare=_set_fields("requests/req-alice", {"acceptedHelperIds": [], "status": "open"}),
)(_get("requests/req-alice/private/location"))
case(PRIVATE, "a member not registered reads the event's venue", "user")(
    _get("communityEvents/evt-pub/private/access")
)
case(
    PRIVATE,
    "a member who cancelled reads the event's venue",
    "owner",
    prepare=_set_fields("communityEvents/evt-pub/registrations/alice", {"status": "cancelled"}),
)(_get("communityEvents/evt-pub/private/access"))
case(PRIVATE, "a stranger reads who a story is about", "user")(
    _get("tapestryThreads/thr-approved/private/nomination")
)
case(PRIVATE, "the reported member reads the report about them", "owner")(
    _get(f"reports/{report_id('requests/req-alice', 'bob')}")
)
case(
    PRIVATE, "the reporter reads the sanction and moderator on their report's case", "participant"
)(_get(f"reports/{report_id('requests/req-alice', 'bob')}/private/case"))
case(PRIVATE, "a stranger reads someone's hearts", "user")(
    _get("tapestryThreads/thr-approved/hearts/bob")
)
case(
    PRIVATE,
    "a member reads a profile set to private",
    "user",
    prepare=_set_fields("users/alice", {"privacy.profileVisibility": "private"}),
)(_get("users/alice"))
case(
    PRIVATE,
    "a visitor reads a public profile",
    "anonymous",
    allowed=True,
    prepare=_set_fields("users/alice", {"privacy.profileVisibility": "public"}),
)(_get("users/alice"))

# ---- queries without the required constraints ----------------------------------------------

QUERIES = "queries without constraints"


def _query(
    collection: str, *filters: tuple[str, str, Any], group: bool = False, limit: int | None = None
) -> Callable[[Context], None]:
    def run(ctx: Context) -> None:
        query: Any = ctx.db.collection_group(collection) if group else ctx.db.collection(collection)
        for field, op, value in filters:
            query = query.where(filter=FieldFilter(field, op, value))
        if limit is not None:
            query = query.limit(limit)
        ctx.query(query)

    return run


APPROVED = ("moderation.status", "==", "approved")
case(QUERIES, "every profile", "user")(_query("users"))
case(QUERIES, "every conversation", "user")(_query("conversations"))
case(QUERIES, "alice's conversations", "user")(
    _query("conversations", ("participantIds", "array_contains", "alice"))
)
case(QUERIES, "community requests without the moderation filter", "user")(
    _query("requests", ("visibility", "==", "community"))
)
case(QUERIES, "hidden requests", "user")(
    _query("requests", ("visibility", "==", "community"), ("moderation.status", "==", "hidden"))
)
case(QUERIES, "private requests", "user")(
    _query("requests", ("visibility", "==", "private"), APPROVED)
)
case(QUERIES, "community offerings without requestPath == null", "user")(
    _query("offerings", ("visibility", "==", "community"), APPROVED)
)
case(QUERIES, "events without the approval filter", "user")(
    _query("communityEvents", ("visibility", "==", "community"), APPROVED)
)
case(QUERIES, "resources including drafts", "user")(
    _query("resources", ("visibility", "==", "community"), APPROVED)
)
case(QUERIES, "stories without the status filter", "user")(_query("tapestryThreads", APPROVED))
case(QUERIES, "the catalog without hidden == false", "user")(_query("achievements"))
case(QUERIES, "alice's reports", "user")(_query("reports", ("reporterId", "==", "alice")))
case(QUERIES, "alice's achievements", "user")(_query("userAchievements", ("userId", "==", "alice")))
case(QUERIES, "consents addressed to alice", "user")(
    _query("revealConsents", ("counterpartId", "==", "alice"), group=True)
)
case(QUERIES, "alice's registrations", "user")(
    _query("registrations", ("userId", "==", "alice"), group=True)
)
case(QUERIES, "alice's hearts", "user")(_query("hearts", ("userId", "==", "alice"), group=True))
case(QUERIES, "a whole leaderboard without a limit", "user")(
    _query("systemSettings/leaderboards/boards/allTime/entries")
)
case(QUERIES, "a leaderboard page of 1000", "user")(
    _query("systemSettings/leaderboards/boards/allTime/entries", limit=1000)
)
case(QUERIES, "a leaderboard page of 500", "user", allowed=True)(
    _query("systemSettings/leaderboards/boards/allTime/entries", limit=500)
)
case(QUERIES, "the reporter lists the cases assigned to the moderator", "participant")(
    _query("private", ("assignedModeratorId", "==", "mona"), group=True)
)
case(QUERIES, "messages of a conversation one is not in", "user")(
    _query("messages", ("conversationId", "==", "conv-ab"))
)

# ---- oversized and malformed documents -----------------------------------------------------

MALFORMED = "oversized or malformed"

for _description, _fields in (
    ("a title of 121 characters", {"title": "x" * 121}),
    ("a description of 5001 characters", {"description": "x" * 5001}),
    ("eleven tags", {"tags": [f"tag{i}" for i in range(11)]}),
    ("an upper-case tag", {"tags": ["Groceries"]}),
    ("a category outside the enum", {"category": "weapons"}),
    ("a title that is a number", {"title": 12345}),
    ("an unknown key", {"isUrgent": True}),
    ("a status of fulfilled at creation", {"status": "fulfilled"}),
    ("accepted helpers at creation", {"acceptedHelperIds": ["bob"]}),
    ("no location and no remote help", {"location": DELETE_FIELD}),
    ("a public location with an exact geohash", {"location.geohash": "u05kq4v3x"}),
):

    def _attempt(ctx: Context, fields: dict[str, Any] = _fields) -> None:
        data = _request_data(ctx)
        for key, value in fields.items():
            head, _, tail = key.partition(".")
            if value is DELETE_FIELD:
                data.pop(head)
            elif tail:
                data[head][tail] = value
            else:
                data[key] = value
        _create_request(ctx, data)

    case(MALFORMED, f"a request with {_description}", "owner")(_attempt)


@case(MALFORMED, "a request with seven attachments", "owner")
def _(ctx: Context) -> None:
    files = [make_attachment("alice", "requests/attempt", f"p{i}.jpg") for i in range(7)]
    data = _request_data(ctx)
    data["attachments"] = [to_document(item, ctx.db) for item in files]
    _create_request(ctx, data)


@case(MALFORMED, "a request with an attachment under bob's prefix", "owner")
def _(ctx: Context) -> None:
    attachment = to_document(make_attachment("bob", "requests/attempt"), ctx.db)
    data = _request_data(ctx)
    data["attachments"] = [attachment]
    _create_request(ctx, data)


@case(MALFORMED, "a request with a 20 MB attachment", "owner")
def _(ctx: Context) -> None:
    attachment = to_document(make_attachment("alice", "requests/attempt"), ctx.db)
    attachment["sizeBytes"] = 20 * 1024 * 1024
    data = _request_data(ctx)
    data["attachments"] = [attachment]
    _create_request(ctx, data)


@case(MALFORMED, "a request dated yesterday", "owner")
def _(ctx: Context) -> None:
    data = _request_data(ctx)
    data["createdAt"] = ctx.now - dt.timedelta(days=1)
    _create_request(ctx, data)


@case(MALFORMED, "a well-formed request (the honest twin)", "owner", allowed=True)
def _(ctx: Context) -> None:
    _create_request(ctx, _request_data(ctx))


@case(MALFORMED, "a message of 4001 characters", "owner")
def _(ctx: Context) -> None:
    message = make_message(
        "alice", "conv-ab", ["alice", "bob"], ctx.now, text="x" * 4001, unchecked=True
    )
    ctx.create_with_stamp("messages/attempt", ctx.data(message, "createdAt"), "lastMessage")


@case(MALFORMED, "an image message carrying a PDF", "owner")
def _(ctx: Context) -> None:
    attachment = make_attachment("alice", "messages/conv-ab", "a.pdf", AttachmentContentType.PDF)
    message = Message.model_construct(
        conversation_id="conv-ab",
        participant_ids=["alice", "bob"],
        sender_id="alice",
        message_type=MessageType.IMAGE,
        attachment=attachment,
        created_at=ctx.now,
    )
    ctx.create_with_stamp("messages/attempt", ctx.data(message, "createdAt"), "lastMessage")


@case(MALFORMED, "a display name of 51 characters", "owner")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice").update(
        {"profile.displayName": "x" * 51, "updatedAt": SERVER_TIMESTAMP}
    )


@case(MALFORMED, "an event that ends before it starts", "organizer")
def _(ctx: Context) -> None:
    event = make_event("olga", ctx.now)
    data = ctx.data(event, "createdAt", "updatedAt")
    data["endsAt"] = event.starts_at - dt.timedelta(hours=1)
    ctx.create_with_stamp("communityEvents/attempt", data, "lastEvent")


@case(MALFORMED, "a group conversation of 51 members", "owner")
def _(ctx: Context) -> None:
    members = ["alice", *(f"m{i}" for i in range(50))]
    conversation = make_conversation(
        "alice", members, ctx.now, unchecked=True, conversation_type=ConversationType.SUPPORT
    )
    data = ctx.data(conversation, "createdAt", "updatedAt")
    ctx.create_with_stamp("conversations/attempt", data, "lastConversation")


@case(MALFORMED, "a report of 2001 characters", "user")
def _(ctx: Context) -> None:
    report = make_report("sam", "requests/req-alice", ctx.now, details="x" * 2000)
    data = ctx.data(report, "createdAt")
    data["details"] += "x"
    path = f"reports/{report_id('requests/req-alice', 'sam')}"
    ctx.create_with_stamp(path, data, "lastReport")


# ---- reports of unreadable content ---------------------------------------------------------

REPORTS = "reports of unreadable content"


def _report(
    target: str, kind: ReportTargetType, *, path_id: str | None = None, again: bool = False
) -> Callable[[Context], None]:
    def run(ctx: Context) -> None:
        report = make_report(ctx.me, target, ctx.now, unchecked=True, target_type=kind)
        path = f"reports/{path_id or report_id(target, ctx.me)}"
        data = ctx.data(report, "createdAt")
        if not again:
            ctx.create_with_stamp(path, data, "lastReport")
            return
        batch = ctx.db.batch()
        batch.set(ctx.db.document(path), data)
        account = ctx.db.document(f"users/{ctx.me}/private/account")
        batch.set(account, {"lastReport": {"at": SERVER_TIMESTAMP, "path": path}}, merge=True)
        batch.commit()

    return run


case(REPORTS, "alice's private draft request", "user")(
    _report("requests/req-draft", ReportTargetType.REQUEST)
)
case(REPORTS, "a dm one is not in", "user")(
    _report("conversations/conv-ab", ReportTargetType.CONVERSATION)
)
case(REPORTS, "a message one is not a participant of", "user")(
    _report("messages/msg-ab", ReportTargetType.MESSAGE)
)
case(REPORTS, "a pending story", "user")(
    _report("tapestryThreads/thr-pending", ReportTargetType.TAPESTRY_THREAD)
)
case(REPORTS, "an answer between two other members", "user")(
    _report("offerings/off-answer", ReportTargetType.OFFERING)
)
case(REPORTS, "an event draft", "user")(
    _report("communityEvents/evt-draft", ReportTargetType.EVENT)
)
case(REPORTS, "a document that does not exist", "user")(
    _report("requests/nothing-here", ReportTargetType.REQUEST)
)
case(
    REPORTS,
    "a message one received (the honest twin)",
    "participant",
    allowed=True,
)(_report("messages/msg-ab", ReportTargetType.MESSAGE))
case(REPORTS, "under an id that is not the target's", "user")(
    _report("requests/req-alice", ReportTargetType.REQUEST, path_id="my-own-id")
)
case(REPORTS, "a request reported as a user", "user")(
    _report("requests/req-alice", ReportTargetType.USER)
)
case(REPORTS, "the same request a second time", "participant")(
    _report("requests/req-alice", ReportTargetType.REQUEST, again=True)
)

# ---- suspended and barred members ----------------------------------------------------------

SUSPENDED = "writes while suspended"

case(SUSPENDED, "a suspended member edits their profile", "suspended")(
    _update("users/sue", {"profile.bio": "back", "updatedAt": SERVER_TIMESTAMP})
)


@case(SUSPENDED, "a suspended member asks for help", "suspended")
def _(ctx: Context) -> None:
    _create_request(ctx, _request_data(ctx))


@case(SUSPENDED, "a suspended member opens a support thread", "suspended")
def _(ctx: Context) -> None:
    conversation = make_conversation(
        "sue", ["sue"], ctx.now, conversation_type=ConversationType.SUPPORT
    )
    ctx.create_with_stamp(
        "conversations/attempt",
        ctx.data(conversation, "createdAt", "updatedAt"),
        "lastConversation",
    )


case(SUSPENDED, "a suspended member still reads the community", "suspended", allowed=True)(
    _get("requests/req-alice")
)


@case(SUSPENDED, "a banned member asks for help", "banned")
def _(ctx: Context) -> None:
    _create_request(ctx, _request_data(ctx))


case(SUSPENDED, "a deactivated member edits their profile", "deactivated")(
    _update("users/dee", {"profile.bio": "hello", "updatedAt": SERVER_TIMESTAMP})
)
case(
    SUSPENDED,
    "a member whose suspension has ended edits their profile",
    "formerly suspended",
    allowed=True,
)(_update("users/sue", {"profile.bio": "back", "updatedAt": SERVER_TIMESTAMP}))
case(SUSPENDED, "an account whose email is not verified edits its profile", "unverified")(
    _update("users/una", {"profile.bio": "hello", "updatedAt": SERVER_TIMESTAMP})
)
case(ESCALATION, "a member calls themselves the Moderation Team", "owner")(
    _update(
        "users/alice", {"profile.displayName": "Moderation Team", "updatedAt": SERVER_TIMESTAMP}
    )
)
case(ESCALATION, "a member takes the alias mitche_admin", "owner")(
    _update(
        "users/alice", {"profile.anonymousAlias": "mitche_admin", "updatedAt": SERVER_TIMESTAMP}
    )
)


def _claim(alias: str, owner: str) -> Prepare:
    def prepare(admin: Client, now: dt.datetime) -> None:
        admin.document(alias_claim_path(alias)).set({"ownerId": owner, "claimedAt": now})

    return prepare


def _rename(
    alias: str, *, claim: bool = True, release: str | None = None
) -> Callable[[Context], None]:
    """Alice takes `alias` in one batch: her profile, its claim (unless not), and the
    deletion of her old claim (`release`)."""

    def run(ctx: Context) -> None:
        batch = ctx.db.batch()
        batch.update(
            ctx.db.document("users/alice"),
            {"profile.anonymousAlias": alias, "updatedAt": SERVER_TIMESTAMP},
        )
        if claim:
            batch.set(
                ctx.db.document(alias_claim_path(alias)),
                {"ownerId": "alice", "claimedAt": SERVER_TIMESTAMP},
            )
        if release is not None:
            batch.delete(ctx.db.document(alias_claim_path(release)))
        batch.commit()

    return run


case(ESCALATION, "a member claims the alias Mödërätör (accents folded)", "owner")(
    _rename("Mödërätör")
)
case(ESCALATION, "a member takes another alias without claiming it", "owner")(
    _rename("Calm Owl", claim=False)
)
case(ESCALATION, "a member takes a free alias with its claim", "owner", allowed=True)(
    _rename("Calm Owl")
)
case(
    ESCALATION,
    "a member takes bob's alias spelt in other case and accents",
    "owner",
    prepare=_claim("Quiet Bob 7", "bob"),
)(_rename("quiet BÖB-7"))
case(
    ESCALATION,
    "a member changes alias but keeps holding the old one",
    "owner",
    prepare=_claim("Quiet Alice 7", "alice"),
)(_rename("Calm Owl"))
case(
    ESCALATION,
    "a member changes alias and releases the old one",
    "owner",
    allowed=True,
    prepare=_claim("Quiet Alice 7", "alice"),
)(_rename("Calm Owl", release="Quiet Alice 7"))
# Migration 0013 left alice's alias (taken before claims) to bob, who joined first: she is
# flagged and must be able to move to a free alias, without touching bob's claim, and is never
# frozen meanwhile.
case(
    ESCALATION,
    "a member whose alias bob holds moves to a free alias with its claim",
    "owner",
    allowed=True,
    prepare=_claim("Quiet Alice 7", "bob"),
)(_rename("Calm Owl"))
case(
    ESCALATION,
    "a member whose alias bob holds releases bob's claim as she moves",
    "owner",
    prepare=_claim("Quiet Alice 7", "bob"),
)(_rename("Calm Owl", release="Quiet Alice 7"))
case(
    ESCALATION,
    "a member whose alias bob holds edits her bio",
    "owner",
    allowed=True,
    prepare=_claim("Quiet Alice 7", "bob"),
)(_update("users/alice", {"profile.bio": "Still here", "updatedAt": SERVER_TIMESTAMP}))


@case(
    ESCALATION, "a member releases bob's alias claim", "owner", prepare=_claim("Quiet Bob 7", "bob")
)
def _(ctx: Context) -> None:
    ctx.db.document(alias_claim_path("Quiet Bob 7")).delete()


@case(
    ESCALATION,
    "a member reads who holds bob's alias",
    "owner",
    prepare=_claim("Quiet Bob 7", "bob"),
)
def _(ctx: Context) -> None:
    ctx.read(alias_claim_path("Quiet Bob 7"))


@case(
    ESCALATION,
    "a member reads the claim of their own alias",
    "owner",
    allowed=True,
    prepare=_claim("Quiet Alice 7", "alice"),
)
def _(ctx: Context) -> None:
    ctx.read(alias_claim_path("Quiet Alice 7"))


@case(ESCALATION, "a member claims an alias their profile does not hold", "owner")
def _(ctx: Context) -> None:
    ctx.db.document(alias_claim_path("Calm Owl")).create(
        {"ownerId": "alice", "claimedAt": SERVER_TIMESTAMP}
    )


case(ESCALATION, "a member renames themselves Steam Punk", "owner", allowed=True)(
    _update("users/alice", {"profile.displayName": "Steam Punk", "updatedAt": SERVER_TIMESTAMP})
)

# ---- rate limits ---------------------------------------------------------------------------

RATES = "rate limits"


def _recently(
    stamp: str, seconds: int, *, where: str = "users/alice/private/account", bare: bool = False
) -> Prepare:
    """A stamp `seconds` ago; `bare`: the time alone under `stamp + 'At'`, as stored before
    migration 0003 (on the account) or 0001 (on the user document)."""

    def prepare(owner: Client, now: dt.datetime) -> None:
        at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=seconds)
        value = {f"{stamp}At": at} if bare else {stamp: {"at": at, "path": "requests/earlier"}}
        owner.document(where).set(value, merge=True)

    return prepare


@case(RATES, "a request without setting lastRequest", "owner")
def _(ctx: Context) -> None:
    _create_request(ctx, _request_data(ctx), stamp=False)


@case(RATES, "a request 10 s after the previous one", "owner", prepare=_recently("lastRequest", 10))
def _(ctx: Context) -> None:
    _create_request(ctx, _request_data(ctx))


@case(
    RATES,
    "a request 2 min after the previous one",
    "owner",
    allowed=True,
    prepare=_recently("lastRequest", 120),
)
def _(ctx: Context) -> None:
    _create_request(ctx, _request_data(ctx))


def _slow_requests(owner: Client, now: dt.datetime) -> None:
    _recently("lastRequest", 120)(owner, now)
    owner.document("systemSettings/public").update({"config.rateLimits.requestSeconds": 600})


@case(
    RATES,
    "a request 2 min after the previous one when the settings ask for 10 min",
    "owner",
    prepare=_slow_requests,
)
def _(ctx: Context) -> None:
    _create_request(ctx, _request_data(ctx))


def _stamp_update(value: object) -> Callable[[Context], None]:
    return _update("users/alice/private/account", {"lastRequest": value})


case(RATES, "backdating lastRequest", "owner", prepare=_recently("lastRequest", 10))(
    _stamp_update({"at": dt.datetime(2020, 1, 1, tzinfo=dt.UTC), "path": "requests/x"})
)
case(RATES, "removing lastRequest", "owner", prepare=_recently("lastRequest", 10))(
    _update("users/alice/private/account", {"lastRequest": DELETE_FIELD})
)
case(RATES, "a stamp naming no document", "owner")(_stamp_update({"at": SERVER_TIMESTAMP}))
case(RATES, "a stamp with a key beyond at and path", "owner")(
    _stamp_update({"at": SERVER_TIMESTAMP, "path": "requests/x", "count": 0})
)
case(RATES, "a stamp naming a path that is no document path", "owner")(
    _stamp_update({"at": SERVER_TIMESTAMP, "path": "requests//x"})
)
case(RATES, "a bare rate-limit time written after migration 0003", "owner")(
    _update("users/alice/private/account", {"lastRequestAt": SERVER_TIMESTAMP})
)
case(RATES, "a rate-limit time written on the public profile", "owner")(
    _update("users/alice", {"lastRequestAt": SERVER_TIMESTAMP, "updatedAt": SERVER_TIMESTAMP})
)


@case(
    RATES,
    "a request 10 s after one stamped on the user document before migration 0001",
    "owner",
    prepare=_recently("lastRequest", 10, where="users/alice", bare=True),
)
def _(ctx: Context) -> None:
    _create_request(ctx, _request_data(ctx))


@case(
    RATES,
    "a request 10 s after a bare time on the account before migration 0003",
    "owner",
    prepare=_recently("lastRequest", 10, bare=True),
)
def _(ctx: Context) -> None:
    _create_request(ctx, _request_data(ctx))


@case(RATES, "a request whose stamp names another request", "owner")
def _(ctx: Context) -> None:
    batch = ctx.db.batch()
    batch.create(ctx.db.document("requests/attempt"), _request_data(ctx))
    account = ctx.db.document("users/alice/private/account")
    batch.set(
        account, {"lastRequest": {"at": SERVER_TIMESTAMP, "path": "requests/other"}}, merge=True
    )
    batch.commit()


@case(RATES, "two requests in one batch with one stamp", "owner")
def _(ctx: Context) -> None:
    batch = ctx.db.batch()
    for name in ("attempt", "attempt-2"):
        batch.create(ctx.db.document(f"requests/{name}"), _request_data(ctx))
    account = ctx.db.document("users/alice/private/account")
    batch.set(
        account, {"lastRequest": {"at": SERVER_TIMESTAMP, "path": "requests/attempt"}}, merge=True
    )
    batch.commit()


@case(
    RATES,
    "a report 5 s after the previous one",
    "user",
    prepare=_recently("lastReport", 5, where="users/sam/private/account"),
)
def _(ctx: Context) -> None:
    _report("requests/req-alice", ReportTargetType.REQUEST)(ctx)


@case(
    RATES,
    "an offering 2 s after the previous one",
    "user",
    prepare=_recently("lastOffering", 2, where="users/sam/private/account"),
)
def _(ctx: Context) -> None:
    data = ctx.data(make_offering("sam", ctx.now), "createdAt", "updatedAt")
    data["requestPath"] = None
    ctx.create_with_stamp("offerings/attempt", data, "lastOffering")


# Every client-created collection is rate-limited the same way (issue 11): a second creation
# within the window the settings name is refused, one after it passes. The honest creations
# themselves are the access matrix's rows.
_LIMITED = (
    ("lastConversation", "conversationSeconds", "conversations: start a dm", "user", ""),
    # Organising is a level privilege: olga, a Sprout, drafts the events.
    ("lastEvent", "eventSeconds", "events: draft an event", "organizer", ""),
    (
        "lastRegistration",
        "registrationSeconds",
        "registrations: register for the meal share",
        "user",
        "communityEvents/evt-pub/registrations/sam",
    ),
    ("lastReview", "reviewSeconds", "reviews: review the food bank", "user", ""),
    ("lastStory", "storySeconds", "threads: tell a story", "user", ""),
    (
        "lastHeart",
        "heartSeconds",
        "hearts: give the approved story a heart",
        "user",
        "tapestryThreads/thr-approved/hearts/sam",
    ),
    (
        "lastRevealConsent",
        "revealConsentSeconds",
        "revealConsents: consent to reveal to bob (he wrote in conv-ab)",
        "owner",
        "users/alice/revealConsents/bob",
    ),
)


# ---- reveal contexts (issue 21, hole 15) ----------------------------------------------------

REVEAL = "reveal contexts"


def _asks_reveal(context: str) -> Callable[[Context], None]:
    """Alice asks bob to reveal, citing `context` (her consent to him removed first)."""

    def run(ctx: Context) -> None:
        consent = RevealConsent(
            counterpart_id="bob", context=context, created_at=ctx.now, updated_at=ctx.now
        )
        path = "users/alice/revealConsents/bob"
        ctx.create_with_stamp(
            path, ctx.data(consent, "createdAt", "updatedAt"), "lastRevealConsent"
        )

    return run


def _no_consent_to_bob(owner: Client, now: dt.datetime) -> None:
    owner.document("users/alice/revealConsents/bob").delete()


case(REVEAL, "citing a dm she opened, where bob never wrote", "owner", prepare=_no_consent_to_bob)(
    _asks_reveal("conversations/conv-ab")
)
case(REVEAL, "citing her own message to bob", "owner", prepare=_no_consent_to_bob)(
    _asks_reveal("messages/msg-ab")
)
case(
    REVEAL,
    "citing bob's message to her",
    "owner",
    allowed=True,
    prepare=_no_consent_to_bob,
)(_asks_reveal("messages/msg-ba"))


def _bob_wrote_elsewhere(owner: Client, now: dt.datetime) -> None:
    _no_consent_to_bob(owner, now)
    owner.document("messages/msg-ba").update({"participantIds": ["bob", "sam"]})


case(
    REVEAL,
    "citing a message bob sent to a conversation she is not in",
    "owner",
    prepare=_bob_wrote_elsewhere,
)(_asks_reveal("messages/msg-ba"))


def _stamped_before(stamp: str, limit_key: str, uid: str, seconds: int, gone: str) -> Prepare:
    """The actor's last stamp `seconds` ago, an hour's window in the settings, and `gone`
    (a document the honest creation needs absent) deleted."""

    def prepare(owner: Client, now: dt.datetime) -> None:
        at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=seconds)
        owner.document(f"users/{uid}/private/account").set(
            {stamp: {"at": at, "path": "requests/earlier"}}, merge=True
        )
        owner.document("systemSettings/public").update({f"config.rateLimits.{limit_key}": 3600})
        if gone:
            owner.document(gone).delete()

    return prepare


for _stamp, _limit, _row, _actor, _gone in _LIMITED:
    _uid = {"user": "sam", "organizer": "olga"}.get(_actor, "alice")
    _kind = _row.split(":")[0]
    case(
        RATES,
        f"{_kind}: a second creation a minute after the previous one (window 1 h)",
        _actor,
        prepare=_stamped_before(_stamp, _limit, _uid, 60, _gone),
    )(SCENARIOS[_row].run)
    case(
        RATES,
        f"{_kind}: a creation two hours after the previous one (window 1 h)",
        _actor,
        allowed=True,
        prepare=_stamped_before(_stamp, _limit, _uid, 7200, _gone),
    )(SCENARIOS[_row].run)


# ---- events and registrations (issue 21) ---------------------------------------------------

EVENTS = "events, registrations and reviews"

_PUB = "communityEvents/evt-pub"


@case(EVENTS, "the organiser ends the approved event early and completes it", "organizer")
def _(ctx: Context) -> None:
    ctx.db.document(_PUB).update(
        {
            "endsAt": ctx.now - dt.timedelta(hours=1),
            "status": "completed",
            "updatedAt": SERVER_TIMESTAMP,
        }
    )


case(EVENTS, "the organiser completes the approved event before it ends", "organizer")(
    _update(_PUB, {"status": "completed", "updatedAt": SERVER_TIMESTAMP})
)
case(EVENTS, "the organiser makes the approved event public", "organizer")(
    _update(_PUB, {"visibility": "public", "updatedAt": SERVER_TIMESTAMP})
)
case(EVENTS, "the organiser retitles the approved event", "organizer")(
    _update(_PUB, {"title": "Crypto giveaway", "updatedAt": SERVER_TIMESTAMP})
)
case(EVENTS, "the organiser adds a co-organiser to the approved event", "organizer")(
    _update(_PUB, {"coOrganizerIds": ["colin", "sam"], "updatedAt": SERVER_TIMESTAMP})
)
case(EVENTS, "the co-organiser leaves the approved event", "coorganizer", allowed=True)(
    _update(_PUB, {"coOrganizerIds": [], "updatedAt": SERVER_TIMESTAMP})
)
case(
    EVENTS,
    "the organiser raises the approved event's capacity",
    "organizer",
    allowed=True,
    prepare=_set_fields(_PUB, {"capacity": 20}),
)(_update(_PUB, {"capacity": 40, "updatedAt": SERVER_TIMESTAMP}))
case(
    EVENTS,
    "the organiser checks themselves in",
    "organizer",
    prepare=lambda owner, now: owner.document(f"{_PUB}/registrations/olga").set(
        {"userId": "olga", "createdAt": now, "updatedAt": now}
    ),
)(
    _update(
        f"{_PUB}/registrations/olga",
        {"attendance": "attended", "checkedInAt": SERVER_TIMESTAMP, "updatedAt": SERVER_TIMESTAMP},
    )
)
case(
    EVENTS,
    "the organiser checks alice in once doors open",
    "organizer",
    allowed=True,
    prepare=lambda owner, now: _doors_open(owner, now),
)(
    _update(
        f"{_PUB}/registrations/alice",
        {"attendance": "attended", "checkedInAt": SERVER_TIMESTAMP, "updatedAt": SERVER_TIMESTAMP},
    )
)


def _doors_open(owner: Client, now: dt.datetime) -> None:
    owner.document(_PUB).update({"startsAt": now + dt.timedelta(minutes=30)})


def _doors_open_with_olga_registered(owner: Client, now: dt.datetime) -> None:
    _doors_open(owner, now)
    owner.document(f"{_PUB}/registrations/olga").set(
        {"userId": "olga", "status": "registered", "createdAt": now, "updatedAt": now}
    )


_ASKS_AGAIN: dict[str, Any] = {
    "status": "pending",
    "requestedAt": SERVER_TIMESTAMP,
    "updatedAt": SERVER_TIMESTAMP,
}


def _cancelled_after_deadline(owner: Client, now: dt.datetime) -> None:
    owner.document(f"{_PUB}/registrations/alice").update({"status": "cancelled"})
    owner.document(_PUB).update({"registrationDeadline": now - dt.timedelta(hours=1)})


case(
    EVENTS,
    "alice revives her cancelled registration after the deadline",
    "owner",
    prepare=_cancelled_after_deadline,
)(_update(f"{_PUB}/registrations/alice", _ASKS_AGAIN))
case(
    EVENTS,
    "alice registers again before the deadline",
    "owner",
    allowed=True,
    prepare=lambda owner, now: owner.document(f"{_PUB}/registrations/alice").update(
        {"status": "cancelled"}
    ),
)(_update(f"{_PUB}/registrations/alice", _ASKS_AGAIN))


# Places are the functions' (issue 11): a registration asks (`pending`, requestedAt now); only
# placed members read the venue; approval is withdrawn by a material edit; co-organisers consent.


def _registers(status: str, *, asked: Any = SERVER_TIMESTAMP) -> Callable[[Context], None]:
    def run(ctx: Context) -> None:
        ctx.create_with_stamp(
            f"{_PUB}/registrations/{ctx.me}",
            {
                "userId": ctx.me,
                "status": status,
                "requestedAt": asked,
                "createdAt": SERVER_TIMESTAMP,
                "updatedAt": SERVER_TIMESTAMP,
            },
            "lastRegistration",
        )

    return run


case(EVENTS, "sam registers as already registered (jumping the queue)", "user")(
    _registers("registered")
)
case(EVENTS, "sam registers as waitlisted", "user")(_registers("waitlisted"))
case(EVENTS, "sam asks for a place, dated earlier than now", "user")(
    _registers("pending", asked=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
)
case(EVENTS, "sam asks for a place now", "user", allowed=True)(_registers("pending"))
case(
    EVENTS,
    "waitlisted alice moves her request earlier",
    "owner",
    prepare=_set_fields(f"{_PUB}/registrations/alice", {"status": "waitlisted"}),
)(
    _update(
        f"{_PUB}/registrations/alice",
        {"requestedAt": dt.datetime(2020, 1, 1, tzinfo=dt.UTC), "updatedAt": SERVER_TIMESTAMP},
    )
)
case(
    EVENTS,
    "waitlisted alice promotes herself",
    "owner",
    prepare=_set_fields(f"{_PUB}/registrations/alice", {"status": "waitlisted"}),
)(_update(f"{_PUB}/registrations/alice", {"status": "registered", "updatedAt": SERVER_TIMESTAMP}))
case(
    EVENTS,
    "registered alice brings two more guests",
    "owner",
)(_update(f"{_PUB}/registrations/alice", {"guests": 3, "updatedAt": SERVER_TIMESTAMP}))
case(
    PRIVATE,
    "a waitlisted member reads the event's venue",
    "owner",
    prepare=_set_fields(f"{_PUB}/registrations/alice", {"status": "waitlisted"}),
)(_get(f"{_PUB}/private/access"))
case(
    PRIVATE,
    "a member not yet placed reads the event's venue",
    "owner",
    prepare=_set_fields(f"{_PUB}/registrations/alice", {"status": "pending"}),
)(_get(f"{_PUB}/private/access"))
case(PRIVATE, "a registered member reads the event's venue", "owner", allowed=True)(
    _get(f"{_PUB}/private/access")
)
case(PRIVATE, "a registered member reads the check-in code", "owner")(
    _get(f"{_PUB}/private/checkIn")
)
case(PRIVATE, "the co-organiser reads the check-in code", "coorganizer", allowed=True)(
    _get(f"{_PUB}/private/checkIn")
)
case(
    EVENTS,
    "the organiser retitles the approved event and withdraws its approval",
    "organizer",
    allowed=True,
)(
    _update(
        _PUB,
        {
            "title": "Sunday meal share, new menu",
            "approval": {"state": "pending", "submittedAt": SERVER_TIMESTAMP},
            "updatedAt": SERVER_TIMESTAMP,
        },
    )
)
case(
    EVENTS, "the organiser lowers the approved event's capacity and keeps it approved", "organizer"
)(_update(_PUB, {"capacity": 1, "updatedAt": SERVER_TIMESTAMP}))
case(EVENTS, "the organiser retitles and re-approves the event in one write", "organizer")(
    _update(
        _PUB,
        {
            "title": "Sunday meal share, new menu",
            "approval": {"state": "approved", "submittedAt": SERVER_TIMESTAMP},
            "updatedAt": SERVER_TIMESTAMP,
        },
    )
)
case(EVENTS, "the organiser names sam co-organiser of the draft", "organizer")(
    _update("communityEvents/evt-draft", {"coOrganizerIds": ["sam"], "updatedAt": SERVER_TIMESTAMP})
)
case(EVENTS, "the organiser invites sam to co-organise the draft", "organizer", allowed=True)(
    _update(
        "communityEvents/evt-draft", {"coOrganizerInvites": ["sam"], "updatedAt": SERVER_TIMESTAMP}
    )
)
case(EVENTS, "sam makes himself co-organiser uninvited", "user")(
    _update(_PUB, {"coOrganizerIds": ["colin", "sam"], "updatedAt": SERVER_TIMESTAMP})
)
case(
    EVENTS,
    "sam accepts his invitation to co-organise",
    "user",
    allowed=True,
    prepare=_set_fields(_PUB, {"coOrganizerInvites": ["sam"]}),
)(
    _update(
        _PUB,
        {
            "coOrganizerInvites": [],
            "coOrganizerIds": ["colin", "sam"],
            "updatedAt": SERVER_TIMESTAMP,
        },
    )
)
case(
    EVENTS,
    "invited sam retitles the event",
    "user",
    prepare=_set_fields(_PUB, {"coOrganizerInvites": ["sam"]}),
)(_update(_PUB, {"title": "Sam's party", "updatedAt": SERVER_TIMESTAMP}))
case(
    EVENTS,
    "the co-organiser checks the organiser in",
    "coorganizer",
    prepare=_doors_open_with_olga_registered,
)(
    _update(
        f"{_PUB}/registrations/olga",
        {"attendance": "attended", "checkedInAt": SERVER_TIMESTAMP, "updatedAt": SERVER_TIMESTAMP},
    )
)
case(
    EVENTS,
    "alice cancels her placed registration",
    "owner",
    allowed=True,
    prepare=_set_fields(
        f"{_PUB}/registrations/alice",
        {
            "requestedAt": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            "placedAt": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            "counted": {"status": "registered", "seats": 1, "attended": False},
        },
    ),
)(_update(f"{_PUB}/registrations/alice", {"status": "cancelled", "updatedAt": SERVER_TIMESTAMP}))
case(EVENTS, "the organiser checks alice in a week before the event", "organizer")(
    _update(
        f"{_PUB}/registrations/alice",
        {"attendance": "attended", "checkedInAt": SERVER_TIMESTAMP, "updatedAt": SERVER_TIMESTAMP},
    )
)


def _review(ctx: Context) -> None:
    review = ResourceReview(author_id=ctx.me, rating=5, created_at=ctx.now, updated_at=ctx.now)
    ctx.create_with_stamp(
        f"resources/res-pub/reviews/{ctx.me}",
        ctx.data(review, "createdAt", "updatedAt"),
        "lastReview",
    )


case(
    EVENTS,
    "sam reviews a resource moderation hid (he cannot read it)",
    "user",
    prepare=_set_fields("resources/res-pub", {"moderation.status": "hidden"}),
)(_review)
case(EVENTS, "sam reviews a published resource he can read", "user", allowed=True)(_review)


def _revoked(at: dt.datetime) -> Prepare:
    def prepare(owner: Client, now: dt.datetime) -> None:
        owner.document("users/alice/private/account").set({"revokedBefore": at}, merge=True)

    return prepare


case(
    SUSPENDED,
    "alice writes with a token signed in before her suspension took effect",
    "owner",
    prepare=lambda owner, now: _revoked(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5))(
        owner, now
    ),
)(_update("users/alice", {"profile.bio": "still here", "updatedAt": SERVER_TIMESTAMP}))
case(
    SUSPENDED,
    "alice writes with a token signed in after an old revocation",
    "owner",
    allowed=True,
    prepare=_revoked(dt.datetime(2020, 1, 1, tzinfo=dt.UTC)),
)(_update("users/alice", {"profile.bio": "still here", "updatedAt": SERVER_TIMESTAMP}))
