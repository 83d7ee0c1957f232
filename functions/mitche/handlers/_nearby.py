"""Keep each near-me list in step with its documents: one entry per listable document.

The entry is derived from the document as it is when the handler runs, not from the event:
triggers are delivered at least once and in any order, so a transaction reads the document and
writes (or deletes) its entry from that; a late redelivery of an old change rewrites the
current entry, never an old one. Changes that move nothing a list shows (a title edited, a
view counted) cost nothing: the event's before and after give the same listing, so the handler
reads and writes nothing. Otherwise it costs one read and one write.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from google.cloud import firestore

from mitche.domain.nearby import (
    Listing,
    event_listing,
    offering_listing,
    request_listing,
    resource_listing,
)
from mitche.handlers._context import Deps, DocumentChange
from mitche.models import NearbyList, nearby_entries_path
from mitche.services import Unit, run_transaction

__all__ = ["LISTINGS", "NearbySync", "entry_data", "sync_nearby"]

LISTINGS: Final[Mapping[NearbyList, Callable[[Mapping[str, Any] | None], Listing | None]]] = {
    NearbyList.REQUESTS: request_listing,
    NearbyList.EVENTS: event_listing,
    NearbyList.RESOURCES: resource_listing,
    NearbyList.OFFERINGS: offering_listing,
}
"""How a document of each list's collection becomes an entry (None: not listed)."""


@dataclass(frozen=True, slots=True)
class NearbySync:
    """What the handler did: whether it touched the entry, and the listing it wrote."""

    touched: bool
    listing: Listing | None


def entry_data(listing: Listing) -> dict[str, Any]:
    """The entry document of a listing (its `updatedAt` stamped by the server)."""
    data: dict[str, Any] = {
        "key": listing.key,
        "cell": listing.cell,
        "area": listing.area,
        "updatedAt": firestore.SERVER_TIMESTAMP,
    }
    if listing.category is not None:
        data["category"] = listing.category
    return data


def sync_nearby(deps: Deps, change: DocumentChange, kind: NearbyList) -> NearbySync:
    """Write or delete the document's entry on `kind` when the change moves its listing."""
    listing_of = LISTINGS[kind]
    if listing_of(change.before) == listing_of(change.after):
        return NearbySync(touched=False, listing=listing_of(change.after))
    entry = f"{nearby_entries_path(kind)}/{change.document_id}"

    def apply(unit: Unit) -> Listing | None:
        current = listing_of(unit.get(change.path))
        if current is None:
            unit.delete(entry)
        else:
            unit.set(entry, entry_data(current))
        return current

    listing = run_transaction(deps.client, f"nearby.{kind.value}", apply)
    return NearbySync(touched=True, listing=listing)
