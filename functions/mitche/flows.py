"""The client contract of the help cycle: what an app writes for each step, and what the server
writes back.

Each `Flow` is one step a member takes (post a request, accept an offering, read a
conversation...). Its `batches` are the writes the app makes, in order; the writes of one batch
must commit together (the rules read the other writes of the batch with `getAfter`, e.g. the
rate-limit stamp beside a new request). Each write names the document, the operation and the
top-level fields the client sets (`Field`), with the value the rules expect where there is one
(`serverTimestamp()`, the signed-in uid, a fixed status). `server` lists what the functions then
write, which no client may write. schema/flows.md is generated from this table
(`python -m mitche_dev.schemagen`), and a test checks every field against the models' writer
declarations, so the table cannot promise a write the rules refuse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

__all__ = ["FLOWS", "Derived", "Field", "Flow", "Unless", "Write", "stamp_value"]

Operation = Literal["create", "update", "set-merge", "delete"]


@dataclass(frozen=True, slots=True)
class Field:
    """A top-level field a client write sets."""

    name: str
    value: str = ""
    """What the rules expect, when fixed (`serverTimestamp()`, `uid`, `'open'`); empty when the
    member chooses."""
    optional: bool = False


@dataclass(frozen=True, slots=True)
class Derived:
    """A path wildcard the app computes from the member's input, the way the rules check it
    (an alias claim's key, a report's one-per-member id): `function` names a function of the
    client package's runtime (clients/js/src/derived.ts), called with `arguments`, each a field
    path of the member's input or `uid` (the signed-in member)."""

    wildcard: str
    function: str
    arguments: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Unless:
    """A write the batch leaves out when two derived wildcards are equal (or `wildcard` is
    empty): an alias change that only alters case or accents keeps its claim, since the rules
    let no member create a claim they hold nor delete the claim of the alias they keep."""

    wildcard: str
    equals: str


@dataclass(frozen=True, slots=True)
class Write:
    """One document a client writes."""

    path: str
    """The document path template (`{uid}` is the signed-in member)."""
    operation: Operation
    fields: tuple[Field, ...]
    model: str
    """The model (class name) the document is validated against."""
    derived: tuple[Derived, ...] = ()
    """Wildcards of `path` computed from the input rather than chosen or generated."""
    unless: Unless | None = None
    """When the write is left out of the batch."""
    id_chosen_first: bool = False
    """The new document's id may be chosen by the app before the write (generated otherwise):
    its files are uploaded below `uploads/{uid}/{folder}/.../{id}/`, and the document names
    them, so the app needs the id first."""


@dataclass(frozen=True, slots=True)
class Flow:
    """One step of the help cycle, as a client app performs it."""

    name: str
    who: str
    story: str
    batches: tuple[tuple[Write, ...], ...]
    server: tuple[str, ...] = field(default_factory=tuple)
    """What the functions write afterwards (`path.field`), and when."""


_NOW: Final = "serverTimestamp()"
_WITHDRAWN: Final = "{state: 'pending', submittedAt: serverTimestamp()}"
"""An approval withdrawn by its owner's edit (CommunityEvent.approval's client withdrawal)."""
_STAMP: Final = {
    "request": "lastRequest",
    "offering": "lastOffering",
    "message": "lastMessage",
    "conversation": "lastConversation",
    "revealConsent": "lastRevealConsent",
    "registration": "lastRegistration",
    "event": "lastEvent",
    "review": "lastReview",
    "story": "lastStory",
    "heart": "lastHeart",
    "report": "lastReport",
}


def stamp_value(path: str) -> str:
    """The value of a rate-limit stamp naming the document at `path` (a template)."""
    return f"{{at: {_NOW}, path: '{path}'}}"


def _stamp(kind: str, path: str) -> Write:
    """The rate-limit stamp a creating batch sets on the member's private account: the write
    time and the one document (`path`) the stamp authorises."""
    return Write(
        "users/{uid}/private/account",
        "set-merge",
        (Field(_STAMP[kind], stamp_value(path)),),
        "PrivateAccount",
    )


