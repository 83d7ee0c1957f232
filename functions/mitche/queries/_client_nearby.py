"""Client queries of the near-me lists: the three small queries a page is made of.

Each list's entries (`systemSettings/nearMe/{list}`, mitche.models.nearby) are read by three
shapes of query, named `nearby.<list>.<shape>`:

* `cells` and `areas`: a merge stream, the entries of up to 30 cells (or 5-character areas)
  whose key lies in [low, high), in (key, id) order, continued with a cursor;
* `ring`: the entries of one key in up to 30 cells, in id order, continued with a cursor; a
  `count()` of the same query (limited) tells the pager where a page ends.

Entries exist only for documents every signed-in member may read, so the rules ask only that
the caller is signed in and that the query is limited (at most 100); the page then gets each
document through the rules. Resources are always listed by category.
"""

from __future__ import annotations

from typing import Final

from mitche.models import NearbyList, ResourceCategory, nearby_entries_path
from mitche.queries._declarations import Caller, CatalogQuery, Order, Param, Where

__all__ = ["NEARBY_QUERIES", "NEARBY_SHAPES", "nearby_query_name"]

NEARBY_SHAPES: Final = ("cells", "areas", "ring")
"""The shapes of query a near-me page is made of."""
_LIMIT: Final = Param("limit", "int", maximum=100)
_NAMES: Final = {
    NearbyList.REQUESTS: "requests",
    NearbyList.EVENTS: "events",
    NearbyList.RESOURCES: "resources",
    NearbyList.OFFERINGS: "offerings",
}
_PURPOSES: Final = {
    NearbyList.REQUESTS: "open requests near me, most urgent first, then soonest deadline, "
    "then nearest",
    NearbyList.EVENTS: "upcoming community events near me, soonest first, then nearest",
    NearbyList.RESOURCES: "resources of one category near me, nearest first",
    NearbyList.OFFERINGS: "standing offerings near me, nearest first",
}


def nearby_query_name(kind: NearbyList, shape: str) -> str:
    """The catalog name of one shape of query of a list (`nearby.requests.cells`)."""
    if shape not in NEARBY_SHAPES:
        raise ValueError(f"shape is {shape!r}, must be one of {list(NEARBY_SHAPES)}")
    return f"nearby.{_NAMES[kind]}.{shape}"


def _category(kind: NearbyList) -> tuple[Where, ...]:
    if kind is NearbyList.RESOURCES:
        choices = tuple(category.value for category in ResourceCategory)
        return (Where("category", "==", Param("category", choices=choices)),)
    return ()


def _queries(kind: NearbyList) -> tuple[CatalogQuery, ...]:
    collection = nearby_entries_path(kind)
    purpose = _PURPOSES[kind]
    streams = tuple(
        CatalogQuery(
            name=nearby_query_name(kind, f"{field}s"),
            purpose=f"Near me, {purpose}: one merge stream of a page (entries of up to 30 "
            f"{'cells' if field == 'cell' else 'areas'} with keys in [low, high)).",
            caller=Caller.MEMBER,
            collection=collection,
            where=(
                *_category(kind),
                Where(field, "in", Param(f"{field}s", "list")),
                Where("key", ">=", Param("low")),
                Where("key", "<", Param("high")),
            ),
            order=(Order("key"), Order("__name__")),
            limit=_LIMIT,
            paged=True,
            guard=("limit",),
        )
        for field in ("cell", "area")
    )
    ring = CatalogQuery(
        name=nearby_query_name(kind, "ring"),
        purpose=f"Near me, {purpose}: the entries of one key in up to 30 cells at the same "
        "distance band, by id (and its count, which tells where a page ends).",
        caller=Caller.MEMBER,
        collection=collection,
        where=(
            *_category(kind),
            Where("key", "==", Param("key")),
            Where("cell", "in", Param("cells", "list")),
        ),
        order=(Order("__name__"),),
        limit=_LIMIT,
        paged=True,
        guard=("limit",),
    )
    return (*streams, ring)


NEARBY_QUERIES: Final = tuple(query for kind in NearbyList for query in _queries(kind))
"""Every near-me list's queries."""
