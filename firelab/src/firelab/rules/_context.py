"""The request being judged, and the `request` and `resource` values the rules see.

A `RulesRequest` is plain Python data (a path, a method, the caller's identity, the document or
object before and after the write); `request_value` and `resource_value` turn it into the
rules' maps exactly as the reference describes them:

- Firestore (https://firebase.google.com/docs/reference/rules/rules.firestore.Request and
  rules.firestore.Resource): `request.auth` {uid, token} or null, `request.method`,
  `request.path`, `request.time`, `request.query` {limit, offset, orderBy} on lists,
  `request.resource` on writes; `resource` {data, id, __name__} or null when the document does
  not exist.
- Storage (https://firebase.google.com/docs/storage/security/rules-conditions): `resource` is
  the object's metadata map (name, bucket, size, contentType, metadata, ...) and
  `request.resource` the metadata to be written.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal, TypeAlias

from firelab.rules._values import RulesError, RulesPath, RulesTimestamp, Value, from_firestore

__all__ = [
    "FIRESTORE",
    "STORAGE",
    "Auth",
    "CompositeFilter",
    "FieldFilter",
    "Filter",
    "ListQuery",
    "Method",
    "OrderBy",
    "RulesRequest",
    "ServiceName",
    "document_path_segments",
    "firestore_document",
    "request_segments",
    "request_value",
    "resource_value",
]

ServiceName: TypeAlias = Literal["cloud.firestore", "firebase.storage"]
FIRESTORE: Final = "cloud.firestore"
STORAGE: Final = "firebase.storage"
Method: TypeAlias = Literal["get", "list", "create", "update", "delete"]
FilterOp: TypeAlias = Literal[
    "<", "<=", "==", "!=", ">=", ">", "array-contains", "array-contains-any", "in", "not-in"
]


@dataclass(frozen=True, slots=True)
class Auth:
    """A signed-in caller: `request.auth.uid` and the ID token's claims, `request.auth.token`."""

    uid: str
    token: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FieldFilter:
    """`where(field, op, value)`; `field` is a dotted field path or `__name__`."""

    field: str
    op: FilterOp
    value: object


@dataclass(frozen=True, slots=True)
class CompositeFilter:
    """`and(...)` / `or(...)` of filters."""

    op: Literal["and", "or"]
    filters: tuple[Filter, ...]


Filter: TypeAlias = FieldFilter | CompositeFilter


@dataclass(frozen=True, slots=True)
class OrderBy:
    """`orderBy(field, direction)`."""

    field: str
    direction: Literal["asc", "desc"] = "asc"


@dataclass(frozen=True, slots=True)
class ListQuery:
    """The constraints of a list (query) request; `filters` are ANDed together."""

    filters: tuple[Filter, ...] = ()
    order_by: tuple[OrderBy, ...] = ()
    limit: int | None = None
    offset: int | None = None
    #: True for a collection-group query: the request path names the collection id only.
    collection_group: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class RulesRequest:
    """One client operation to judge.

    `path` is the document path (`users/alice`), for a list the collection path (`users`, or the
    collection id for a collection-group query), for Storage the object name
    (`users/alice/avatar.png`). A path starting with `/` is taken as the full path the rules
    see (`/databases/(default)/documents/users/alice`, `/b/bucket/o/users/alice/avatar.png`).
    `resource` is the stored document data (Storage: object metadata) before the operation,
    None if absent; `request_resource` the data after a create or update with every transform
    applied.
    """

    method: Method
    path: str
    service: ServiceName = FIRESTORE
    auth: Auth | None = None
    time: RulesTimestamp | _dt.datetime | None = None
    resource: Mapping[str, object] | None = None
    request_resource: Mapping[str, object] | None = None
    query: ListQuery | None = None
    database: str = "(default)"
    bucket: str = "default-bucket"


