"""The query catalog: every Firestore query Mitché makes, declared once as data.

A missing composite index is the most common way a Firestore app breaks in production: the
emulator serves every query, production answers "The query requires an index". So every query
the client apps and the functions make is a `CatalogQuery` here (collection or group, filters
with `Param` placeholders, orderings, limit, and the `Caller` who runs it), code builds its
queries from the declarations (`query_for(client, "requests.mine", uid=uid)`), and
firestore.indexes.json is generated from the same declarations
(`python -m mitche_dev.indexgen [--check]`, see `mitche_dev.indexgen`). The test suite
runs every declaration on the local server with index enforcement and firestore.rules.

"Near me" is `near_me` (and `NearMeFeed` for a member scrolling): a page of a near-me list
(open requests, upcoming events, resources by category, standing offerings) built from the
`nearby.*` queries over the entries functions keep, in about 20-60 entry reads plus one get per
result whatever the density and radius; see `mitche.queries._near_me` for the design.

TTL policies (field overrides with `ttl: true` in firestore.indexes.json; Firestore deletes a
document once the field's time has passed, usually within a day, so readers must not rely on
expired documents being gone already):

* `processedEvents.expiresAt`: the triggers' idempotency markers
  (`users/{uid}/processedEvents/*`, `analytics/{day}/processedEvents/*`), kept
  `MARKER_RETENTION` (30 days) after the event, long after any redelivery;
* `entries.expiresAt`: weekly leaderboard entries
  (`systemSettings/leaderboards/boards/weekly-*/entries/*`), four weeks after their week ends;
  all-time entries have no `expiresAt` and never expire;
* `notifications.expiresAt`: members' notifications (`users/{uid}/notifications/*`),
  `NOTIFICATION_RETENTION` (90 days) after the latest event folded into them; an unread one
  deleted by the TTL is taken off the unread count by its delete trigger;
* `auditEntries.expiresAt`: audit log entries (`systemSettings/audit/auditEntries/*`),
  `retentionDays` of `systemSettings/audit` (400 by default) after the audited action;
* `private.expiresAt`: a member's finished data export job (`users/{uid}/private/export`),
  `EXPORT_RETENTION` after it is ready (its archive in Storage goes with it); no other
  `private` document has the field.

These fields are exempt from indexing too (no query reads them; a timestamp index on them would
be a write hotspot). A test checks each TTL override names a model field documented as a TTL
field, and each such field has its override.
"""

from mitche.queries._build import build, build_nearest, sample_params, structured_query
from mitche.queries._catalog import (
    CATALOG,
    catalog_query,
    client_queries,
    function_queries,
    nearest_query_for,
    query_for,
)
from mitche.queries._client_help import SHOWN_STATES, SIGNED_IN_AUDIENCE
from mitche.queries._client_nearby import NEARBY_SHAPES, nearby_query_name
from mitche.queries._declarations import (
    DOCUMENT_ID,
    UID,
    Caller,
    CatalogQuery,
    Nearest,
    Op,
    Order,
    Param,
    ParamKind,
    Where,
)
from mitche.queries._errors import QueryParameterError, UnknownQueryError
from mitche.queries._function_queries import BACKFILL_SOURCES, backfill_query_name
from mitche.queries._near_me import (
    PAGE_SIZE,
    SOURCE_COLLECTIONS,
    FirestoreEntries,
    NearbyDocument,
    NearMeFeed,
    NearMePage,
    list_bands,
    near_me,
)

__all__ = [
    "BACKFILL_SOURCES",
    "CATALOG",
    "DOCUMENT_ID",
    "NEARBY_SHAPES",
    "PAGE_SIZE",
    "SHOWN_STATES",
    "SIGNED_IN_AUDIENCE",
    "SOURCE_COLLECTIONS",
    "UID",
    "Caller",
    "CatalogQuery",
    "FirestoreEntries",
    "NearMeFeed",
    "NearMePage",
    "NearbyDocument",
    "Nearest",
    "Op",
    "Order",
    "Param",
    "ParamKind",
    "QueryParameterError",
    "UnknownQueryError",
    "Where",
    "backfill_query_name",
    "build",
    "build_nearest",
    "catalog_query",
    "client_queries",
    "function_queries",
    "list_bands",
    "near_me",
    "nearby_query_name",
    "nearest_query_for",
    "query_for",
    "sample_params",
    "structured_query",
]
