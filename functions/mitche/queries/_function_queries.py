"""Queries Cloud Functions and the maintenance commands make (Admin SDK: rules never apply,
but production still refuses a query without its index).

The analytics backfill reads one day of every source collection through range queries on the
time field that dates each counted event; those are declared from one table, `BACKFILL_SOURCES`,
so the table is the single list of what the backfill scans.
"""

from __future__ import annotations

from typing import Final

from mitche.models import (
    Collection,
    ModerationState,
    OfferingStatus,
    RequestStatus,
    RevealConsentStatus,
)
from mitche.queries._declarations import (
    DOCUMENT_ID,
    UID,
    Caller,
    CatalogQuery,
    Order,
    Param,
    Where,
)

__all__ = ["BACKFILL_SOURCES", "FUNCTION_QUERIES", "backfill_query_name"]

BACKFILL_SOURCES: Final[tuple[tuple[str, bool, str], ...]] = (
    (Collection.USERS.value, False, "createdAt"),
    (Collection.REQUESTS.value, False, "createdAt"),
    (Collection.REQUESTS.value, False, "completion.completedAt"),
    (Collection.OFFERINGS.value, False, "createdAt"),
    (Collection.OFFERINGS.value, False, "respondedAt"),
    (Collection.OFFERINGS.value, False, "completedAt"),
    (Collection.COMMUNITY_EVENTS.value, False, "createdAt"),
    (Collection.COMMUNITY_EVENTS.value, False, "endsAt"),
    (Collection.CONVERSATIONS.value, False, "createdAt"),
    (Collection.MESSAGES.value, False, "createdAt"),
    (Collection.REPORTS.value, False, "createdAt"),
    (Collection.REPORTS.value, False, "triage.classifiedAt"),
    ("private", True, "triage.classifiedAt"),
    (Collection.REPORTS.value, False, "outcome.decidedAt"),
    ("registrations", True, "createdAt"),
    ("registrations", True, "checkedInAt"),
    ("registrations", True, "updatedAt"),
    ("hopeLedger", True, "createdAt"),
)
"""(collection or collection-group id, is a group, time field) the backfill reads a day of.

Reports are classified on their case (`reports/{id}/private/case`, in the `private` group) since
migration 0015; the query over the reports' own `triage` reads those stored before it until the
contract release."""


def backfill_query_name(collection: str, time_field: str) -> str:
    """The catalog name of the backfill's day query over `collection` by `time_field`."""
    return f"backfill.{collection}.{time_field}"


def _backfill(collection: str, group: bool, time_field: str) -> CatalogQuery:
    return CatalogQuery(
        name=backfill_query_name(collection, time_field),
        purpose=f"Analytics backfill: the {collection} whose {time_field} falls in one day.",
        caller=Caller.FUNCTIONS,
        collection=collection,
        group=group,
        where=(
            Where(time_field, ">=", Param("start", "timestamp")),
            Where(time_field, "<", Param("end", "timestamp")),
        ),
    )


_JOBS: Final = (
    CatalogQuery(
        name="functions.achievementCatalog",
        purpose="Achievement evaluation: the whole achievement catalog (cached per instance).",
        caller=Caller.FUNCTIONS,
        collection=Collection.ACHIEVEMENTS.value,
    ),
    CatalogQuery(
        name="functions.dayShards",
        purpose="Daily roll-up: every counter shard of one analytics day.",
        caller=Caller.FUNCTIONS,
        collection="analytics/{day}/shards",
    ),
    CatalogQuery(
        name="functions.endedSuspensions",
        purpose="Daily schedule: members whose suspension has ended, to lift it (bounded per run).",
        caller=Caller.FUNCTIONS,
        collection=Collection.USERS.value,
        where=(Where("security.suspendedUntil", "<=", Param("now", "timestamp")),),
        limit=Param("limit", "int", maximum=500),
    ),
    CatalogQuery(
        name="functions.endedAccountSuspensions",
        purpose="Daily schedule: private accounts whose suspension has ended, to lift it "
        "(bounded per run); the security map moved there by migration 0001.",
        caller=Caller.FUNCTIONS,
        collection="private",
        group=True,
        where=(Where("security.suspendedUntil", "<=", Param("now", "timestamp")),),
        limit=Param("limit", "int", maximum=500),
    ),
    CatalogQuery(
        name="functions.memberIds",
        purpose="Commands over every member: one page of member ids in id order (ids only).",
        caller=Caller.FUNCTIONS,
        collection=Collection.USERS.value,
        order=(Order(DOCUMENT_ID),),
        select=(),
        limit=Param("pageSize", "int"),
        paged=True,
    ),
    CatalogQuery(
        name="functions.memberLedger",
        purpose="Recompute totals: a member's whole hope ledger, in entry-id order.",
        caller=Caller.FUNCTIONS,
        collection="users/{uid}/hopeLedger",
        order=(Order(DOCUMENT_ID),),
    ),
)

_HUB: Final = (
    CatalogQuery(
        name="functions.resourceReviews",
        purpose="Resource rating: the stars and moderation state of every review of a "
        "resource, read in the rating's transaction (a resource's reviews, never a scan).",
        caller=Caller.FUNCTIONS,
        collection="resources/{resourceId}/reviews",
        select=("rating", "moderation"),
    ),
    CatalogQuery(
        name="functions.resourcesOf",
        purpose="Provider revocation: every listing a member submitted, to mark them unverified.",
        caller=Caller.FUNCTIONS,
        collection=Collection.RESOURCES.value,
        where=(Where("submittedBy", "==", UID),),
    ),
)

