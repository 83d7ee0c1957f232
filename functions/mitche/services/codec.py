"""Between models and Firestore documents: references become real `DocumentReference`s.

Models hold references as path strings (`DocumentPath`), which is what validation, JSON Schema
and client types need. A stored document should hold Firestore reference values instead, so the
console links them and queries can compare them; `to_document` converts on write and
`from_document` converts back on read. Every other value (timestamps, GeoPoints, maps, arrays)
already has its Firestore form in `MitcheModel.to_firestore()`.
"""

from __future__ import annotations

import types
from collections.abc import Iterator, Mapping
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from google.cloud.firestore_v1 import Client, DocumentReference
from pydantic import BaseModel, RootModel, WithJsonSchema

from mitche.models._base import DocumentPath, MitcheModel

__all__ = ["from_document", "to_document"]

ModelT = TypeVar("ModelT", bound=BaseModel)

_Location = tuple[str | int, ...]
_PATH_MARKERS = tuple(
    marker for marker in get_args(DocumentPath)[1:] if isinstance(marker, WithJsonSchema)
)
"""The metadata object that only `DocumentPath` carries (compared by identity)."""


def _is_document_path(annotation: Any) -> bool:
    """Whether a (possibly optional or annotated) type is `DocumentPath`."""
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *metadata = get_args(annotation)
        return any(
            item is marker for item in metadata for marker in _PATH_MARKERS
        ) or _is_document_path(inner)
    if origin is Union or origin is types.UnionType:
        return any(_is_document_path(arm) for arm in get_args(annotation))
    return False


def _arms(annotation: Any) -> Iterator[Any]:
    """The concrete types an annotation may hold, through `Annotated` and unions."""
    origin = get_origin(annotation)
    if origin is Annotated:
        yield from _arms(get_args(annotation)[0])
    elif origin is Union or origin is types.UnionType:
        for arm in get_args(annotation):
            yield from _arms(arm)
    else:
        yield annotation


def _container_arg(annotation: Any, container: type, position: int) -> Any:
    """The item (or value) type of the list or dict arm of an annotation."""
    for arm in _arms(annotation):
        if get_origin(arm) is container:
            return get_args(arm)[position]
    return Any


def _field_annotation(model: type[BaseModel], name: str) -> Any:
    field = model.model_fields[name]
    if field.metadata:
        return Annotated[(field.annotation, *field.metadata)]
    return field.annotation


def _path_locations(annotation: Any, value: Any, location: _Location) -> Iterator[_Location]:
    """Where, in the dumped form of `value`, document paths sit."""
    if value is None:
        return
    if isinstance(value, RootModel):
        yield from _path_locations(_field_annotation(type(value), "root"), value.root, location)
    elif isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            key = field.alias or name
            annotation = _field_annotation(type(value), name)
            yield from _path_locations(annotation, getattr(value, name), (*location, key))
    elif isinstance(value, str):
        if _is_document_path(annotation):
            yield location
    elif isinstance(value, list | tuple):
        item = _container_arg(annotation, list, 0)
        for index, element in enumerate(value):
            yield from _path_locations(item, element, (*location, index))
    elif isinstance(value, Mapping):
        item = _container_arg(annotation, dict, 1)
        for key, element in value.items():
            yield from _path_locations(item, element, (*location, str(key)))


def to_document(model: MitcheModel, client: Client) -> dict[str, Any]:
    """The document to write: `model.to_firestore()` with every `DocumentPath` as a reference."""
    data = model.to_firestore()
    for location in _path_locations(type(model), model, ()):
        *parents, last = location
        container: Any = data
        for step in parents:
            container = container[step]
        container[last] = client.document(container[last])
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, DocumentReference):
        return value.path
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def from_document(model_type: type[ModelT], data: Mapping[str, Any]) -> ModelT:
    """The model of a stored document, with references read back as paths."""
    return model_type.model_validate(_plain(data))
