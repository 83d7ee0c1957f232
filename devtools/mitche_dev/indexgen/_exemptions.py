"""Which stored fields should not be indexed, read from the models.

Firestore indexes every field of every document in both directions unless a field override
says otherwise, and every index entry costs storage and write latency. Four kinds of field are
worth exempting when no catalog query needs their single-field index:

* large text (`description`, `story`, message `text`): never filtered on, and long values make
  the largest index entries;
* write-time stamps (`createdAt`, `updatedAt`, ...): each write sets the largest value yet, so
  every write lands at the end of the same index range, a hotspot that caps a collection's
  write rate (Firestore's best practices call this out for monotonically increasing fields);
* dynamic-key maps (`readBy`, `reactions`, `participantState`, `geography`): one index entry
  per key, keys chosen by users, never queried by key;
* TTL fields (`expiresAt`): Firestore's TTL documentation recommends exempting them for the
  same hotspot reason; their override also carries `ttl: true`, the TTL policy.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal, Union, get_args, get_origin

from annotated_types import MaxLen
from pydantic import AwareDatetime
from pydantic.fields import FieldInfo

from mitche.models import DocumentPath, MitcheModel, collection_specs

__all__ = [
    "LARGE_TEXT_CHARACTERS",
    "WRITE_TIME_STAMPS",
    "ExemptionKind",
    "FieldShape",
    "candidates",
    "collection_group_models",
]

LARGE_TEXT_CHARACTERS: Final = 1000
"""Strings allowed at least this long are large text (Firestore truncates index entries at 1500
bytes, which 1000 characters of non-ASCII text already exceed)."""

WRITE_TIME_STAMPS: Final = frozenset(
    {
        "createdAt",
        "updatedAt",
        "processedAt",
        "computedAt",
        "lastActiveAt",
        "lastRequestAt",
        "lastOfferingAt",
        "lastMessageAt",
        "lastReportAt",
    }
)
"""Top-level timestamp fields whose value is the time of the write that sets them."""

ExemptionKind = Literal["largeText", "writeTime", "dynamicMap", "ttl"]


@dataclass(frozen=True, slots=True)
class FieldShape:
    """A stored field worth exempting, and why."""

    collection_group: str
    field_path: str
    kind: ExemptionKind
    description: str


def collection_group_models() -> Mapping[str, tuple[type[MitcheModel], ...]]:
    """Every collection id of the data model and the document models stored under it (the
    `private` subcollections and systemSettings hold several)."""
    groups: dict[str, list[type[MitcheModel]]] = {}
    for spec in collection_specs().values():
        groups.setdefault(spec.collection.value, []).append(spec.model)
        for sub in spec.subcollections:
            segments = sub.path.split("/")
            groups.setdefault(segments[-2], []).append(sub.model)
    return {group: tuple(dict.fromkeys(models)) for group, models in groups.items()}


def _arms(annotation: Any) -> Iterator[Any]:
    origin = get_origin(annotation)
    if origin is Annotated:
        yield from _arms(get_args(annotation)[0])
    elif origin is Union or origin is types.UnionType:
        for arm in get_args(annotation):
            if arm is not type(None):
                yield from _arms(arm)
    else:
        yield annotation


_REFERENCE_MARKERS: Final = tuple(get_args(DocumentPath)[1:])
"""The metadata objects of `DocumentPath` (compared by identity): references are stored as
Firestore reference values, not text."""


def _metadata(field: FieldInfo) -> Iterator[object]:
    """Every metadata object of a field, through `Annotated` and unions."""
    yield from field.metadata
    stack = [field.annotation]
    while stack:
        annotation = stack.pop()
        origin = get_origin(annotation)
        if origin is Annotated:
            inner, *metadata = get_args(annotation)
            yield from metadata
            stack.append(inner)
        elif origin is Union or origin is types.UnionType:
            stack.extend(get_args(annotation))


def _is_reference(field: FieldInfo) -> bool:
    return any(item is marker for item in _metadata(field) for marker in _REFERENCE_MARKERS)


def _max_length(field: FieldInfo) -> int | None:
    lengths: list[int] = []
    for item in _metadata(field):
        if isinstance(item, MaxLen):
            lengths.append(item.max_length)
        elif isinstance(item, FieldInfo):
            lengths += [inner.max_length for inner in item.metadata if isinstance(inner, MaxLen)]
    return max(lengths) if lengths else None


def _shapes(group: str, model: type[MitcheModel], prefix: str) -> Iterator[FieldShape]:
    for name, field in model.model_fields.items():
        path = f"{prefix}{field.alias or name}"
        about = field.description or ""
        arms = list(_arms(field.annotation))
        if "TTL field" in about:
            yield FieldShape(group, path, "ttl", about)
        elif any(get_origin(arm) is dict for arm in arms):
            yield FieldShape(group, path, "dynamicMap", about)
        elif (
            str in arms
            and not _is_reference(field)
            and (_max_length(field) or 0) >= LARGE_TEXT_CHARACTERS
        ):
            yield FieldShape(group, path, "largeText", about)
        elif not prefix and _is_timestamp(arms) and path in WRITE_TIME_STAMPS:
            yield FieldShape(group, path, "writeTime", about)
        for arm in arms:
            if isinstance(arm, type) and issubclass(arm, MitcheModel):
                yield from _shapes(group, arm, f"{path}.")


def _is_timestamp(arms: list[Any]) -> bool:
    return any(arm is AwareDatetime or arm is dt.datetime for arm in arms)


def candidates() -> list[FieldShape]:
    """Every field of every collection group that is large text, a write-time stamp, a
    dynamic-key map or a TTL field, sorted by (collection group, field path)."""
    found: dict[tuple[str, str], FieldShape] = {}
    for group, models in collection_group_models().items():
        for model in models:
            for shape in _shapes(group, model, ""):
                found.setdefault((shape.collection_group, shape.field_path), shape)
    return [found[key] for key in sorted(found)]
