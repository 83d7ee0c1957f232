"""Near me at the cost of its results: the covering of a circle, the order of near-me lists and
the pager that reads one page of them in a bounded number of small queries.

See `_listing` (which documents are listed, with which entry), `_cover` (which cells,
grouped into query streams), `_order` (the sortable key of each list and its bands) and
`_pager` (the page algorithm and its cursor).
"""

from mitche.domain.nearby._cover import (
    AREA_PRECISION,
    CELL_PRECISION,
    MAX_IN_VALUES,
    Covering,
    Ring,
    Stream,
    cell_centre,
    covering,
)
from mitche.domain.nearby._listing import (
    AUDIENCE,
    SHOWN,
    Listing,
    event_listing,
    offering_listing,
    request_listing,
    resource_listing,
)
from mitche.domain.nearby._order import (
    KEY_ALPHABET,
    NEAREST_KEY,
    TOP_KEY,
    URGENCY_LETTERS,
    Band,
    bands,
    request_key,
    successor,
    time_key,
)
from mitche.domain.nearby._pager import (
    Cursor,
    Entry,
    EntrySource,
    Page,
    Scan,
    next_page,
    order_of,
)

__all__ = [
    "AREA_PRECISION",
    "AUDIENCE",
    "CELL_PRECISION",
    "KEY_ALPHABET",
    "MAX_IN_VALUES",
    "NEAREST_KEY",
    "SHOWN",
    "TOP_KEY",
    "URGENCY_LETTERS",
    "Band",
    "Covering",
    "Cursor",
    "Entry",
    "EntrySource",
    "Listing",
    "Page",
    "Ring",
    "Scan",
    "Stream",
    "bands",
    "cell_centre",
    "covering",
    "event_listing",
    "next_page",
    "offering_listing",
    "order_of",
    "request_key",
    "request_listing",
    "resource_listing",
    "successor",
    "time_key",
]
