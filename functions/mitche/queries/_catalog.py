"""The catalog: every query Mitché makes, by name, and building one by name."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from google.cloud.firestore_v1 import Client, DocumentSnapshot
from google.cloud.firestore_v1.query import Query
from google.cloud.firestore_v1.vector import Vector
from google.cloud.firestore_v1.vector_query import VectorQuery

from mitche.queries._build import build, build_nearest
from mitche.queries._client_help import HELP_QUERIES
from mitche.queries._client_moderation import MODERATION_QUERIES
from mitche.queries._client_nearby import NEARBY_QUERIES
from mitche.queries._client_people import PEOPLE_QUERIES
from mitche.queries._declarations import CatalogQuery
from mitche.queries._errors import UnknownQueryError
from mitche.queries._event_queries import EVENT_QUERIES
from mitche.queries._function_queries import FUNCTION_QUERIES
from mitche.queries._matching_queries import MATCHING_QUERIES
from mitche.queries._notification_queries import NOTIFICATION_QUERIES
from mitche.queries._privacy_queries import PRIVACY_QUERIES

__all__ = [
    "CATALOG",
    "catalog_query",
    "client_queries",
    "function_queries",
    "nearest_query_for",
    "query_for",
]


def _index(queries: tuple[CatalogQuery, ...]) -> Mapping[str, CatalogQuery]:
    by_name: dict[str, CatalogQuery] = {}
    for query in queries:
        if query.name in by_name:
            raise ValueError(f"two catalog queries are named {query.name!r}")
        by_name[query.name] = query
    return MappingProxyType(by_name)


CATALOG: Final = _index(
    (
        *HELP_QUERIES,
        *MODERATION_QUERIES,
        *NEARBY_QUERIES,
        *PEOPLE_QUERIES,
        *FUNCTION_QUERIES,
        *EVENT_QUERIES,
        *MATCHING_QUERIES,
        *NOTIFICATION_QUERIES,
        *PRIVACY_QUERIES,
    )
)
"""Every declared query, by name."""


def catalog_query(name: str) -> CatalogQuery:
    """The declaration named `name`; UnknownQueryError if there is none."""
    found = CATALOG.get(name)
    if found is None:
        raise UnknownQueryError(f"no catalog query is named {name!r}; see mitche.queries.CATALOG")
    return found


def client_queries() -> list[CatalogQuery]:
    """The queries client apps make (judged by firestore.rules)."""
    return [query for query in CATALOG.values() if query.caller.is_client]


def function_queries() -> list[CatalogQuery]:
    """The queries Cloud Functions and commands make."""
    return [query for query in CATALOG.values() if not query.caller.is_client]


def query_for(
    client: Client,
    name: str,
    /,
    *,
    start_after: DocumentSnapshot[Any] | dict[str, Any] | None = None,
    **params: object,
) -> Query:
    """`build` for the catalog query named `name` (the form code uses: the name is greppable
    and a typo fails at once with UnknownQueryError)."""
    return build(client, catalog_query(name), start_after=start_after, **params)


def nearest_query_for(
    client: Client, name: str, /, vector: Vector, **params: object
) -> VectorQuery:
    """`build_nearest` for the catalog vector search named `name`."""
    return build_nearest(client, catalog_query(name), vector, **params)
