"""Queries of matching (mitche.handlers._matching and _matching_cards): the two vector
searches over the match cards, and what a helper's card reads of their offerings.

The searches pre-filter on the embedding's model (vectors of two models are never compared)
and, for helpers, on good standing; every other condition (category, distance, language, load,
the requester themself) is applied to the neighbours found (mitche.domain.matching), since
Firestore's vector search takes equality pre-filters only in a composite vector index.
"""

from __future__ import annotations

from typing import Final

from mitche.domain.matching import EMBEDDING_DIMENSION
from mitche.models import HELPER_CARDS, REQUEST_CARDS, Collection, OfferingStatus
from mitche.queries._declarations import UID, Caller, CatalogQuery, Nearest, Param, Where

__all__ = ["BLOCKS_READ", "HELPER_FIELDS", "MATCHING_QUERIES", "NEIGHBOURS", "REQUEST_FIELDS"]

BLOCKS_READ: Final = 500
"""Blocks read per direction when a suggestion call leaves blocked members out; a member who
blocked more than this many is protected by the rules' checks on contact alone beyond them."""
NEIGHBOURS: Final = Param("neighbours", "int", maximum=1000)
"""How many nearest cards a search returns (production's find_nearest allows 1,000)."""

HELPER_FIELDS: Final = (
    "alias",
    "active",
    "categories",
    "area",
    "travelKm",
    "remoteOk",
    "languages",
    "windows",
    "ratingAverage",
    "ratingCount",
    "ratingsByCategory",
    "openCommitments",
    "alerts",
    "alertedAt",
    "distance",
)
"""What the score reads of a helper card: everything but the vector (512 numbers the client
library would decode for nothing), and the search's distance (`distance_result_field`, which
a projection must name to be returned)."""
REQUEST_FIELDS: Final = (
    "requesterId",
    "category",
    "cell",
    "remoteOk",
    "urgency",
    "deadline",
    "languages",
    "distance",
)
"""What the score reads of a request card: everything but the vector, and the distance."""

MATCHING_QUERIES: Final = (
    CatalogQuery(
        name="functions.nearestHelpers",
        purpose="Suggested helpers for a request: the helper cards of members in good standing "
        "nearest to the request's embedding.",
        caller=Caller.FUNCTIONS,
        collection=HELPER_CARDS,
        where=(Where("model", "==", Param("model")), Where("active", "==", True)),
        select=HELPER_FIELDS,
        nearest=Nearest("embedding", EMBEDDING_DIMENSION, "COSINE", NEIGHBOURS, "distance"),
    ),
    CatalogQuery(
        name="functions.nearestRequests",
        purpose="Requests a helper could help with: the cards of requests every member may read "
        "nearest to the helper's embedding.",
        caller=Caller.FUNCTIONS,
        collection=REQUEST_CARDS,
        where=(Where("model", "==", Param("model")),),
        select=REQUEST_FIELDS,
        nearest=Nearest("embedding", EMBEDDING_DIMENSION, "COSINE", NEIGHBOURS, "distance"),
    ),
    CatalogQuery(
        name="functions.blocksOf",
        purpose="Suggestions leave out blocked members: whom the member blocked (ids only).",
        caller=Caller.FUNCTIONS,
        collection=f"{Collection.USERS.value}/{{uid}}/blocks",
        select=(),
        limit=Param("limit", "int", maximum=BLOCKS_READ),
    ),
    CatalogQuery(
        name="functions.blockersOf",
        purpose="Suggestions leave out blocked members: who blocked the member (a "
        "collection-group query the member may not run; the path names the blocker).",
        caller=Caller.FUNCTIONS,
        collection="blocks",
        group=True,
        where=(Where("memberId", "==", UID),),
        select=(),
        limit=Param("limit", "int", maximum=BLOCKS_READ),
    ),
    CatalogQuery(
        name="functions.standingOffersOf",
        purpose="A helper's card: their standing offerings still offered (categories, hours, "
        "remote help and what they offer).",
        caller=Caller.FUNCTIONS,
        collection=Collection.OFFERINGS.value,
        where=(
            Where("helperId", "==", UID),
            Where("requestPath", "==", None),
            Where("status", "==", OfferingStatus.OFFERED.value),
        ),
        limit=Param("limit", "int", maximum=20),
    ),
    CatalogQuery(
        name="functions.acceptedOfferingsOf",
        purpose="A helper's card: their open commitments (accepted offerings), ids only.",
        caller=Caller.FUNCTIONS,
        collection=Collection.OFFERINGS.value,
        where=(
            Where("helperId", "==", UID),
            Where("status", "==", OfferingStatus.ACCEPTED.value),
        ),
        select=(),
        limit=Param("limit", "int", maximum=50),
    ),
)