_SCREENED: Final = "moderation (the screen: approved, flagged, or hidden with a reason)"

HUB_FLOWS: Final = (
    Flow(
        "joinCommunity",
        "a new member, signed in",
        "Write one's profile and claim its alias in one batch: the claim's id is the alias's "
        "folded key, so no one else can hold a look-alike of it.",
        (
            (
                Write(
                    "users/{uid}",
                    "create",
                    (
                        Field("profile"),
                        Field("privacy", "", True),
                        Field("notifications", "", True),
                        Field("preferences", "", True),
                        Field("createdAt", _NOW),
                        Field("updatedAt", _NOW),
                    ),
                    "User",
                ),
                Write(
                    "systemSettings/aliases/claims/{aliasKey}",
                    "create",
                    (Field("ownerId", "uid"), Field("claimedAt", _NOW)),
                    "AliasClaim",
                    (Derived("aliasKey", "aliasKey", ("profile.anonymousAlias",)),),
                ),
            ),
        ),
    ),
    Flow(
        "changeAlias",
        "a member",
        "Take another alias: the profile's alias, the claim of the new one and the release of "
        "the old one's in one batch (the rules check the claims after the batch); an alias "
        "that differs only in case or accents keeps its claim.",
        (
            (
                Write(
                    "users/{uid}",
                    "update",
                    (
                        Field("profile", "only `profile.anonymousAlias`: the new alias"),
                        Field("updatedAt", _NOW),
                    ),
                    "User",
                ),
                Write(
                    "systemSettings/aliases/claims/{aliasKey}",
                    "create",
                    (Field("ownerId", "uid"), Field("claimedAt", _NOW)),
                    "AliasClaim",
                    (Derived("aliasKey", "aliasKey", ("alias",)),),
                    Unless("aliasKey", "previousAliasKey"),
                ),
                Write(
                    "systemSettings/aliases/claims/{previousAliasKey}",
                    "delete",
                    (),
                    "AliasClaim",
                    (Derived("previousAliasKey", "aliasKey", ("previousAlias",)),),
                    Unless("previousAliasKey", "aliasKey"),
                ),
            ),
        ),
    ),
    Flow(
        "applyAsProvider",
        "a member who listed a service",
        "Ask to be verified as the provider of one's listing; a moderator decides "
        "(decide_provider), which sets the verifiedProvider claim that lets listings out of "
        "draft.",
        (
            (
                Write(
                    "resources/{resourceId}/private/providerApplication",
                    "create",
                    (
                        Field("applicantId", "uid (the listing's submittedBy)"),
                        Field("roleInOrganization"),
                        Field("evidence"),
                        Field("appliedAt", _NOW),
                        Field("updatedAt", _NOW),
                    ),
                    "ProviderApplication",
                ),
            ),
        ),
        (
            "resources/{resourceId}/private/providerApplication.status, decidedBy, decidedAt, "
            "decisionNote (the moderator's callable)",
            "resources/{resourceId}.providerVerification",
            "users/{uid}/private/account.security.verifiedProvider and the custom claim",
        ),
    ),
    Flow(
        "reviewResource",
        "a member who used a service",
        "Rate a published service one did not list, once (the review's id is one's uid).",
        (
            (
                Write(
                    "resources/{resourceId}/reviews/{uid}",
                    "create",
                    (
                        Field("authorId", "uid"),
                        Field("rating"),
                        Field("comment", "", True),
                        Field("usedService", "", True),
                        Field("visitedAt", "", True),
                        Field("createdAt", _NOW),
                        Field("updatedAt", _NOW),
                    ),
                    "ResourceReview",
                ),
                _stamp("review", "resources/{resourceId}/reviews/{uid}"),
            ),
        ),
        (
            "resources/{resourceId}.rating (recomputed from the reviews)",
            f"resources/{{resourceId}}/reviews/{{uid}}.{_SCREENED}",
        ),
    ),
    Flow(
        "voteReviewHelpful",
        "a member reading reviews",
        "Say another member's review helped; once per member, never one's own.",
        (
            (
                Write(
                    "resources/{resourceId}/reviews/{authorId}/helpful/{uid}",
                    "create",
                    (Field("userId", "uid"), Field("createdAt", _NOW)),
                    "HelpfulVote",
                ),
            ),
        ),
        ("resources/{resourceId}/reviews/{authorId}.helpfulCount",),
    ),
    Flow(
        "nominateStory",
        "a member who saw (or did) an act of help",
        "Tell a story for the Hope Tapestry; a story about another member names them in the "
        "private nomination, in the same batch, and waits for their consent.",
        (
            (
                Write(
                    "tapestryThreads/{threadId}",
                    "create",
                    (
                        Field("nominatorId", "uid"),
                        Field("subject", "'self', 'member' or 'someoneElse'"),
                        Field("title"),
                        Field("story"),
                        Field("category"),
                        Field("language", "", True),
                        Field("tags", "", True),
                        Field("area", "", True),
                        Field("nominatorCredit", "", True),
                        Field("appearance", "", True),
                        Field(
                            "photo",
                            "the nominator's upload below uploads/{uid}/stories/{threadId}/",
                            True,
                        ),
                        Field("createdAt", _NOW),
                        Field("updatedAt", _NOW),
                    ),
                    "TapestryThread",
                    id_chosen_first=True,
                ),
                Write(
                    "tapestryThreads/{threadId}/private/nomination",
                    "create",
                    (
                        Field("nominatorId", "uid"),
                        Field("subjectId", "the member the story is about", True),
                        Field("relatedPath", "reference to the request, offering or event", True),
                        Field("createdAt", _NOW),
                    ),
                    "ThreadNomination",
                ),
                _stamp("story", "tapestryThreads/{threadId}"),
            ),
        ),
        (
            "users/{subjectId}/notifications (storyNominated) and the nomination's "
            "subjectNotifiedAt",
            "on approval (decide_story): status, review, placement, credits, impact; "
            "systemSettings/tapestry.nextThreadIndex; storyApproved notifications",
            "tapestryThreads/{threadId}.photo (type, size and dimensions read from the bytes, "
            "while pending)",
        ),
    ),
    Flow(
        "answerNomination",
        "the member a story is about",
        "Consent to a story about oneself (credited or anonymous) or decline it; without "
        "consent it is never published.",
        (
            (
                Write(
                    "tapestryThreads/{threadId}/private/nomination",
                    "update",
                    (
                        Field("subjectConsent", "'credit', 'anonymous' or 'decline'"),
                        Field("consentAt", _NOW),
                    ),
                    "ThreadNomination",
                ),
            ),
        ),
    ),
    Flow(
        "heartStory",
        "a member reading the tapestry",
        "Give an approved story a heart (once; deleting the document takes it back).",
        (
            (
                Write(
                    "tapestryThreads/{threadId}/hearts/{uid}",
                    "create",
                    (Field("userId", "uid"), Field("createdAt", _NOW)),
                    "ThreadHeart",
                ),
                _stamp("heart", "tapestryThreads/{threadId}/hearts/{uid}"),
            ),
        ),
        ("tapestryThreads/{threadId}.hearts",),
    ),
)
"""The resource hub's and the Hope Tapestry's member flows (FLOWS lists them last)."""

