"""Which queries production Firestore serves without a composite index, and which index the
others need: the table a developer would otherwise learn from production errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter, Or

from firelab.indexes import IndexFile, IndexFileError, missing_index

CLIENT = firestore.Client(project="demo-indexes", credentials=AnonymousCredentials())
DESC = firestore.Query.DESCENDING


def requests() -> Any:
    return CLIENT.collection("requests")


def where(query: Any, field: str, op: str, value: Any) -> Any:
    return query.where(filter=FieldFilter(field, op, value))


def structured(query: Any) -> Any:
    """The StructuredQuery the client library would send (a collection is a query too)."""
    if isinstance(query, firestore.CollectionReference):
        query = query._query()
    return query._to_protobuf()


def index(*fields: tuple[str, str], group: str = "requests", scope: str = "COLLECTION") -> Any:
    return {
        "collectionGroup": group,
        "queryScope": scope,
        "fields": [
            {"fieldPath": path, "arrayConfig": "CONTAINS"}
            if mode == "CONTAINS"
            else {"fieldPath": path, "order": mode}
            for path, mode in fields
        ],
    }


NO_INDEX_NEEDED = [
    ("a whole collection", requests()),
    ("one equality", where(requests(), "status", "==", "open")),
    (
        "several equalities merge single-field indexes",
        where(where(requests(), "status", "==", "open"), "category", "==", "food"),
    ),
    ("in is an equality", where(requests(), "status", "in", ["open", "inProgress"])),
    ("one range", where(requests(), "deadline", ">", 5)),
    ("a range and its own order", where(requests(), "deadline", ">", 5).order_by("deadline")),
    ("one descending order", requests().order_by("createdAt", direction=DESC)),
    ("one array-contains", where(requests(), "tags", "array_contains", "food")),
    (
        "ordering by an equality field changes nothing",
        where(requests(), "status", "==", "open").order_by("status"),
    ),
]

COMPOSITE_NEEDED = [
    (
        "equality then order",
        where(requests(), "status", "==", "open").order_by("deadline"),
        index(("status", "ASCENDING"), ("deadline", "ASCENDING")),
    ),
    (
        "equality then descending order",
        where(requests(), "status", "==", "open").order_by("urgencyRank", direction=DESC),
        index(("status", "ASCENDING"), ("urgencyRank", "DESCENDING")),
    ),
    (
        "equality and a range on another field",
        where(where(requests(), "category", "==", "food"), "deadline", "<", 9),
        index(("category", "ASCENDING"), ("deadline", "ASCENDING")),
    ),
    (
        "two orders",
        requests().order_by("urgencyRank", direction=DESC).order_by("deadline"),
        index(("urgencyRank", "DESCENDING"), ("deadline", "ASCENDING")),
    ),
    (
        "ranges on two fields order them lexicographically",
        where(where(requests(), "deadline", ">", 1), "createdAt", ">", 2),
        index(("createdAt", "ASCENDING"), ("deadline", "ASCENDING")),
    ),
    (
        "array-contains with an equality",
        where(where(requests(), "tags", "array_contains", "food"), "status", "==", "open"),
        index(("tags", "CONTAINS"), ("status", "ASCENDING")),
    ),
    (
        "array-contains with an order",
        where(requests(), "participantIds", "array_contains", "u1").order_by("createdAt"),
        index(("participantIds", "CONTAINS"), ("createdAt", "ASCENDING")),
    ),
]


@pytest.mark.parametrize(("label", "query"), NO_INDEX_NEEDED, ids=[c[0] for c in NO_INDEX_NEEDED])
def test_queries_served_by_automatic_indexes(label: str, query: Any) -> None:
    """These queries run in production with an empty firestore.indexes.json."""
    assert missing_index(structured(query), IndexFile()) is None


@pytest.mark.parametrize(
    ("label", "query", "definition"), COMPOSITE_NEEDED, ids=[c[0] for c in COMPOSITE_NEEDED]
)
def test_queries_that_need_a_composite_index_name_it(
    label: str, query: Any, definition: dict[str, Any]
) -> None:
    """Without the index the query is refused, and the message carries the definition to add."""
    missing = missing_index(structured(query), IndexFile())
    assert missing is not None
    assert missing.composite is not None
    assert missing.composite.to_json() == definition
    assert json.dumps(definition, separators=(", ", ": ")) in missing.message()


@pytest.mark.parametrize(
    ("label", "query", "definition"), COMPOSITE_NEEDED, ids=[c[0] for c in COMPOSITE_NEEDED]
)
def test_the_named_index_serves_the_query(
    label: str, query: Any, definition: dict[str, Any]
) -> None:
    """Once the definition is in the file, the same query is accepted."""
    indexes = IndexFile.parse(json.dumps({"indexes": [definition]}))
    assert missing_index(structured(query), indexes) is None


def test_equality_fields_may_come_in_any_order_in_the_index() -> None:
    """A composite whose equality prefix is permuted still serves the query."""
    query = where(where(requests(), "status", "==", "o"), "category", "==", "f").order_by("d")
    indexes = IndexFile.parse(
        json.dumps(
            {
                "indexes": [
                    index(("status", "DESCENDING"), ("category", "ASCENDING"), ("d", "ASCENDING"))
                ]
            }
        )
    )
    assert missing_index(structured(query), indexes) is None


def test_reversed_directions_need_their_own_index() -> None:
    """An index on (status, deadline ASC) does not serve an order by deadline descending."""
    indexes = IndexFile.parse(
        json.dumps({"indexes": [index(("status", "ASCENDING"), ("deadline", "ASCENDING"))]})
    )
    query = where(requests(), "status", "==", "open").order_by("deadline", direction=DESC)
    assert missing_index(structured(query), indexes) is not None


def test_each_disjunct_of_an_or_query_needs_its_index() -> None:
    """An OR query is served branch by branch: one branch without its index fails the query."""
    query = requests().where(
        filter=Or([FieldFilter("status", "==", "open"), FieldFilter("category", "==", "food")])
    )
    assert missing_index(structured(query), IndexFile()) is None
    ordered = query.order_by("deadline")
    missing = missing_index(structured(ordered), IndexFile())
    assert missing is not None
    assert missing.composite is not None
    assert [f.field_path for f in missing.composite.fields] == ["status", "deadline"]
    status_only = IndexFile.parse(
        json.dumps({"indexes": [index(("status", "ASCENDING"), ("deadline", "ASCENDING"))]})
    )
    still = missing_index(structured(ordered), status_only)
    assert still is not None
    assert still.composite is not None
    assert [f.field_path for f in still.composite.fields] == ["category", "deadline"]


def test_collection_group_queries_need_a_collection_group_field_index() -> None:
    """Automatic indexes are collection-scoped: a group query needs a field override."""
    query = where(CLIENT.collection_group("registrations"), "userId", "==", "u1")
    missing = missing_index(structured(query), IndexFile())
    assert missing is not None
    assert missing.single_field is not None
    assert '"queryScope": "COLLECTION_GROUP"' in missing.message()
    override = {
        "collectionGroup": "registrations",
        "fieldPath": "userId",
        "indexes": [
            {"order": "ASCENDING", "queryScope": "COLLECTION"},
            {"order": "ASCENDING", "queryScope": "COLLECTION_GROUP"},
        ],
    }
    indexes = IndexFile.parse(json.dumps({"fieldOverrides": [override]}))
    assert missing_index(structured(query), indexes) is None


def test_an_exempted_field_cannot_be_queried() -> None:
    """A field override with no indexes (an exemption) makes queries on the field fail."""
    exempt = {"collectionGroup": "requests", "fieldPath": "description", "indexes": []}
    indexes = IndexFile.parse(json.dumps({"fieldOverrides": [exempt]}))
    query = where(requests(), "description", "==", "x")
    assert missing_index(structured(query), indexes) is not None


def test_an_exemption_of_a_map_covers_its_subfields() -> None:
    """Overrides are inherited by the fields inside an overridden map."""
    exempt = {"collectionGroup": "analytics", "fieldPath": "geography", "indexes": []}
    indexes = IndexFile.parse(json.dumps({"fieldOverrides": [exempt]}))
    query = where(CLIENT.collection("analytics"), "geography.u0.requests", ">", 1)
    assert missing_index(structured(query), indexes) is not None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", r"\$: must be an object"),
        ('{"indexes": [{"collectionGroup": "a"}]}', r"\$\.indexes\[0\]: missing required"),
        ('{"indexs": []}', r"unknown key\(s\) \['indexs'\]"),
        (
            '{"indexes": [{"collectionGroup": "a", "queryScope": "WIDE", "fields": []}]}',
            r"queryScope: is 'WIDE'",
        ),
        (
            '{"indexes": [{"collectionGroup": "a", "fields": [{"fieldPath": "x", '
            '"order": "ASCENDING"}]}]}',
            "at least two fields",
        ),
        (
            '{"indexes": [{"collectionGroup": "a", "fields": [{"fieldPath": "x", '
            '"order": "UP"}, {"fieldPath": "y", "order": "ASCENDING"}]}]}',
            r"fields\[0\]\.order: is 'UP'",
        ),
        ('{"fieldOverrides": [{"collectionGroup": "a", "fieldPath": "x", "ttl": 1}]}', "ttl"),
        ("{not json", "not JSON"),
    ],
)
def test_malformed_index_files_name_the_problem(text: str, message: str) -> None:
    """A typo in firestore.indexes.json fails with the JSON path of the problem."""
    with pytest.raises(IndexFileError, match=message):
        IndexFile.parse(text)


def test_the_file_round_trips_in_the_cli_format() -> None:
    """Parsing and writing a file gives the same JSON text the Firebase CLI writes."""
    text = json.dumps(
        {
            "indexes": [index(("status", "ASCENDING"), ("deadline", "DESCENDING"))],
            "fieldOverrides": [
                {
                    "collectionGroup": "users",
                    "fieldPath": "processedAt",
                    "ttl": True,
                    "indexes": [],
                }
            ],
        },
        indent=2,
    )
    assert IndexFile.parse(text).to_json() == text + "\n"
