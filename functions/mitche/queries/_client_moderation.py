"""Moderators' queue of screened content: what the screen held or flagged, per collection.

The screen (mitche.handlers._screening) holds severe content (`hidden`) and flags content it
wants reviewed (`flagged`); moderators list each collection's share, most recently screened
first, and decide with the `review_content` callable. Moderators read every document of these
collections, so the rules allow the queries without an audience filter.
"""

from __future__ import annotations

from typing import Final

from mitche.models import ModerationState
from mitche.queries._declarations import Caller, CatalogQuery, Order, Param, Where

__all__ = ["MODERATION_QUERIES", "SCREENED_COLLECTIONS"]

SCREENED_COLLECTIONS: Final = (
    "requests",
    "offerings",
    "communityEvents",
    "resources",
    "tapestryThreads",
)
"""Top-level collections whose documents the screen judges (reviews and messages are read in
place, from their resource or conversation)."""
_WAITING: Final = (ModerationState.FLAGGED.value, ModerationState.HIDDEN.value)

MODERATION_QUERIES: Final = tuple(
    CatalogQuery(
        name=f"moderation.screened.{collection}",
        purpose=f"Moderators' queue: {collection} the screen held or flagged (moderation.status "
        "hidden or flagged), most recently screened first.",
        caller=Caller.MODERATOR,
        collection=collection,
        where=(Where("moderation.status", "in", _WAITING),),
        order=(Order("moderation.screenedAt", "desc"),),
        limit=Param("limit", "int", maximum=100),
    )
    for collection in SCREENED_COLLECTIONS
)
"""One queue query per screened collection."""