FLOWS: Final = (
    Flow(
        "postRequest",
        "a member in need",
        "Ask the community for help, while fewer of one's requests are open than one's level "
        "allows (privileges.maxOpenRequests on the private account); the request joins the "
        "feeds once the screen approves it.",
        (
            (
                Write(
                    "requests/{requestId}",
                    "create",
                    (
                        Field("requesterId", "uid"),
                        Field("title"),
                        Field("description"),
                        Field("category"),
                        Field("urgency"),
                        Field("status", "'open'"),
                        Field("visibility"),
                        Field("remoteOk"),
                        Field("location", "public cell: area, 6-char geohash, cell centre", True),
                        Field("deadline", "", True),
                        Field("tags", "", True),
                        Field(
                            "attachments",
                            "the requester's uploads below uploads/{uid}/requests/{requestId}/",
                            True,
                        ),
                        Field("createdAt", _NOW),
                        Field("updatedAt", _NOW),
                    ),
                    "HelpRequest",
                    id_chosen_first=True,
                ),
                _stamp("request", "requests/{requestId}"),
            ),
        ),
        (
            f"requests/{{requestId}}.{_SCREENED}",
            "users/{uid}/private/account.openRequests (recounted)",
            "requests/{requestId}.status 'closed' with closure (why), when it went past the "
            "open-request limit before the count caught up",
        ),
    ),
    Flow(
        "offerHelp",
        "a helper",
        "Answer a request with an offering (help, a resource, or money).",
        (
            (
                Write(
                    "offerings/{offeringId}",
                    "create",
                    (
                        Field("helperId", "uid"),
                        Field("offeringType"),
                        Field("requestPath", "reference to requests/{requestId}"),
                        Field("requesterId", "the request's requesterId"),
                        Field("title"),
                        Field("description", "", True),
                        Field("category"),
                        Field("status", "'offered'"),
                        Field("visibility"),
                        Field("resource", "for resource offerings", True),
                        Field("financial", "for financial offerings", True),
                        Field("createdAt", _NOW),
                        Field("updatedAt", _NOW),
                    ),
                    "Offering",
                ),
                _stamp("offering", "offerings/{offeringId}"),
            ),
        ),
        (f"offerings/{{offeringId}}.{_SCREENED}",),
    ),
    Flow(
        "offerToAnyone",
        "a helper",
        "A standing offer, not tied to a request, that a member who needs it may claim.",
        (
            (
                Write(
                    "offerings/{offeringId}",
                    "create",
                    (
                        Field("helperId", "uid"),
                        Field("offeringType"),
                        Field("requestPath", "null (stored: the standing feed filters on it)"),
                        Field("title"),
                        Field("description", "", True),
                        Field("category"),
                        Field("status", "'offered'"),
                        Field("visibility"),
                        Field("location", "", True),
                        Field("remoteOk", "", True),
                        Field("createdAt", _NOW),
                        Field("updatedAt", _NOW),
                    ),
                    "Offering",
                ),
                _stamp("offering", "offerings/{offeringId}"),
            ),
        ),
        (f"offerings/{{offeringId}}.{_SCREENED}",),
    ),
    Flow(
        "acceptOffering",
        "the requester",
        "Accept a helper's offering: the helper joins the request and a conversation opens.",
        (
            (
                Write(
                    "offerings/{offeringId}",
                    "update",
                    (
                        Field("status", "'accepted'"),
                        Field("respondedAt", _NOW),
                        Field("updatedAt", _NOW),
                    ),
                    "Offering",
                ),
            ),
        ),
        (
            "requests/{requestId}.acceptedHelperIds (+ the helper)",
            "requests/{requestId}.status ('inProgress' when it was open)",
            "conversations/{exchange id} (created, or reused: requester and helper)",
            "offerings/{offeringId}.conversationId",
        ),
    ),
    Flow(
        "claimStandingOffer",
        "a member in need",
        "Take up a standing offer: name oneself its requester and accept it, in one write.",
        (
            (
                Write(
                    "offerings/{offeringId}",
                    "update",
                    (
                        Field("requesterId", "uid"),
                        Field("status", "'accepted'"),
                        Field("respondedAt", _NOW),
                        Field("updatedAt", _NOW),
                    ),
                    "Offering",
                ),
            ),
        ),
        (
            "conversations/{exchange id} (a dm between helper and claimant)",
            "offerings/{offeringId}.conversationId",
        ),
    ),
    Flow(
        "proposeCompletion",
        "the helper",
        "Say the help was given; the requester confirms (a helper never completes alone).",
        (
            (
                Write(
                    "offerings/{offeringId}",
                    "update",
                    (Field("completionProposedAt", _NOW), Field("updatedAt", _NOW)),
                    "Offering",
                ),
            ),
        ),
    ),
    Flow(
        "confirmAndRate",
        "the requester",
        "Confirm the help and rate the helper: the one place an exchange is rated and paid.",
        (
            (
                Write(
                    "offerings/{offeringId}",
                    "update",
                    (
                        Field("status", "'completed'"),
                        Field("completedAt", _NOW),
                        Field(
                            "requesterFeedback",
                            "{rating, comment?, authorId: uid, createdAt: serverTimestamp()}",
                            True,
                        ),
                        Field("updatedAt", _NOW),
                    ),
                    "Offering",
                ),
            ),
        ),
        ("users/{helperId} hope points and counters (offering completed, positive feedback)",),
    ),
    Flow(
        "markFulfilled",
        "the requester",
        "Close the request as fulfilled by helpers among the accepted ones (no feedback here).",
        (
            (
                Write(
                    "requests/{requestId}",
                    "update",
                    (
                        Field("status", "'fulfilled' (or 'closed' to withdraw it)"),
                        Field("completion", "{completedAt: serverTimestamp(), fulfilledBy, note?}"),
                        Field("updatedAt", _NOW),
                    ),
                    "HelpRequest",
                ),
            ),
        ),
        ("users/{helper} requestFulfilled for each helper in completion.fulfilledBy",),
    ),
    Flow(
        "startConversation",
        "a member",
        "Open a conversation with another member (a dm) or a group; a dm created sensitive is "
        "end-to-end encrypted: every message in it is sealed (see e2e).",
        (
            (
                Write(
                    "conversations/{conversationId}",
                    "create",
                    (
                        Field("conversationType"),
                        Field("createdBy", "uid"),
                        Field("participantIds", "the signed-in member among them"),
                        Field("title", "group conversations only", True),
                        Field("context", "the request or event of such a conversation", True),
                        Field("sensitive", "true for an end-to-end encrypted dm", True),
                        Field("createdAt", _NOW),
                        Field("updatedAt", _NOW),
                    ),
                    "Conversation",
                ),
                _stamp("conversation", "conversations/{conversationId}"),
            ),
        ),
        ("conversations/{conversationId}.moderation (approved unless its author is held)",),
    ),
    Flow(
        "sendMessage",
        "a participant",
        "Write in a conversation; participantIds is a copy of the conversation's, in order.",
        (
            (
                Write(
                    "messages/{messageId}",
                    "create",
                    (
                        Field("conversationId"),
                        Field("participantIds", "the conversation's participantIds"),
                        Field("senderId", "uid"),
                        Field("messageType"),
                        Field("text", "for text messages", True),
                        Field(
                            "attachment",
                            "for image and document messages: the file the sender uploads "
                            "after sending, below uploads/{uid}/messages/{conversationId}/"
                            "{messageId}/",
                            True,
                        ),
                        Field("location", "for location messages", True),
                        Field("sealed", "for sealed messages (a sensitive dm; see e2e)", True),
                        Field("replyTo", "", True),
                        Field("createdAt", _NOW),
                    ),
                    "Message",
                    id_chosen_first=True,
                ),
                _stamp("message", "messages/{messageId}"),
            ),
        ),
        (
            "conversations/{conversationId}.lastMessage (no preview of held text)",
            "conversations/{conversationId}.messageCount, unreadCounts.{other participants}",
            "conversations/{conversationId}.participantState.{uid}.archived (false again)",
            f"messages/{{messageId}}.{_SCREENED}",
            "messages/{messageId}.attachment (type, size and dimensions read from the bytes, "
            "once uploaded)",
        ),
    ),
    Flow(
        "readConversation",
        "a participant",
        "Open a conversation: the read receipt that clears the unread badge.",
        (
            (
                Write(
                    "conversations/{conversationId}",
                    "update",
                    (
                        Field("participantState", "only `participantState.{uid}`: lastReadAt now"),
                        Field("updatedAt", _NOW),
                    ),
                    "Conversation",
                ),
            ),
        ),
        ("conversations/{conversationId}.unreadCounts.{uid} (recounted)",),
    ),
    Flow(
        "blockMember",
        "a member who wants no more contact with another",
        "Block a member: from then on neither answers the other's requests, claims the "
        "other's standing offerings, opens a conversation of the two of them, posts in one, "
        "asks the other to reveal identities or names the other in a story, and matching "
        "suggests neither to the other. The blocked member is not told.",
        (
            (
                Write(
                    "users/{uid}/blocks/{memberId}",
                    "create",
                    (Field("memberId", "the document id"), Field("createdAt", _NOW)),
                    "Block",
                ),
            ),
        ),
    ),
    Flow(
        "unblockMember",
        "a member who blocked another",
        "Lift a block: delete it (contact and suggestions are possible again).",
        ((Write("users/{uid}/blocks/{memberId}", "delete", (), "Block"),),),
    ),
    Flow(
        "consentToReveal",
        "either member of a pair who met",
        "Agree to reveal identities; when both agreed, each may read the other's identity.",
        (
            (
                Write(
                    "users/{uid}/revealConsents/{counterpartId}",
                    "create",
                    (
                        Field("counterpartId", "the document id"),
                        Field(
                            "context",
                            "reference to a conversation the counterpart opened, a message "
                            "they sent, or the request linking them",
                        ),
                        Field("status", "'consented' (later 'withdrawn', before completion)"),
                        Field("createdAt", _NOW),
                        Field("updatedAt", _NOW),
                    ),
                    "RevealConsent",
                ),
                _stamp("revealConsent", "users/{uid}/revealConsents/{counterpartId}"),
            ),
        ),
        (
            "users/{uid}/revealGrants/{counterpartId} and the mirror grant",
            "both consents' completedAt (then frozen)",
            "users/{uid}.reveal and the counterpart's (completed, lastCompletedAt)",
        ),
    ),
    Flow(
        "organiseEvent",
        "a member whose level lets them organise events",
        "Create an event, as a draft or scheduled (submitted: the screen and a moderator "
        "decide), with its private access document (the exact venue or the join link, read "
        "only by organisers and registered attendees) in the same batch.",
        (
            (
                Write(
                    "communityEvents/{eventId}",
                    "create",
                    (
                        Field("organizerId", "uid"),
                        Field("title"),
                        Field("description"),
                        Field("category"),
                        Field("tags", "", True),
                        Field("coverImage", "", True),
                        Field("startsAt"),
                        Field("endsAt"),
                        Field("timeZone"),
                        Field("format"),
                        Field("location", "public area of in-person and hybrid events", True),
                        Field("virtualPlatform", "", True),
                        Field("visibility", "", True),
                        Field("requirements", "", True),
                        Field("capacity", "", True),
                        Field("waitlistEnabled", "", True),
                        Field("registrationDeadline", "", True),
                        Field("status", "'draft' (or 'scheduled' to submit it at once)"),
                        Field("createdAt", _NOW),
                        Field("updatedAt", _NOW),
                    ),
                    "CommunityEvent",
                ),
                Write(
                    "communityEvents/{eventId}/private/access",
                    "create",
                    (
                        Field("venue", "the exact place (in person and hybrid)", True),
                        Field("joinUrl", "the link (virtual and hybrid)", True),
                        Field("instructions", "", True),
                        Field("updatedAt", _NOW),
                    ),
                    "EventAccess",
                ),
                _stamp("event", "communityEvents/{eventId}"),
            ),
        ),
        (
            "communityEvents/{eventId}.moderation (the screen) and approval (pending once "
            "scheduled; decide_event approves or rejects it)",
            "communityEvents/{eventId}/private/checkIn (on approval)",
        ),
    ),
    Flow(
        "registerForEvent",
        "a member",
        "Ask for a place at a published event (guests included); a function places the "
        "registration in the order members asked.",
        (
            (
                Write(
                    "communityEvents/{eventId}/registrations/{uid}",
                    "create",
                    (
                        Field("userId", "uid"),
                        Field("status", "'pending'"),
                        Field("requestedAt", _NOW),
                        Field("guests", "", True),
                        Field("note", "", True),
                        Field("createdAt", _NOW),
                        Field("updatedAt", _NOW),
                    ),
                    "Registration",
                ),
                _stamp("registration", "communityEvents/{eventId}/registrations/{uid}"),
            ),
        ),
        (
            "communityEvents/{eventId}/registrations/{uid}.status (registered or waitlisted in "
            "order of requestedAt; cancelled with closedReason 'full' without a waitlist), "
            "placedAt, counted",
            "communityEvents/{eventId}.registrations (the counts)",
        ),
    ),
    Flow(
        "cancelRegistration",
        "a registered or waiting member",
        "Give up one's place (or place in line); asking again later takes a new place in line.",
        (
            (
                Write(
                    "communityEvents/{eventId}/registrations/{uid}",
                    "update",
                    (Field("status", "'cancelled'"), Field("updatedAt", _NOW)),
                    "Registration",
                ),
            ),
        ),
        (
            "communityEvents/{eventId}.registrations (the counts)",
            "the head of the waitlist registered, and told (eventRegistrationPromoted)",
        ),
    ),
    Flow(
        "moveEvent",
        "an organiser (or co-organiser) of an approved event",
        "Move the event to another time or place (or both): the new time, public area and "
        "exact venue or link, and in the same write the approval withdrawn (the rules demand "
        "it of a material edit), so the moved event leaves the feeds until a moderator "
        "approves it again. Registrations keep their places.",
        (
            (
                Write(
                    "communityEvents/{eventId}",
                    "update",
                    (
                        Field("startsAt", "the new start", True),
                        Field("endsAt", "the new end, later than the start", True),
                        Field("timeZone", "", True),
                        Field("format", "", True),
                        Field("location", "the new public area (in-person and hybrid)", True),
                        Field("virtualPlatform", "", True),
                        Field("registrationDeadline", "no later than the start", True),
                        Field("approval", _WITHDRAWN),
                        Field("updatedAt", _NOW),
                    ),
                    "CommunityEvent",
                ),
                Write(
                    "communityEvents/{eventId}/private/access",
                    "update",
                    (
                        Field("venue", "the new exact place (in person and hybrid)", True),
                        Field("joinUrl", "the new link (virtual and hybrid)", True),
                        Field("instructions", "", True),
                        Field("updatedAt", _NOW),
                    ),
                    "EventAccess",
                ),
            ),
        ),
        (
            "communityEvents/{eventId}.moderation (the screen, when the text changed too); "
            "decide_event approves or rejects the moved event again",
            "nothing else: registrations, waitlist and counts stay as they were, and no "
            "notification tells registrants the event moved",
        ),
    ),
    Flow(
        "acceptCoOrganizerInvitation",
        "a member an organiser invited",
        "Become a co-organiser: one's uid moves from the invitations to the co-organisers.",
        (
            (
                Write(
                    "communityEvents/{eventId}",
                    "update",
                    (
                        Field("coOrganizerInvites", "the invitations without uid"),
                        Field("coOrganizerIds", "the co-organisers with uid appended"),
                        Field("updatedAt", _NOW),
                    ),
                    "CommunityEvent",
                ),
            ),
        ),
    ),
    Flow(
        "reportContent",
        "a member who saw something harmful",
        "Report a document one can read (a request, offering, message, story or profile), "
        "once per item; moderators see the report, the reported member never learns who.",
        (
            (
                Write(
                    "reports/{reportId}",
                    "create",
                    (
                        Field("reporterId", "uid"),
                        Field("targetType"),
                        Field("targetPath", "reference to the reported document"),
                        Field("reason"),
                        Field("details", "", True),
                        Field("createdAt", _NOW),
                    ),
                    "Report",
                    (Derived("reportId", "reportId", ("targetPath", "uid")),),
                ),
                _stamp("report", "reports/{reportId}"),
            ),
        ),
        (
            "reports/{reportId}.severity; reports/{reportId}/private/case.targetOwnerId, "
            "contentSnapshot, triage, assignedModeratorId (the trigger)",
            "reports/{reportId}.status, outcome; reports/{reportId}/private/case.resolution "
            "(resolve_report)",
        ),
    ),
    *HUB_FLOWS,
)
"""Every flow of the help cycle, in the order a member meets them."""
