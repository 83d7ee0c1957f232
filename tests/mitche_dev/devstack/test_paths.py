"""A document path resolves to the model the registry declares for it."""

from __future__ import annotations

import re

import pytest

from mitche.errors import NotFoundError
from mitche.models import (
    AnalyticsDay,
    AnalyticsSettings,
    CommunityEvent,
    CounterShard,
    EventAccess,
    GamificationSettings,
    HelpRequest,
    HopeLedgerEntry,
    MitcheModel,
    ModerationSettings,
    PublicSettings,
    Registration,
    RequestLocation,
    SealedIdentity,
    User,
    collection_specs,
)
from mitche_dev.devstack import UnknownDocumentPathError, model_for_path, path_templates


@pytest.mark.parametrize(
    ("path", "model"),
    [
        ("users/alice", User),
        ("users/alice/private/identity", SealedIdentity),
        ("users/alice/hopeLedger/offeringMade-off-1", HopeLedgerEntry),
        ("requests/r1", HelpRequest),
        ("requests/r1/private/location", RequestLocation),
        ("communityEvents/e1", CommunityEvent),
        ("communityEvents/e1/private/access", EventAccess),
        ("communityEvents/e1/registrations/bob", Registration),
        ("analytics/2026-11-20", AnalyticsDay),
        ("analytics/2026-11-20/shards/3", CounterShard),
        ("systemSettings/public", PublicSettings),
        ("systemSettings/gamification", GamificationSettings),
        ("systemSettings/moderation", ModerationSettings),
        ("systemSettings/analytics", AnalyticsSettings),
    ],
)
def test_path_resolves_to_declared_model(path: str, model: type[MitcheModel]) -> None:
    """Collection documents, nested documents and fixed settings documents each resolve to
    their own model; a fixed document beats the collection's wildcard."""
    assert model_for_path(path) is model


@pytest.mark.parametrize(
    "path",
    [
        "users",
        "users/alice/private",
        "users/alice/private/secrets",
        "users/alice/notes/n1",
        "unknownCollection/x",
        "users//private/identity",
        "requests/r1/private/location/extra/x",
    ],
)
def test_undeclared_path_is_refused(path: str) -> None:
    """A path no template declares raises UnknownDocumentPathError, a NotFoundError."""
    with pytest.raises(UnknownDocumentPathError, match="matches no document template"):
        model_for_path(path)
    assert issubclass(UnknownDocumentPathError, NotFoundError)


def test_every_registry_template_is_listed_once() -> None:
    """The templates are exactly each collection's `{collection}/{idField}` plus every declared
    subcollection document, with no duplicates."""
    expected = set()
    for spec in collection_specs().values():
        expected.add(f"{spec.collection.value}/{{{spec.id_field}}}")
        expected.update(sub.path for sub in spec.subcollections)
    listed = [template.template for template in path_templates()]
    assert len(listed) == len(set(listed))
    assert set(listed) == expected


@pytest.mark.parametrize("template", path_templates(), ids=lambda t: t.template)
def test_every_template_resolves_back_to_its_model(template) -> None:
    """Filling a template's wildcards with ids gives a path that resolves to the template's
    model."""
    concrete = re.sub(r"\{[^}]+\}", "some-id", template.template)
    assert model_for_path(concrete) is template.model
