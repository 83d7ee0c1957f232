"""Validation of stored documents against the current models: every document shape the
models register (collections and the documents below them), all documents or the first
`sample` of each shape in path order, with the first failures per shape and their paths."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final

from google.cloud import firestore
from pydantic import ValidationError

from mitche.models import MitcheModel
from mitche.models.registry import collection_specs
from mitche.services import from_document
from mitche_dev.migrate._documents import documents, matches

__all__ = ["Failure", "ShapeReport", "document_shapes", "validate"]

FIRST_FAILURES: Final = 5


@dataclass(frozen=True, slots=True)
class Failure:
    """A document that does not validate, and why."""

    path: str
    message: str


@dataclass(frozen=True, slots=True)
class ShapeReport:
    """The documents of one shape that were checked."""

    template: str
    model: str
    checked: int
    failed: int
    failures: tuple[Failure, ...]
    """The first failures (at most FIRST_FAILURES)."""


def document_shapes() -> Iterator[tuple[str, type[MitcheModel]]]:
    """Every registered document shape: (path template, model)."""
    for spec in collection_specs().values():
        yield f"{spec.collection.value}/{{{spec.id_field}}}", spec.model
        for sub in spec.subcollections:
            yield sub.path, sub.model


def _message(error: ValidationError) -> str:
    parts = []
    for detail in error.errors()[:3]:
        where = ".".join(str(step) for step in detail["loc"]) or "(document)"
        parts.append(f"{where}: {detail['msg']}")
    more = error.error_count() - len(parts)
    return "; ".join(parts) + (f" (+{more} more)" if more > 0 else "")


def _wildcards(template: str) -> int:
    return sum(segment.startswith("{") for segment in template.split("/"))


def _narrower(other: str, template: str) -> bool:
    """Whether `other` names some of `template`'s documents more precisely
    (`systemSettings/gamification` within `systemSettings/{settingsId}`): those documents
    have `other`'s model."""
    return (
        other != template
        and len(other.split("/")) == len(template.split("/"))
        and _wildcards(other) < _wildcards(template)
        and matches(template, other)
    )


def _selected(template: str, only: Iterable[str] | None) -> bool:
    if only is None:
        return True
    return any(
        template == wanted or template.split("/")[0] == wanted or matches(wanted, template)
        for wanted in only
    )


def validate(
    client: firestore.Client,
    *,
    only: Iterable[str] | None = None,
    sample: int | None = None,
) -> list[ShapeReport]:
    """Check each shape's documents (all, or the first `sample`) against its model. `only`
    limits the shapes: top-level collection names or path templates."""
    wanted = None if only is None else tuple(only)
    shapes = list(document_shapes())
    reports: list[ShapeReport] = []
    for template, model in shapes:
        if not _selected(template, wanted):
            continue
        checked = failed = 0
        failures: list[Failure] = []
        narrower = [other for other, _ in shapes if _narrower(other, template)]
        for snapshot in documents(client, template, limit=sample):
            if any(matches(other, snapshot.reference.path) for other in narrower):
                continue
            checked += 1
            try:
                from_document(model, snapshot.to_dict() or {})
            except ValidationError as error:
                failed += 1
                if len(failures) < FIRST_FAILURES:
                    failures.append(Failure(snapshot.reference.path, _message(error)))
        reports.append(ShapeReport(template, model.__name__, checked, failed, tuple(failures)))
    return reports
