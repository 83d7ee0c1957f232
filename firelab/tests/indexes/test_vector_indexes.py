"""Vector indexes: the `vectorConfig` fields of firestore.indexes.json, the vector index every
find_nearest needs (with its pre-filter fields before the vector field), and production's
refusal naming it under `--enforce-indexes`.

Sources: firebase-tools writes and deploys `{"fieldPath": ..., "vectorConfig": {"dimension": N,
"flat": {}}}` as the last field of a composite index (firebase-tools#6900, and #9385's file);
Firebase's vector search guide ("Create and manage vector indexes", "Pre-filtering") says every
find_nearest needs one, with the equality pre-filter fields in it; production refuses a query
without it with FAILED_PRECONDITION "Missing vector index configuration. Please create the
required index with the following gcloud command: ..." (the text clients log, e.g.
firebase/extensions#3163 and the messages quoted by SDK tests).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from google.api_core.exceptions import FailedPrecondition
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter
from google.cloud.firestore_v1.base_vector_query import DistanceMeasure
from google.cloud.firestore_v1.vector import Vector

from firelab.indexes import VECTOR, IndexField, IndexFile, IndexFileError, missing_index
from firelab.server import FirestoreServer
from firelab.server.core import Emulator, IndexConfig

PROJECT = "demo-vectors"
CLIENT = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
GCLOUD = (
    "Missing vector index configuration. Please create the required index with the following "
    f"gcloud command: gcloud firestore indexes composite create --project={PROJECT} "
)


def vector_index(*head: dict[str, str], dimension: int = 3, group: str = "helpers") -> Any:
    vector = {"fieldPath": "embedding", "vectorConfig": {"dimension": dimension, "flat": {}}}
    return {"collectionGroup": group, "queryScope": "COLLECTION", "fields": [*head, vector]}


def file_of(*indexes: Any) -> IndexFile:
    return IndexFile.parse(json.dumps({"indexes": list(indexes)}))


def nearest(query: Any, dimension: int = 3) -> Any:
    return query.find_nearest(
        vector_field="embedding",
        query_vector=Vector([1.0] * dimension),
        distance_measure=DistanceMeasure.COSINE,
        limit=5,
    )


def helpers() -> Any:
    return CLIENT.collection("helpers")


def missing(query: Any, indexes: IndexFile) -> str | None:
    found = missing_index(query._to_protobuf(), indexes, project=PROJECT)
    return None if found is None else found.message()


# The file format --------------------------------------------------------------------------


def test_a_vector_field_is_read_and_written_as_firebase_tools_does() -> None:
    """The dimension is kept and the field is written back unchanged (`flat` is the only
    vector index type)."""
    definition = vector_index({"fieldPath": "status", "order": "ASCENDING"})
    parsed = file_of(definition)
    assert parsed.indexes[0].fields[-1] == IndexField("embedding", VECTOR, 3)
    assert json.loads(parsed.to_json())["indexes"] == [definition]


def test_a_vector_index_may_hold_the_vector_field_alone() -> None:
    """Unlike an ordered composite index, one field is enough (firebase-tools#9385)."""
    assert len(file_of(vector_index()).indexes[0].fields) == 1


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        (
            [{"fieldPath": "e", "vectorConfig": {"dimension": 0, "flat": {}}}],
            "is 0, must be an integer from 1 to 2048",
        ),
        (
            [{"fieldPath": "e", "vectorConfig": {"dimension": 2049, "flat": {}}}],
            "is 2049, must be an integer from 1 to 2048",
        ),
        (
            [{"fieldPath": "e", "vectorConfig": {"dimension": "3", "flat": {}}}],
            "must be an integer from 1 to 2048",
        ),
        ([{"fieldPath": "e", "vectorConfig": {"dimension": 3}}], "missing required key"),
        (
            [{"fieldPath": "e", "vectorConfig": {"dimension": 3, "flat": {"x": 1}}}],
            "must be {}",
        ),
        (
            [
                {"fieldPath": "e", "vectorConfig": {"dimension": 3, "flat": {}}},
                {"fieldPath": "s", "order": "ASCENDING"},
            ],
            "the vector field must come last",
        ),
        (
            [
                {"fieldPath": "e", "vectorConfig": {"dimension": 3, "flat": {}}},
                {"fieldPath": "f", "vectorConfig": {"dimension": 3, "flat": {}}},
            ],
            "exactly one vector field",
        ),
        (
            [{"fieldPath": "e", "order": "ASCENDING", "vectorConfig": {"dimension": 3}}],
            "needs exactly one of order, arrayConfig or vectorConfig",
        ),
    ],
)
def test_a_malformed_vector_index_is_refused_with_its_json_path(
    fields: list[dict[str, Any]], problem: str
) -> None:
    """Each mistake is named where it is, before a deploy would find it."""
    definition = {"collectionGroup": "helpers", "fields": fields}
    with pytest.raises(IndexFileError, match=r"\$\.indexes\[0\]") as refused:
        file_of(definition)
    assert problem in str(refused.value)


