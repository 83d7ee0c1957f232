"""Every stored document shape, by collection: the one list schema generation, rules tests,
migrations and the demo seed walk."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from mitche.models._base import MitcheModel
from mitche.models.names import Collection


@dataclass(frozen=True, slots=True)
class SubcollectionSpec:
    """A document shape stored below a collection document, e.g. `users/{uid}/private/identity`."""

    path: str
    """Path template of the document, with `{wildcards}`, relative to the database root."""
    model: type[MitcheModel]
    why: str
    """Why this data lives in its own document (usually: it has different readers)."""


@dataclass(frozen=True, slots=True)
class CollectionSpec:
    """A top-level collection, the model of its documents, and the documents nested below."""

    collection: Collection
    model: type[MitcheModel]
    id_field: str
    """Name of the path wildcard for a document id in rules and docs (`{userId}`)."""
    subcollections: tuple[SubcollectionSpec, ...] = field(default=())


# One module per collection, in the order the platform summary lists them.
_MODULES: Mapping[Collection, str] = {
    Collection.USERS: "users",
    Collection.REQUESTS: "requests",
    Collection.OFFERINGS: "offerings",
    Collection.COMMUNITY_EVENTS: "community_events",
    Collection.RESOURCES: "resources",
    Collection.CONVERSATIONS: "conversations",
    Collection.MESSAGES: "messages",
    Collection.TAPESTRY_THREADS: "tapestry_threads",
    Collection.REPORTS: "reports",
    Collection.ACHIEVEMENTS: "achievements",
    Collection.USER_ACHIEVEMENTS: "user_achievements",
    Collection.ANALYTICS: "analytics",
    Collection.SYSTEM_SETTINGS: "system_settings",
}


@cache
def collection_specs() -> Mapping[Collection, CollectionSpec]:
    """Each collection's spec, read from the `SPEC` constant of its model module."""
    specs: dict[Collection, CollectionSpec] = {}
    for collection, module_name in _MODULES.items():
        module = importlib.import_module(f"mitche.models.{module_name}")
        spec = module.SPEC
        if not isinstance(spec, CollectionSpec) or spec.collection is not collection:
            raise TypeError(f"mitche.models.{module_name}.SPEC must describe {collection}")
        specs[collection] = spec
    return specs


def module_name(collection: Collection) -> str:
    """The model module of a collection, relative to `mitche.models`."""
    return _MODULES[collection]
