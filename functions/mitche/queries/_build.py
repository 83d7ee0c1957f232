"""From a declaration and its parameters to a google-cloud-firestore query.

`build` is the only place Mitché's code shapes a query (filters, orderings, limits, cursors,
projections); everything else asks it for one by catalog name, so the queries that run are
exactly the ones declared, and the indexes generated from the declarations serve them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final, cast

from google.cloud.firestore_v1 import Client, DocumentSnapshot, FieldFilter
from google.cloud.firestore_v1.base_vector_query import DistanceMeasure
from google.cloud.firestore_v1.field_path import FieldPath
from google.cloud.firestore_v1.query import Query
from google.cloud.firestore_v1.vector import Vector
from google.cloud.firestore_v1.vector_query import VectorQuery

from mitche.queries._declarations import DOCUMENT_ID, CatalogQuery, Order, Param, Where
from mitche.queries._errors import QueryParameterError

__all__ = ["build", "build_nearest", "sample_params", "structured_query"]

_DIRECTIONS: Final = {"asc": Query.ASCENDING, "desc": Query.DESCENDING}
_SAMPLE_TIME: Final = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


class _Bound:
    """A declaration's parameters, checked once: every placeholder given, nothing extra."""

    def __init__(self, query: CatalogQuery, params: Mapping[str, object]) -> None:
        declared = {param.name: param for param in query.params()}
        extra = sorted(set(params) - set(declared))
        missing = sorted(set(declared) - set(params))
        if extra or missing:
            raise QueryParameterError(
                f"{query.name}: parameters {sorted(declared)} expected; "
                f"missing {missing}, unexpected {extra}"
            )
        for name, param in declared.items():
            param.check(params[name])
            if param.kind == "text" and "/" in str(params[name]) and name in query.path_params():
                raise QueryParameterError(
                    f"{query.name}: path parameter {name!r} must be a document id"
                )
        self.values = dict(params)

    def value(self, client: Client, raw: object) -> Any:
        if not isinstance(raw, Param):
            return list(raw) if isinstance(raw, tuple) else raw
        value = self.values[raw.name]
        if raw.kind == "reference":
            return client.document(str(value))
        if raw.kind == "list":
            return list(value)  # type: ignore[call-overload]
        return value


def _field(order: Order) -> str:
    return FieldPath.document_id() if order.field == DOCUMENT_ID else order.field


def _filter(client: Client, clause: Where, bound: _Bound) -> FieldFilter:
    return FieldFilter(clause.field, clause.op, bound.value(client, clause.value))


def build(
    client: Client,
    query: CatalogQuery,
    /,
    *,
    start_after: DocumentSnapshot[Any] | dict[str, Any] | None = None,
    **params: object,
) -> Query:
    """The declared query for `client`, with `params` bound to its placeholders.

    Raises QueryParameterError when a parameter is missing, unexpected or out of range, or
    when a cursor is given to a query not declared `paged`.
    """
    bound = _Bound(query, params)
    path = query.collection.format(**{name: bound.values[name] for name in query.path_params()})
    built: Query = (
        client.collection_group(path) if query.group else client.collection(path)._query()
    )
    for clause in query.where:
        built = built.where(filter=_filter(client, clause, bound))
    for order in query.order:
        built = built.order_by(_field(order), direction=_DIRECTIONS[order.direction])
    if query.select is not None:
        built = built.select(list(query.select))
    limit = query.limit
    if limit is not None:
        count = bound.values[limit.name] if isinstance(limit, Param) else limit
        built = built.limit(count if isinstance(count, int) else int(str(count)))
    if start_after is not None:
        if not query.paged:
            raise QueryParameterError(f"{query.name} is not declared paged; it takes no cursor")
        built = built.start_after(start_after)
    return built


def build_nearest(
    client: Client, query: CatalogQuery, /, vector: Vector, **params: object
) -> VectorQuery:
    """The declared vector search for `client`: its filters, then the `vector`'s nearest
    neighbours (QueryParameterError for a query without a `nearest` stage or a vector of
    another dimension)."""
    nearest = query.nearest
    if nearest is None:
        raise QueryParameterError(f"{query.name} has no nearest stage; use build")
    if len(vector) != nearest.dimension:
        raise QueryParameterError(
            f"{query.name}: the vector has {len(vector)} dimensions, {nearest.dimension} declared"
        )
    bound = _Bound(query, params)
    limit = bound.values[nearest.limit.name] if isinstance(nearest.limit, Param) else nearest.limit
    built = build(client, query, start_after=None, **params)
    # google-cloud-firestore annotates find_nearest as returning the class, not an instance.
    return cast(
        VectorQuery,
        built.find_nearest(
            vector_field=nearest.field,
            query_vector=vector,
            distance_measure=DistanceMeasure[nearest.measure],
            limit=int(str(limit)),
            distance_result_field=nearest.distance_field,
        ),
    )


def sample_params(query: CatalogQuery) -> dict[str, Any]:
    """Placeholder values that make the query well formed (the index generator compiles the
    query with them; which values does not change the indexes a query needs)."""
    values: dict[str, Any] = {}
    for param in query.params():
        if param.kind == "int":
            values[param.name] = min(param.maximum or 20, 20)
        elif param.kind == "timestamp":
            values[param.name] = _SAMPLE_TIME
        elif param.kind == "reference":
            values[param.name] = "samples/sample"
        elif param.kind == "list":
            values[param.name] = list(param.choices[:2] or ("sample",))
        elif param.kind == "uid":
            values[param.name] = "sample-uid"
        else:
            values[param.name] = param.choices[0] if param.choices else "sample"
    return values


def structured_query(client: Client, query: CatalogQuery) -> tuple[Any, str]:
    """(the StructuredQuery protobuf the client would send, its parent document path) for the
    query with sample parameters."""
    built: Query | VectorQuery = build(client, query, **sample_params(query))
    if query.nearest is not None:
        unit = [1.0] + [0.0] * (query.nearest.dimension - 1)
        built = build_nearest(client, query, Vector(unit), **sample_params(query))
    if query.group:
        return built._to_protobuf(), ""
    path = query.collection.format(**sample_params(query))
    parent = path.rpartition("/")[0]
    return built._to_protobuf(), parent
