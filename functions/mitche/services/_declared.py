"""Server writes name only what the models declare.

Functions bypass the rules, so nothing but their own discipline keeps a document decodable:
one stray key (a report count written onto a member's document) and the model refuses the
document, the rules' key lists refuse every later client update, and the member is frozen.
`undeclared_fields` checks the fields of a write against the model of the document's path
(`mitche.models.registry`), and every `Unit` write calls it before buffering the write, so a
handler that writes an undeclared key fails loudly in its first test rather than in
production.

A field path is declared when each of its segments names a field of the model reached so far
(by its camelCase alias); a mapping-typed field (`dict[...]`) accepts any key below it, and
values that are models are checked whole by their own dump (`to_document` writes only
declared keys).
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, Union

from pydantic import BaseModel

from mitche.errors import InternalError
from mitche.models import MitcheModel
from mitche.models.registry import collection_specs

__all__ = [
    "UndeclaredFieldError",
    "check_declared",
    "field_paths",
    "model_for_path",
    "undeclared_fields",
]


class UndeclaredFieldError(InternalError):
    """A function tried to write a field its document's model does not declare."""


@cache
def _templates() -> tuple[tuple[re.Pattern[str], type[MitcheModel]], ...]:
    found: list[tuple[str, type[MitcheModel]]] = []
    for spec in collection_specs().values():
        found.append((f"{spec.collection.value}/{{{spec.id_field}}}", spec.model))
        found.extend((sub.path, sub.model) for sub in spec.subcollections)
    # Literal segments beat wildcards: `systemSettings/moderation` before `{settingsId}`.
    found.sort(key=lambda item: item[0].count("{"))
    compiled = []
    for template, model in found:
        pattern = re.sub(r"\\\{[A-Za-z]+\\\}", "[^/]+", re.escape(template))
        compiled.append((re.compile(f"^{pattern}$"), model))
    return tuple(compiled)


def model_for_path(path: str) -> type[MitcheModel] | None:
    """The model of the document at `path`, or None when no collection declares it."""
    for pattern, model in _templates():
        if pattern.match(path):
            return model
    return None


def _models_in(annotation: Any) -> list[type[BaseModel]] | None:
    """The models a field's type may hold; None when it is a mapping (any key allowed) or a
    plain value (nothing below it)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        models: list[type[BaseModel]] = []
        for argument in typing.get_args(annotation):
            inner = _models_in(argument)
            if inner:
                models.extend(inner)
        return models
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return None


def _aliases(model: type[BaseModel]) -> Mapping[str, Any]:
    return {info.alias or name: info.annotation for name, info in model.model_fields.items()}


def _is_mapping(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_mapping(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return any(_is_mapping(argument) for argument in typing.get_args(annotation))
    return origin is dict


def _declared(model: type[BaseModel], steps: list[str]) -> bool:
    fields = _aliases(model)
    head, rest = steps[0], steps[1:]
    if head not in fields:
        return False
    if not rest or _is_mapping(fields[head]):
        return True
    return any(_declared(candidate, rest) for candidate in _models_in(fields[head]) or [])


def field_paths(data: Mapping[str, Any], prefix: str = "") -> list[str]:
    """The leaf field paths of a document's data (nested plain mappings walked, models and
    other values are leaves)."""
    paths: list[str] = []
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            paths.extend(field_paths(value, f"{path}."))
        else:
            paths.append(path)
    return paths


def check_declared(path: str, fields: Iterable[str]) -> None:
    """UndeclaredFieldError when a write to `path` names a field its model does not declare."""
    undeclared = undeclared_fields(path, fields)
    if undeclared:
        raise UndeclaredFieldError(
            f"{path}: {', '.join(sorted(undeclared))} not declared by its model; a function "
            "writes only what the models declare"
        )


def undeclared_fields(path: str, fields: Iterable[str]) -> list[str]:
    """The field paths of a write to `path` that its model does not declare (all of them when
    no model declares the document)."""
    names = list(fields)
    model = model_for_path(path)
    if model is None:
        return names
    return [name for name in names if not _declared(model, name.split("."))]
