"""References are real Firestore references in documents and paths in models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from google.cloud.firestore_v1 import DocumentReference, _helpers
from pydantic import Field

from mitche.models._base import DocumentPath, MitcheModel
from mitche.models.users import HopeAction, HopeCategory, HopeLedgerEntry
from mitche.services import from_document, to_document

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


class Link(MitcheModel):
    """A nested map holding a reference."""

    target: DocumentPath
    """Referenced document."""
    label: str = ""
    """A plain string next to it, never converted."""


class Graph(MitcheModel):
    """References in every position a document can hold them."""

    main: DocumentPath
    """A required reference."""
    optional: DocumentPath | None = None
    """An optional reference."""
    many: Annotated[list[DocumentPath], Field(max_length=5)] = Field(default_factory=list)
    """A list of references."""
    by_name: dict[str, DocumentPath] = Field(default_factory=dict)
    """A map of references."""
    link: Link | None = None
    """A nested map with a reference."""
    links: list[Link] = Field(default_factory=list)
    """Nested maps in a list."""
    note: str = "requests/not-a-reference"
    """A string that looks like a path but is not declared as one."""


@pytest.fixture(scope="module")
def client() -> firestore.Client:
    """A real Firestore client; nothing here contacts a server."""
    return firestore.Client(project="demo-mitche", credentials=AnonymousCredentials())


def make_graph() -> Graph:
    return Graph(
        main="requests/r1",
        optional="communityEvents/e1",
        many=["offerings/o1", "offerings/o2"],
        by_name={"thread": "conversations/c1"},
        link=Link(target="users/u1/revealGrants/u2", label="grant"),
        links=[Link(target="resources/res1")],
    )


def test_every_declared_path_becomes_a_reference(client: firestore.Client) -> None:
    """to_document turns each DocumentPath value, wherever it is nested, into a reference."""
    document = to_document(make_graph(), client)
    references = [
        document["main"],
        document["optional"],
        *document["many"],
        document["byName"]["thread"],
        document["link"]["target"],
        document["links"][0]["target"],
    ]
    assert all(isinstance(ref, DocumentReference) for ref in references)
    assert [ref.path for ref in references] == [
        "requests/r1",
        "communityEvents/e1",
        "offerings/o1",
        "offerings/o2",
        "conversations/c1",
        "users/u1/revealGrants/u2",
        "resources/res1",
    ]


def test_undeclared_strings_stay_strings(client: firestore.Client) -> None:
    """Strings not typed DocumentPath are written unchanged, even when they look like paths."""
    document = to_document(make_graph(), client)
    assert document["note"] == "requests/not-a-reference"
    assert document["link"]["label"] == "grant"


def test_absent_optional_reference_is_omitted(client: firestore.Client) -> None:
    """An unset optional reference is left out of the document, not written as null."""
    document = to_document(Graph(main="requests/r1"), client)
    assert "optional" not in document
    assert "link" not in document


def test_references_round_trip_through_firestore_values(client: firestore.Client) -> None:
    """Encoded as Firestore reference values and decoded, the model comes back equal."""
    graph = make_graph()
    encoded = _helpers.encode_dict(to_document(graph, client))
    assert encoded["main"].reference_value == (
        "projects/demo-mitche/databases/(default)/documents/requests/r1"
    )
    decoded = _helpers.decode_dict(encoded, client)
    assert isinstance(decoded["main"], DocumentReference)
    assert from_document(Graph, decoded) == graph


def test_collection_models_use_references_too(client: firestore.Client) -> None:
    """A collection model's reference field (the ledger entry's source) is written as one."""
    entry = HopeLedgerEntry(
        action=HopeAction.EVENT_ATTENDED,
        category=HopeCategory.COMMUNITY_BUILDER,
        source="communityEvents/ev_1/registrations/u1",
        event_id="evt-1",
        base=10,
        amount=10,
        created_at=NOW,
    )
    document = to_document(entry, client)
    assert isinstance(document["source"], DocumentReference)
    assert document["source"].path == "communityEvents/ev_1/registrations/u1"
    assert from_document(HopeLedgerEntry, document) == entry


def test_to_document_does_not_touch_the_model(client: firestore.Client) -> None:
    """Converting builds a new document; the model keeps its path strings."""
    graph = make_graph()
    to_document(graph, client)
    assert graph.main == "requests/r1"
    assert graph.links[0].target == "resources/res1"
