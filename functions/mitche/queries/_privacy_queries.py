"""Queries of the privacy jobs: everything stored about one member, page by page.

A data export (`mitche.handlers._export`) reads each source below with a cursor on the document
id, so a member with a long history is read in bounded pages across several function runs.
The member's own subcollections are read whole (every subcollection the `users` collection
declares, so a new one is exported without anyone remembering to); documents elsewhere are
found by the field that names their author.
"""

from __future__ import annotations

from typing import Final

from mitche.models import AUDIT_ENTRIES, Collection, ErasurePhase, collection_specs
from mitche.queries._declarations import DOCUMENT_ID, UID, Caller, CatalogQuery, Order, Param, Where

__all__ = [
    "AUTHORED_SOURCES",
    "ERASURE_SOURCES",
    "MEMBER_SUBCOLLECTIONS",
    "PRIVACY_QUERIES",
    "authored_query_name",
    "erasure_query_name",
    "subcollection_query_name",
]

PAGE_LIMIT: Final = Param("pageSize", "int", maximum=500)


def _member_subcollections() -> tuple[str, ...]:
    """Every subcollection id below `users/{userId}` that the models declare."""
    spec = collection_specs()[Collection.USERS]
    prefix = f"{Collection.USERS.value}/{{{spec.id_field}}}/"
    return tuple(
        sorted(
            {sub.path.split("/")[2] for sub in spec.subcollections if sub.path.startswith(prefix)}
        )
    )


MEMBER_SUBCOLLECTIONS: Final = _member_subcollections()
"""The member's own subcollections (`private`, `hopeLedger`, ...)."""

AUTHORED_SOURCES: Final[tuple[tuple[str, str, bool, str], ...]] = (
    ("requests", Collection.REQUESTS.value, False, "requesterId"),
    ("offerings", Collection.OFFERINGS.value, False, "helperId"),
    ("messages", Collection.MESSAGES.value, False, "senderId"),
    ("registrations", "registrations", True, "userId"),
    ("reviews", "reviews", True, "authorId"),
    ("stories", Collection.TAPESTRY_THREADS.value, False, "nominatorId"),
    ("hearts", "hearts", True, "userId"),
    ("reports", Collection.REPORTS.value, False, "reporterId"),
    ("achievements", Collection.USER_ACHIEVEMENTS.value, False, "userId"),
)
"""(archive name, collection or collection-group id, is a group, the field naming the member)
of the documents the member wrote or owns outside their user document. Reports are those they
filed, never those about them (that would expose who reported them)."""


def subcollection_query_name(subcollection: str) -> str:
    """The catalog name of the page query over one of the member's subcollections."""
    return f"functions.privacy.member.{subcollection}"


def authored_query_name(name: str) -> str:
    """The catalog name of the page query over the documents of one authored source."""
    return f"functions.privacy.authored.{name}"


def _subcollection(subcollection: str) -> CatalogQuery:
    return CatalogQuery(
        name=subcollection_query_name(subcollection),
        purpose=f"Data export: one page of the member's {subcollection} documents.",
        caller=Caller.FUNCTIONS,
        collection=f"{Collection.USERS.value}/{{uid}}/{subcollection}",
        order=(Order(DOCUMENT_ID),),
        limit=PAGE_LIMIT,
        paged=True,
    )


def _authored(name: str, collection: str, group: bool, field: str) -> CatalogQuery:
    return CatalogQuery(
        name=authored_query_name(name),
        purpose=f"Data export: one page of the {collection} whose {field} is the member.",
        caller=Caller.FUNCTIONS,
        collection=collection,
        group=group,
        where=(Where(field, "==", UID),),
        order=(Order(DOCUMENT_ID),),
        limit=PAGE_LIMIT,
        paged=True,
    )