def request_segments(request: RulesRequest) -> tuple[str, ...]:
    """The request's full rules path as segments (`databases`, `(default)`, `documents`, ...).

    A path starting with `/` is already the full path relative to the service (what the rules
    call `request.path`); any other path is relative to the database's documents or the
    bucket's objects.
    """
    parts = tuple(part for part in request.path.split("/") if part)
    if request.path.startswith("/"):
        return parts
    if request.service == STORAGE:
        return ("b", request.bucket, "o", *parts)
    return ("databases", request.database, "documents", *parts)


def document_path_segments(path: RulesPath) -> tuple[str, str] | RulesError:
    """(database, document path) of a Firestore document path, or an error saying why not.

    A document path is `/databases/{db}/documents/{collection}/{id}[/{collection}/{id}...]`.
    """
    segments = path.segments
    if len(segments) < 5 or segments[0] != "databases" or segments[2] != "documents":
        return RulesError(f"{path} is not a path of the form /databases/{{db}}/documents/...")
    rest = segments[3:]
    if len(rest) % 2 != 0:
        return RulesError(f"{path} names a collection, not a document")
    if any(segment.startswith("$(") for segment in rest):
        return RulesError(f"{path} has an unbound segment")
    return segments[1], "/".join(rest)


def _time(request: RulesRequest) -> RulesTimestamp:
    if isinstance(request.time, RulesTimestamp):
        return request.time
    if isinstance(request.time, _dt.datetime):
        return RulesTimestamp.from_datetime(request.time)
    return RulesTimestamp.from_datetime(_dt.datetime.now(_dt.UTC))


def _auth_value(auth: Auth | None) -> Value:
    if auth is None:
        return None
    return {"uid": auth.uid, "token": from_firestore(dict(auth.token))}


def _query_value(query: ListQuery) -> Value:
    value: dict[str, Value] = {}
    if query.limit is not None:
        value["limit"] = query.limit
    if query.offset is not None:
        value["offset"] = query.offset
    if query.order_by:
        value["orderBy"] = {
            order.field: "DESCENDING" if order.direction == "desc" else "ASCENDING"
            for order in query.order_by
        }
    return value


def firestore_document(segments: tuple[str, ...], data: Mapping[str, object]) -> Value:
    """A rules.firestore.Resource: `{data, id, __name__}` for a document at `segments`."""
    return {
        "data": from_firestore(dict(data)),
        "id": segments[-1],
        "__name__": RulesPath(segments),
    }


def _storage_object(
    request: RulesRequest, segments: tuple[str, ...], metadata: Mapping[str, object]
) -> Value:
    value = from_firestore(dict(metadata))
    if not isinstance(value, dict):
        return value
    value.setdefault("name", "/".join(segments[3:]))
    value.setdefault("bucket", segments[1] if len(segments) > 1 else request.bucket)
    # Every object has a custom metadata map, empty when none was set (rules.storage.Resource).
    value.setdefault("metadata", {})
    return value


def resource_value(request: RulesRequest, segments: tuple[str, ...]) -> Value:
    """`resource`: the stored document or object before the operation, null if there is none."""
    if request.resource is None:
        return None
    if request.service == STORAGE:
        return _storage_object(request, segments, request.resource)
    return firestore_document(segments, request.resource)


def request_value(request: RulesRequest, segments: tuple[str, ...]) -> dict[str, Value]:
    """`request`: auth, method, path, time, and resource (writes) or query (lists)."""
    value: dict[str, Value] = {
        "auth": _auth_value(request.auth),
        "method": request.method,
        "path": RulesPath(segments),
        "time": _time(request),
        "params": {},
        "resource": None,
    }
    if request.request_resource is not None and request.method in ("create", "update"):
        if request.service == STORAGE:
            value["resource"] = _storage_object(request, segments, request.request_resource)
        else:
            value["resource"] = firestore_document(segments, request.request_resource)
    if request.method == "list":
        value["query"] = _query_value(request.query or ListQuery())
    return value
