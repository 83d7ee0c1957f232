"""Whether a dotted field path names a stored field of a document model (through nested maps;
any key below a dict-typed field)."""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, get_args, get_origin

from mitche.models import MitcheModel

__all__ = ["has_field"]


def _arms(annotation: Any) -> list[Any]:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _arms(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [arm for item in get_args(annotation) for arm in _arms(item)]
    return [annotation]


def _resolves(model: type[MitcheModel], parts: list[str]) -> bool:
    by_alias = {field.alias or name: field for name, field in model.model_fields.items()}
    field = by_alias.get(parts[0])
    if field is None:
        return False
    if len(parts) == 1:
        return True
    for arm in _arms(field.annotation):
        if get_origin(arm) is dict:
            return True
        if isinstance(arm, type) and issubclass(arm, MitcheModel) and _resolves(arm, parts[1:]):
            return True
    return False


def has_field(models: tuple[type[MitcheModel], ...], path: str) -> bool:
    """Whether any of the models stores a field at `path` (`__name__` always exists)."""
    return path == "__name__" or any(_resolves(model, path.split(".")) for model in models)
