"""Near-me entries, kept below `systemSettings/nearMe` (no fourteenth top-level collection).

`systemSettings/nearMe/{list}/{documentId}` (`NearbyEntry`): one line per document a near-me
list can show, written by Cloud Functions only and read by every signed-in member in pages of
at most 100. Lists: `nearbyRequests` (open requests), `nearbyEvents` (published upcoming
events), `nearbyResources` (active services) and `nearbyOfferings` (standing offerings); a
document is listed only while every signed-in member may read it (open or published, public or
community, not hidden or removed by moderation), and its entry carries only what ordering and
placing need: the published cell (never a finer place), its area and the sort key. The entry id
is the document's id; the page then gets each document, so firestore.rules still decide what
the member reads (see mitche.queries.near_me).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Final

from pydantic import Field

from mitche.models._base import SERVER, MitcheModel, Timestamp
from mitche.models.common import Geohash

__all__ = ["NEAR_ME_DOCUMENT", "NearbyEntry", "NearbyList", "nearby_entries_path"]

NEAR_ME_DOCUMENT: Final = "systemSettings/nearMe"
"""The functions-only document the near-me lists hang below."""


class NearbyList(StrEnum):
    """The near-me lists: the collection id of each list's entries."""

    REQUESTS = "nearbyRequests"
    EVENTS = "nearbyEvents"
    RESOURCES = "nearbyResources"
    OFFERINGS = "nearbyOfferings"


def nearby_entries_path(kind: NearbyList) -> str:
    """The collection path holding a list's entries."""
    return f"{NEAR_ME_DOCUMENT}/{kind.value}"


class NearbyEntry(MitcheModel):
    """One listed document of a near-me list: where it is published and where it sorts."""

    key: Annotated[
        Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[-.0-9:A-Z_a-z~]+$")],
        SERVER,
    ]
    """Sort key, searcher-independent (mitche.domain.nearby: urgency and deadline for requests,
    start time for events, `~` for lists ranked by distance alone)."""
    cell: Annotated[Geohash, Field(min_length=6, max_length=6), SERVER]
    """The document's published 6-character cell (`location.geohash`)."""
    area: Annotated[Geohash, Field(min_length=5, max_length=5), SERVER]
    """The cell's first 5 characters, so 32 cells can be asked for as one value."""
    category: Annotated[str | None, Field(max_length=40), SERVER] = None
    """The document's category, for lists filtered by category."""
    updated_at: Annotated[Timestamp, SERVER]
    """When a function last wrote the entry."""
