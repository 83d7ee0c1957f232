"""Which document shapes the generators walk, and the paths and file names they get."""

from __future__ import annotations

import pytest

from mitche.models.names import Collection
from mitche.models.registry import CollectionSpec, SubcollectionSpec
from mitche_dev.schemagen import Document, SchemaGenError, documents


class _Unused:
    """Stands in for a model where only paths matter."""


def test_collections_then_their_subcollections_in_declaration_order(sample_specs):
    """Each collection's document comes first, followed by the documents declared below it."""
    found = [(doc.collection, doc.path, doc.why) for doc in documents(sample_specs)]
    assert found == [
        ("users", "users/{sampleId}", None),
        ("users", "users/{sampleId}/private/secret", "Only the owner reads it."),
        ("requests", "requests/{otherId}", None),
        ("requests", "requests/config", "Read by the server only."),
    ]


@pytest.mark.parametrize(
    ("path", "stem"),
    [
        ("users/{userId}", "users"),
        ("users/{userId}/private/identity", "users.private.identity"),
        ("users/{userId}/hopeLedger/{entryId}", "users.hopeLedger"),
        ("communityEvents/{eventId}/registrations/{userId}", "communityEvents.registrations"),
        ("analytics/{day}/shards/{shardId}", "analytics.shards"),
    ],
)
def test_file_stem_keeps_the_fixed_path_segments(path, stem):
    """A schema file is named by the path's collection names and fixed ids, joined by dots."""
    assert Document("users", path, _Unused, "why").file_stem == stem  # type: ignore[arg-type]


def _spec(*paths: str, why: str = "Different readers.") -> CollectionSpec:
    sample = CollectionSpec(Collection.USERS, model=_Unused, id_field="userId")  # type: ignore[arg-type]
    subs = tuple(SubcollectionSpec(path, _Unused, why) for path in paths)  # type: ignore[arg-type]
    return CollectionSpec(sample.collection, sample.model, sample.id_field, subs)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (_spec("requests/{id}/private/x"), "below 'users'"),
        (_spec("users/{userId}/private"), "document path template"),
        (_spec("users/{userId}/{private}/x"), "wildcard in collection position"),
        (_spec("users/{userId}/private/{bad id}"), "malformed segment"),
        (_spec("users/{userId}//x"), "malformed segment"),
        (_spec("users/{userId}/private/x", why="  "), "states why"),
        (_spec("users/{a}/private/{b}", "users/{c}/private/{d}"), "share the file_stem"),
        (_spec("users/{userId}/p/x", "users/{userId}/p/x"), "share the path"),
    ],
)
def test_malformed_or_ambiguous_declarations_are_rejected(spec, message):
    """A subcollection path that is not a document path below its collection, or that would
    share a file with another, stops generation with a message saying which."""
    with pytest.raises(SchemaGenError, match=message):
        documents([spec])


def test_id_field_must_be_an_identifier():
    """The id wildcard name is a plain identifier, usable in rules and docs."""
    spec = CollectionSpec(Collection.USERS, model=_Unused, id_field="user-id")  # type: ignore[arg-type]
    with pytest.raises(SchemaGenError, match="id_field 'user-id'"):
        documents([spec])
