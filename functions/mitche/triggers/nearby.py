"""Documents of the near-me lists written: keep each list's entry in step (mitche.handlers
sync_nearby), one function per source collection."""

from __future__ import annotations

from mitche.handler_names import HandlerName
from mitche.handlers import Deps, DocumentChange, sync_nearby
from mitche.models import NearbyList
from mitche.triggers._adapt import WrittenEvent, run_handlers

__all__ = ["DOCUMENTS", "on_listed_document_written"]

DOCUMENTS = {
    NearbyList.REQUESTS: "requests/{requestId}",
    NearbyList.EVENTS: "communityEvents/{eventId}",
    NearbyList.RESOURCES: "resources/{resourceId}",
    NearbyList.OFFERINGS: "offerings/{offeringId}",
}
"""The documents each list is made of."""

HANDLERS = {
    NearbyList.REQUESTS: HandlerName.NEARBY_REQUESTS,
    NearbyList.EVENTS: HandlerName.NEARBY_EVENTS,
    NearbyList.RESOURCES: HandlerName.NEARBY_RESOURCES,
    NearbyList.OFFERINGS: HandlerName.NEARBY_OFFERINGS,
}
"""The handler name of each list's upkeep."""


def on_listed_document_written(event: WrittenEvent, kind: NearbyList) -> None:
    """A document of `kind`'s collection was written: move its entry in or out."""

    def handler(deps: Deps, change: DocumentChange) -> object:
        return sync_nearby(deps, change, kind)

    run_handlers(event, {HANDLERS[kind]: handler})
