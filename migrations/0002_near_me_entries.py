"""Near-me entries for documents that existed before the near-me lists (issue 16).

The lists `systemSettings/nearMe/{list}/{documentId}` are kept by triggers on every change of a
request, community event, resource or offering; a document stored before that release has no
entry until it next changes, so near-me pages would miss it. This migration pages through the
four source collections and leaves each document's entry exactly as its trigger would
(`mitche.handlers.LISTINGS` decides whether and how a document is listed, `entry_data` writes
it, with `updatedAt` stamped by the server): a listed document gets its entry, an unlisted one
loses a stale entry, and an entry already right is left alone, so applying twice changes
nothing.

Entries are derived data: `down` deletes the entry of every source document (the triggers write
an entry again when its document next changes; applying again restores them all).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from mitche.handlers import LISTINGS, entry_data
from mitche.models import NearbyList, nearby_entries_path

Document = dict[str, Any]

LISTS: Final = {
    "communityEvents": NearbyList.EVENTS,
    "offerings": NearbyList.OFFERINGS,
    "requests": NearbyList.REQUESTS,
    "resources": NearbyList.RESOURCES,
}
"""The source collections and the list each one's documents go on."""

SCOPE = (
    "communityEvents/{eventId}",
    "offerings/{offeringId}",
    "requests/{requestId}",
    "resources/{resourceId}",
)
READS = (
    *SCOPE,
    "systemSettings/nearMe/nearbyEvents/{entryId}",
    "systemSettings/nearMe/nearbyOfferings/{entryId}",
    "systemSettings/nearMe/nearbyRequests/{entryId}",
    "systemSettings/nearMe/nearbyResources/{entryId}",
)
WRITES = READS[len(SCOPE) :]

_COMPARED: Final = ("key", "cell", "area", "category")
"""The entry fields a listing determines (`updatedAt` only says when it was written)."""


def _kind(path: str) -> NearbyList:
    return LISTS[path.split("/", 1)[0]]


def related(path: str) -> tuple[str, ...]:
    """The source document's entry on its list (the entry id is the document id)."""
    return (f"{nearby_entries_path(_kind(path))}/{path.split('/')[1]}",)


def _paths(documents: Mapping[str, Document | None]) -> tuple[str, str]:
    source = next(path for path in documents if path.count("/") == 1)
    return source, related(source)[0]


def up(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """The entry the trigger would leave: written when listed, deleted when not."""
    source, entry_path = _paths(documents)
    listing = LISTINGS[_kind(source)](documents[source])
    entry = documents[entry_path]
    if listing is None:
        return {} if entry is None else {entry_path: None}
    wanted = entry_data(listing)
    if entry is not None and all(entry.get(key) == wanted.get(key) for key in _COMPARED):
        return {}
    return {entry_path: wanted}


def down(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """Delete the source document's entry."""
    _source, entry_path = _paths(documents)
    return {} if documents[entry_path] is None else {entry_path: None}