# The requirement --------------------------------------------------------------------------


def test_find_nearest_needs_a_vector_index_of_its_dimension() -> None:
    """Without one the message is production's gcloud command; one of another dimension
    does not serve (the query vector's dimension is part of the index)."""
    expected = (
        f"{GCLOUD}--collection-group=helpers --query-scope=COLLECTION "
        '--field-config=vector-config=\'{"dimension":"3","flat": "{}"}\','
        "field-path=embedding"
    )
    assert missing(nearest(helpers()), file_of()) == expected
    assert missing(nearest(helpers()), file_of(vector_index(dimension=4))) == expected
    assert missing(nearest(helpers()), file_of(vector_index())) is None


def test_pre_filter_fields_come_before_the_vector_field() -> None:
    """An equality pre-filter needs its field in the vector index; any direction serves it;
    an array-contains pre-filter needs it as CONTAINS."""
    open_only = nearest(helpers().where(filter=FieldFilter("status", "==", "open")))
    message = missing(open_only, file_of(vector_index()))
    assert message is not None
    assert "--field-config=order=ASCENDING,field-path=status --field-config=vector-config" in (
        message
    )
    descending = vector_index({"fieldPath": "status", "order": "DESCENDING"})
    assert missing(open_only, file_of(descending)) is None
    speaking = nearest(helpers().where(filter=FieldFilter("languages", "array_contains", "fr")))
    assert "array-config=CONTAINS,field-path=languages" in (missing(speaking, file_of()) or "")
    contains = vector_index({"fieldPath": "languages", "arrayConfig": "CONTAINS"})
    assert missing(speaking, file_of(contains)) is None
    assert missing(speaking, file_of(descending)) is not None


def test_an_index_with_extra_fields_does_not_serve_a_query_without_them() -> None:
    """The pre-filter fields must be exactly the index's leading fields."""
    with_status = vector_index({"fieldPath": "status", "order": "ASCENDING"})
    assert missing(nearest(helpers()), file_of(with_status)) is not None


# Enforcement through the client library ---------------------------------------------------


@pytest.fixture
def enforcing_server() -> Iterator[FirestoreServer]:
    definition = vector_index({"fieldPath": "status", "order": "ASCENDING"})
    config = IndexConfig.from_json(json.dumps({"indexes": [definition]}), enforce=True)
    server = FirestoreServer(emulator=Emulator(indexes=config)).start()
    yield server
    server.stop()


def test_enforce_indexes_refuses_a_vector_query_without_its_index(
    enforcing_server: FirestoreServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FAILED_PRECONDITION naming the missing index; the declared one serves its query."""
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", enforcing_server.address)
    client = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
    client.document("helpers/h1").set({"status": "open", "embedding": Vector([1.0, 0.0, 0.0])})
    collection = client.collection("helpers")
    with pytest.raises(FailedPrecondition) as refused:
        nearest(collection).get()
    assert refused.value.message.startswith(GCLOUD + "--collection-group=helpers")
    served = nearest(collection.where(filter=FieldFilter("status", "==", "open"))).get()
    assert [snapshot.id for snapshot in served] == ["h1"]
