"""Which model a document path holds, read from the registry of collection specs.

The registry declares each collection (`users/{userId}`) and the documents nested below it
(`users/{userId}/private/identity`) or fixed beside it (`systemSettings/gamification`) as path
templates. A concrete path matches a template segment by segment, `{wildcards}` matching any
id; when several templates match, the one with the most literal segments wins, so
`systemSettings/gamification` resolves to its own model rather than the collection's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from mitche.errors import NotFoundError
from mitche.models._base import MitcheModel
from mitche.models.registry import collection_specs

__all__ = ["PathTemplate", "UnknownDocumentPathError", "model_for_path", "path_templates"]


class UnknownDocumentPathError(NotFoundError):
    """No collection spec declares a document at this path."""


@dataclass(frozen=True, slots=True)
class PathTemplate:
    """A document path template of the registry and the model stored there."""

    template: str
    """Segments joined by '/', wildcards written `{name}`."""
    model: type[MitcheModel]

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(self.template.split("/"))

    @property
    def literal_count(self) -> int:
        """Segments that are fixed names rather than wildcards."""
        return sum(not _is_wildcard(segment) for segment in self.segments)

    def matches(self, path: str) -> bool:
        """Whether a concrete document path fits this template."""
        parts = path.split("/")
        if len(parts) != len(self.segments) or not all(parts):
            return False
        return all(
            _is_wildcard(expected) or expected == part
            for expected, part in zip(self.segments, parts, strict=True)
        )


def _is_wildcard(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


@cache
def path_templates() -> tuple[PathTemplate, ...]:
    """Every document template the registry declares: each collection's documents, then the
    documents nested below or fixed beside them."""
    templates: list[PathTemplate] = []
    for spec in collection_specs().values():
        templates.append(PathTemplate(f"{spec.collection.value}/{{{spec.id_field}}}", spec.model))
        templates.extend(PathTemplate(sub.path, sub.model) for sub in spec.subcollections)
    return tuple(templates)


def model_for_path(path: str) -> type[MitcheModel]:
    """The model the registry declares for a concrete document path."""
    candidates = [template for template in path_templates() if template.matches(path)]
    if not candidates:
        raise UnknownDocumentPathError(
            f"{path!r} matches no document template of the registry "
            "(collection/{id} or a declared subcollection document)"
        )
    return max(candidates, key=lambda template: template.literal_count).model