_IN_CONVERSATION: Final = Where("conversationId", "==", Param("conversationId"))
_SINCE: Final = Where("createdAt", ">", Param("since", "timestamp"))
_TO_MEMBER: Final = Where("participantIds", "array_contains", UID)
_OUT_OF_SIGHT: Final = Where(
    "moderation.status", "in", (ModerationState.HIDDEN.value, ModerationState.REMOVED.value)
)
_FROM_MEMBER: Final = Where("senderId", "==", UID)

_HELP_CYCLE: Final = (
    CatalogQuery(
        name="functions.overdueRequests",
        purpose="Expiry schedule: open and in-progress requests whose deadline has passed, "
        "soonest deadline first (bounded per run; never a collection scan).",
        caller=Caller.FUNCTIONS,
        collection=Collection.REQUESTS.value,
        where=(
            Where("status", "in", (RequestStatus.OPEN.value, RequestStatus.IN_PROGRESS.value)),
            Where("deadline", "<=", Param("now", "timestamp")),
        ),
        order=(Order("deadline"),),
        limit=Param("limit", "int", maximum=500),
    ),
    CatalogQuery(
        name="functions.waitingOfferingsOfRequest",
        purpose="A request expired: its offerings still waiting for an answer, to expire them.",
        caller=Caller.FUNCTIONS,
        collection=Collection.OFFERINGS.value,
        where=(
            Where("requestPath", "==", Param("requestPath", "reference")),
            Where("status", "==", OfferingStatus.OFFERED.value),
        ),
    ),
    CatalogQuery(
        name="functions.messagesTo",
        purpose="Unread badge: how many messages of a conversation were sent to a member "
        "(counted, never read), before their first read receipt.",
        caller=Caller.FUNCTIONS,
        collection=Collection.MESSAGES.value,
        where=(_IN_CONVERSATION, _TO_MEMBER),
    ),
    CatalogQuery(
        name="functions.messagesFrom",
        purpose="Unread badge: how many messages of a conversation a member sent (subtracted).",
        caller=Caller.FUNCTIONS,
        collection=Collection.MESSAGES.value,
        where=(_IN_CONVERSATION, _FROM_MEMBER),
    ),
    CatalogQuery(
        name="functions.messagesToSince",
        purpose="Unread badge: messages of a conversation sent to a member after their read "
        "receipt (counted, never read).",
        caller=Caller.FUNCTIONS,
        collection=Collection.MESSAGES.value,
        where=(_IN_CONVERSATION, _TO_MEMBER, _SINCE),
    ),
    CatalogQuery(
        name="functions.messagesFromSince",
        purpose="Unread badge: messages of a conversation a member sent after their read "
        "receipt (subtracted).",
        caller=Caller.FUNCTIONS,
        collection=Collection.MESSAGES.value,
        where=(_IN_CONVERSATION, _FROM_MEMBER, _SINCE),
    ),
    CatalogQuery(
        name="functions.hiddenMessagesToSince",
        purpose="Unread badge: messages sent to a member after their read receipt that "
        "moderation keeps out of sight (subtracted: they cannot open them).",
        caller=Caller.FUNCTIONS,
        collection=Collection.MESSAGES.value,
        where=(_IN_CONVERSATION, _TO_MEMBER, _OUT_OF_SIGHT, _SINCE),
    ),
    CatalogQuery(
        name="functions.hiddenMessagesFromSince",
        purpose="Unread badge: the member's own messages after their read receipt that "
        "moderation keeps out of sight (in both the sent-to and the own counts, so taken out "
        "of the out-of-sight count).",
        caller=Caller.FUNCTIONS,
        collection=Collection.MESSAGES.value,
        where=(_IN_CONVERSATION, _FROM_MEMBER, _OUT_OF_SIGHT, _SINCE),
    ),
)

_REVEAL: Final = (
    CatalogQuery(
        name="functions.consentsTo",
        purpose="Reveal summary: how many members consented to reveal themselves to a member "
        "(counted, never read), open and completed.",
        caller=Caller.FUNCTIONS,
        collection="revealConsents",
        group=True,
        where=(
            Where("counterpartId", "==", UID),
            Where("status", "==", RevealConsentStatus.CONSENTED.value),
        ),
    ),
    CatalogQuery(
        name="functions.completedConsentsTo",
        purpose="Reveal summary: how many consents to a member completed (subtracted from "
        "`functions.consentsTo` to give the pending ones).",
        caller=Caller.FUNCTIONS,
        collection="revealConsents",
        group=True,
        where=(Where("counterpartId", "==", UID), Where("completedAt", "!=", None)),
    ),
)

_OPEN: Final = Where("status", "in", (RequestStatus.OPEN.value, RequestStatus.IN_PROGRESS.value))
_PRIVILEGES: Final = (
    CatalogQuery(
        name="functions.openRequestsOf",
        purpose="Open-request limit: how many requests a member has open or in progress "
        "(counted, never read), kept on their private account for the rules.",
        caller=Caller.FUNCTIONS,
        collection=Collection.REQUESTS.value,
        where=(Where("requesterId", "==", UID), _OPEN),
    ),
    CatalogQuery(
        name="functions.openRequestsOfBefore",
        purpose="Open-request limit, the backstop: how many of a member's open requests were "
        "created before a new one (counted, never read); at the limit the new one is closed.",
        caller=Caller.FUNCTIONS,
        collection=Collection.REQUESTS.value,
        where=(
            Where("requesterId", "==", UID),
            _OPEN,
            Where("createdAt", "<", Param("createdAt", "timestamp")),
        ),
    ),
)

FUNCTION_QUERIES: Final = (
    *_PRIVILEGES,
    *_JOBS,
    *_REVEAL,
    *_HUB,
    *_HELP_CYCLE,
    *(_backfill(*source) for source in BACKFILL_SOURCES),
)
"""Every query of functions/ (handlers, services, commands)."""
