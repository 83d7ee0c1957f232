"""Queries of matching (mitche.handlers._matching and _matching_cards): the two vector
searches over the match cards, and what a helper's card reads of their offerings.

The searches pre-filter on the embedding's model (vectors of two models are never compared)
and, for helpers, on good standing; every other condition (category, distance, language, load,
the requester themself) is applied to the neighbours found (mitche.domain.matching), since
Firestore's vector search takes equality pre-filters only in a composite vector index.
"""

from __future__ import annotations

from typing import Final

from mitche.models import Collection, OfferingStatus
from mitche.queries._declarations import UID, Caller, CatalogQuery, Param, Where

__all__ = ["MATCHING_QUERIES"]

MATCHING_QUERIES: Final = (
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
