"""The stored document shapes schema generation walks, flattened from the collection specs.

A collection contributes its own document (`users/{userId}`) and every subcollection document
it declares (`users/{userId}/private/identity`); each becomes one JSON Schema file, one section
of the Markdown reference and one entry of the TypeScript path map.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from pydantic import BaseModel

from mitche.models.registry import CollectionSpec

__all__ = ["Document", "SchemaGenError", "documents"]


class SchemaGenError(Exception):
    """The models cannot be turned into the generated schema files as they stand."""


_WILDCARD: Final = re.compile(r"^\{[A-Za-z][A-Za-z0-9]*\}$")


@dataclass(frozen=True, slots=True)
class Document:
    """One stored document shape and where it lives."""

    collection: str
    """The top-level collection it belongs to (`users`)."""
    path: str
    """Path template, from the database root, with `{wildcards}` for ids."""
    model: type[BaseModel]
    """The pydantic model of the document."""
    why: str | None
    """Why a subcollection document is kept apart; None for a collection's own document."""

    @property
    def is_subcollection(self) -> bool:
        """Whether the document sits below a collection document."""
        return self.why is not None

    @property
    def file_stem(self) -> str:
        """File name stem: the fixed path segments joined by dots (`users.private.identity`)."""
        return ".".join(part for part in self.path.split("/") if not _WILDCARD.match(part))


def _check_path(path: str, *, owner: str) -> None:
    segments = path.split("/")
    if len(segments) < 2 or len(segments) % 2 or segments[0] != owner:
        raise SchemaGenError(
            f"subcollection path {path!r} must be a document path template below {owner!r} "
            "(collection/{id}/subcollection/{id-or-fixed-id})"
        )
    for index, segment in enumerate(segments):
        if not segment or ("{" in segment and not _WILDCARD.match(segment)):
            raise SchemaGenError(f"path {path!r} has a malformed segment {segment!r}")
        if index % 2 == 0 and "{" in segment:
            raise SchemaGenError(f"path {path!r} has a wildcard in collection position")


def documents(specs: Iterable[CollectionSpec]) -> tuple[Document, ...]:
    """Every document shape, collection by collection in the given order, each collection's
    own document first and its subcollection documents in declaration order.

    Raises SchemaGenError when two shapes would share a path or a file name.
    """
    found: list[Document] = []
    for spec in specs:
        name = str(spec.collection)
        if not re.match(r"^[A-Za-z0-9]+$", spec.id_field):
            raise SchemaGenError(f"{name}: id_field {spec.id_field!r} is not an identifier")
        found.append(Document(name, f"{name}/{{{spec.id_field}}}", spec.model, None))
        for sub in spec.subcollections:
            _check_path(sub.path, owner=name)
            if not sub.why.strip():
                raise SchemaGenError(f"{sub.path}: a subcollection states why it is kept apart")
            found.append(Document(name, sub.path, sub.model, sub.why.strip()))
    for attribute in ("path", "file_stem"):
        seen: dict[str, str] = {}
        for document in found:
            key = getattr(document, attribute)
            if key in seen:
                raise SchemaGenError(
                    f"{seen[key]!r} and {document.path!r} share the {attribute} {key!r}"
                )
            seen[key] = document.path
    return tuple(found)