ERASURE_SOURCES: Final[tuple[tuple[str, str, bool, str, bool], ...]] = (
    ("messages", Collection.MESSAGES.value, False, "participantIds", True),
    ("conversations", Collection.CONVERSATIONS.value, False, "participantIds", True),
    ("offeringsHelped", Collection.OFFERINGS.value, False, "helperId", False),
    ("offeringsReceived", Collection.OFFERINGS.value, False, "requesterId", False),
    ("requests", Collection.REQUESTS.value, False, "requesterId", False),
    ("requestsHelped", Collection.REQUESTS.value, False, "acceptedHelperIds", True),
    ("eventsOrganised", Collection.COMMUNITY_EVENTS.value, False, "organizerId", False),
    ("eventsCoOrganised", Collection.COMMUNITY_EVENTS.value, False, "coOrganizerIds", True),
    ("resources", Collection.RESOURCES.value, False, "submittedBy", False),
    ("stories", Collection.TAPESTRY_THREADS.value, False, "nominatorId", False),
    ("nominations", "private", True, "nominatorId", False),
    ("nominationsAbout", "private", True, "subjectId", False),
    ("reportsFiled", Collection.REPORTS.value, False, "reporterId", False),
    ("reportsAbout", Collection.REPORTS.value, False, "targetOwnerId", False),
    ("reportCasesAbout", "private", True, "targetOwnerId", False),
    ("reviews", "reviews", True, "authorId", False),
    ("registrations", "registrations", True, "userId", False),
    ("hearts", "hearts", True, "userId", False),
    ("achievements", Collection.USER_ACHIEVEMENTS.value, False, "userId", False),
    ("revealConsents", "revealConsents", True, "counterpartId", False),
    ("revealGrants", "revealGrants", True, "counterpartId", False),
    ("blockedBy", "blocks", True, "memberId", False),
    ("auditEntries", AUDIT_ENTRIES, False, "actor", False),
    ("casesAssigned", "private", True, "assignedModeratorId", False),
    ("casesResolved", "private", True, "resolution.resolvedBy", False),
    ("reportActions", "actions", True, "actorId", False),
    ("providerDecisions", "private", True, "decidedBy", False),
    ("settingsChanged", "systemSettings", False, "updatedBy", False),
)
"""(name, collection or group id, is a group, the field naming the member, whether it is an
array) of the documents outside the member's own that an erasure anonymises or deletes.
A report names the reported member on its case (`reportCasesAbout`, the `private` group) since
migration 0015; `reportsAbout` finds reports stored before it until the contract release. Staff
are members too: the cases assigned to or decided by a moderator, the report logs naming them,
the provider applications they decided and the settings they last changed name the erasure's
tombstone after it (the decisions stay, by a moderator since erased)."""


def erasure_query_name(name: str) -> str:
    """The catalog name of the erasure's query over one source."""
    return f"functions.privacy.erasure.{name}"


def _erasure(name: str, collection: str, group: bool, field: str, array: bool) -> CatalogQuery:
    return CatalogQuery(
        name=erasure_query_name(name),
        purpose=f"Account erasure: a page of the {collection} whose {field} names the member "
        "(each page anonymised or deleted, so the next page is the query again).",
        caller=Caller.FUNCTIONS,
        collection=collection,
        group=group,
        where=(Where(field, "array_contains" if array else "==", UID),),
        limit=PAGE_LIMIT,
    )


_UNDER_WAY: Final = tuple(phase.value for phase in ErasurePhase if phase is not ErasurePhase.DONE)

PRIVACY_QUERIES: Final = (
    *(_subcollection(name) for name in MEMBER_SUBCOLLECTIONS),
    *(_authored(*source) for source in AUTHORED_SOURCES),
    *(_erasure(*source) for source in ERASURE_SOURCES),
    CatalogQuery(
        name="functions.privacy.erasureOf",
        purpose="Account erasure: the member's erasure under way, if any.",
        caller=Caller.FUNCTIONS,
        collection="systemSettings/erasures/records",
        where=(Where("uid", "==", UID),),
        limit=1,
    ),
    CatalogQuery(
        name="functions.privacy.stalledErasures",
        purpose="Stalled erasures (every 15 minutes): erasures under way whose last step is "
        "older than the cutoff, moved again (their member, disabled, cannot ask).",
        caller=Caller.FUNCTIONS,
        collection="systemSettings/erasures/records",
        where=(
            Where(
                "phase", "in", tuple(p.value for p in ErasurePhase if p is not ErasurePhase.DONE)
            ),
            Where("updatedAt", "<", Param("cutoff", "timestamp")),
        ),
        limit=Param("limit", "int", maximum=100),
    ),
    CatalogQuery(
        name="functions.privacy.erasureRecords",
        purpose="Member scan (the scan-member command, run by an operator after an erasure): "
        "every erasure record, which legitimately keeps the tombstone and its uid.",
        caller=Caller.FUNCTIONS,
        collection="systemSettings/erasures/records",
    ),
)
"""Every query of the privacy jobs."""
