"""The planner's index scans return exactly what a full scan returns, in the same order, and
read about as many documents as they return."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from firelab.server.core import Database, Emulator, FirestoreError, IndexConfig
from firelab.server.core._execute import FULL, _finish, _matching, _Source, execute
from firelab.server.core._protos import CommitRequest
from firelab.server.core._query import CompiledQuery

from .oracle import structured_query, value


def _index(scope: str, *fields: tuple[str, str]) -> dict[str, Any]:
    specs = [
        {"fieldPath": path, "arrayConfig": "CONTAINS"}
        if mode == "CONTAINS"
        else {"fieldPath": path, "order": mode}
        for path, mode in fields
    ]
    return {"collectionGroup": "c", "queryScope": scope, "fields": specs}


INDEXES = IndexConfig.from_json(
    json.dumps(
        {
            "indexes": [
                _index("COLLECTION", ("b", "ASCENDING"), ("a", "ASCENDING")),
                _index("COLLECTION_GROUP", ("b", "ASCENDING"), ("a", "DESCENDING")),
                _index("COLLECTION", ("tags", "CONTAINS"), ("a", "DESCENDING")),
            ]
        }
    )
)

A_VALUES = [
    {"integerValue": "-2"},
    {"integerValue": "0"},
    {"integerValue": "1"},
    {"integerValue": "3"},
    {"doubleValue": 1.5},
    {"doubleValue": 1.0},
    {"doubleValue": "NaN"},
    {"stringValue": "s"},
    {"nullValue": None},
]
B_VALUES = [{"stringValue": s} for s in "xyz"]
TAGS = ["red", "blue", "green"]
PATHS = ["c/{}", "x/y/c/{}", "c/k/c/{}"]

documents = st.lists(
    st.fixed_dictionaries(
        {
            "where": st.sampled_from(PATHS),
            "a": st.none() | st.sampled_from(A_VALUES),
            "b": st.none() | st.sampled_from(B_VALUES),
            "tags": st.none() | st.lists(st.sampled_from(TAGS), max_size=3),
            "mx": st.none() | st.integers(0, 3),
        }
    ),
    max_size=25,
)


def _leaf() -> st.SearchStrategy[dict[str, Any]]:
    single = st.sampled_from(
        [
            "EQUAL",
            "NOT_EQUAL",
            "LESS_THAN",
            "LESS_THAN_OR_EQUAL",
            "GREATER_THAN",
            "GREATER_THAN_OR_EQUAL",
        ]
    )
    on_a = st.builds(
        lambda op, v: {"fieldFilter": {"field": {"fieldPath": "a"}, "op": op, "value": v}},
        single,
        st.sampled_from(A_VALUES),
    )
    on_b = st.builds(
        lambda op, v: {"fieldFilter": {"field": {"fieldPath": "b"}, "op": op, "value": v}},
        st.sampled_from(["EQUAL", "NOT_EQUAL", "GREATER_THAN"]),
        st.sampled_from(B_VALUES),
    )
    lists = st.builds(
        lambda op, vs: {
            "fieldFilter": {
                "field": {"fieldPath": "a"},
                "op": op,
                "value": {"arrayValue": {"values": vs}},
            }
        },
        st.sampled_from(["IN", "NOT_IN"]),
        st.lists(st.sampled_from(A_VALUES), min_size=1, max_size=3),
    )
    contains = st.builds(
        lambda op, tags: {
            "fieldFilter": {
                "field": {"fieldPath": "tags"},
                "op": op,
                "value": (
                    {"stringValue": tags[0]}
                    if op == "ARRAY_CONTAINS"
                    else {"arrayValue": {"values": [{"stringValue": t} for t in tags]}}
                ),
            }
        },
        st.sampled_from(["ARRAY_CONTAINS", "ARRAY_CONTAINS_ANY"]),
        st.lists(st.sampled_from(TAGS), min_size=1, max_size=2),
    )
    unary = st.builds(
        lambda field, op: {"unaryFilter": {"field": {"fieldPath": field}, "op": op}},
        st.sampled_from(["a", "b", "m.x"]),
        st.sampled_from(["IS_NULL", "IS_NAN", "IS_NOT_NULL"]),
    )
    return st.one_of(on_a, on_b, lists, contains, unary)


filters = st.one_of(
    st.none(),
    _leaf(),
    st.builds(lambda x, y: {"compositeFilter": {"op": "AND", "filters": [x, y]}}, _leaf(), _leaf()),
    st.builds(lambda x, y: {"compositeFilter": {"op": "OR", "filters": [x, y]}}, _leaf(), _leaf()),
)
orders = st.sampled_from(
    [
        [],
        [("a", "ASCENDING")],
        [("a", "DESCENDING")],
        [("b", "ASCENDING")],
        [("b", "ASCENDING"), ("a", "ASCENDING")],
        [("b", "ASCENDING"), ("a", "DESCENDING")],
        [("a", "DESCENDING"), ("__name__", "ASCENDING")],
        [("__name__", "ASCENDING")],
    ]
)


@st.composite
def queries(draw: st.DrawFn) -> dict[str, Any]:
    """A structured query over `c` (collection or group) with filters, orders and paging."""
    group = draw(st.booleans())
    query: dict[str, Any] = {"from": [{"collectionId": "c", "allDescendants": group}]}
    where = draw(filters)
    if where is not None:
        query["where"] = where
    order = draw(orders)
    if order:
        query["orderBy"] = [{"field": {"fieldPath": f}, "direction": d} for f, d in order]
        if draw(st.booleans()):
            first = order[0][0]
            cursor = (
                {"referenceValue": "{documents}/c/" + draw(st.sampled_from(["d1", "d5", "zz"]))}
                if first == "__name__"
                else draw(st.sampled_from(A_VALUES + B_VALUES))
            )
            query["startAt"] = {"values": [cursor], "before": draw(st.booleans())}
    limit = draw(st.none() | st.integers(0, 6))
    if limit is not None:
        query["limit"] = limit
    query["offset"] = draw(st.integers(0, 3))
    return query


def seed(database: Database, docs: list[dict[str, Any]]) -> None:
    request = CommitRequest(database=database.id.root)
    for index, doc in enumerate(docs):
        write = request.writes.add()
        write.update.name = f"{database.id.documents_root}/{doc['where'].format(f'd{index}')}"
        fields = write.update.fields
        if doc["a"] is not None:
            fields["a"].CopyFrom(value(doc["a"]))
        if doc["b"] is not None:
            fields["b"].CopyFrom(value(doc["b"]))
        if doc["tags"] is not None:
            fields["tags"].array_value.SetInParent()
            for tag in doc["tags"]:
                fields["tags"].array_value.values.add().string_value = tag
        if doc["mx"] is not None:
            fields["m"].map_value.fields["x"].integer_value = doc["mx"]
    if request.writes:
        database.commit(request)


def compile_or_skip(database: Database, query: dict[str, Any], parent: str) -> CompiledQuery:
    text = _fill(query, database)
    try:
        return database.compile_query(parent, structured_query(text))
    except FirestoreError:
        assume(False)
        raise


def _fill(query: dict[str, Any], database: Database) -> dict[str, Any]:
    return json.loads(json.dumps(query).replace("{documents}", database.id.documents_root))


def full_scan(database: Database, query: CompiledQuery) -> list[str]:
    store = database._engine.store
    matches = sorted(
        _matching(query, _Source(list(store.docs.values()), FULL, False)), key=lambda item: item[0]
    )
    return [hit.record.key.hex() for hit in _finish(query, iter(matches), FULL).hits]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents, queries(), st.booleans(), st.sampled_from(["", "/x/y"]))
def test_index_scans_agree_with_a_full_scan(
    docs: list[dict[str, Any]], query: dict[str, Any], composites: bool, parent: str
) -> None:
    """Whatever index the planner picks, results and their order equal a full scan's."""
    database = Emulator(indexes=INDEXES if composites else None).database("plan")
    seed(database, docs)
    parent_name = database.id.documents_root + parent
    compiled = compile_or_skip(database, query, parent_name)
    store = database._engine.store
    result = execute(store, compiled, indexes=database._engine.settings.indexes)
    assert [hit.record.key.hex() for hit in result.hits] == full_scan(database, compiled)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents, documents, queries())
def test_reads_at_an_earlier_time_see_the_earlier_state(
    before: list[dict[str, Any]], after: list[dict[str, Any]], query: dict[str, Any]
) -> None:
    """A query at a past read time answers as the database answered then."""
    emulator = Emulator()
    database = emulator.database("plan")
    seed(database, before)
    then = emulator.clock.tick()
    seed(database, after)
    reference = Emulator().database("plan")
    seed(reference, before)
    parent = database.id.documents_root
    compiled = compile_or_skip(database, query, parent)
    past = execute(database._engine.store, compiled, snapshot_us=then)
    expected = execute(reference._engine.store, compile_or_skip(reference, query, parent))
    assert [h.record.path for h in past.hits] == [h.record.path for h in expected.hits]


def _bulk(count: int, indexes: IndexConfig | None = None) -> Database:
    database = Emulator(indexes=indexes).database("cost")
    for first in range(0, count, 500):
        request = CommitRequest(database=database.id.root)
        for index in range(first, min(first + 500, count)):
            write = request.writes.add()
            write.update.name = f"{database.id.documents_root}/items/d{index:05d}"
            write.update.fields["n"].integer_value = index
            write.update.fields["group"].integer_value = index % 50
            write.update.fields["score"].double_value = math.sin(index)
        database.commit(request)
    return database


COST_QUERIES = [
    {
        "where": {
            "fieldFilter": {
                "field": {"fieldPath": "group"},
                "op": "EQUAL",
                "value": {"integerValue": "7"},
            }
        }
    },
    {
        "where": {
            "fieldFilter": {
                "field": {"fieldPath": "n"},
                "op": "GREATER_THAN_OR_EQUAL",
                "value": {"integerValue": "9000"},
            }
        }
    },
    {"orderBy": [{"field": {"fieldPath": "score"}, "direction": "DESCENDING"}]},
    {
        "orderBy": [{"field": {"fieldPath": "n"}}],
        "startAt": {"values": [{"integerValue": "15000"}], "before": False},
    },
    {},
]


def test_limited_queries_read_about_as_many_documents_as_they_return() -> None:
    """On 20,000 documents, a limit-100 query reads about 100 of them, whatever index it uses."""
    database = _bulk(20_000)
    for body in COST_QUERIES:
        query = {"from": [{"collectionId": "items"}], "limit": 100, **body}
        compiled = database.compile_query(database.id.documents_root, structured_query(query))
        result = execute(database._engine.store, compiled)
        assert len(result.hits) == 100, body
        assert result.examined <= 101, body


def test_an_unindexable_or_reads_what_its_disjunctions_match() -> None:
    """An OR is served by the union of its branches' scans, not a collection scan."""
    database = _bulk(20_000)
    query = {
        "from": [{"collectionId": "items"}],
        "where": {
            "compositeFilter": {
                "op": "OR",
                "filters": [
                    {
                        "fieldFilter": {
                            "field": {"fieldPath": "group"},
                            "op": "EQUAL",
                            "value": {"integerValue": "3"},
                        }
                    },
                    {
                        "fieldFilter": {
                            "field": {"fieldPath": "n"},
                            "op": "LESS_THAN",
                            "value": {"integerValue": "10"},
                        }
                    },
                ],
            }
        },
    }
    compiled = database.compile_query(database.id.documents_root, structured_query(query))
    result = execute(database._engine.store, compiled)
    assert len(result.hits) == 409
    assert result.examined == 409


def test_a_declared_composite_index_serves_equality_plus_order() -> None:
    """With (group, score desc) declared, `group == 7 order by score desc` reads only its page."""
    query = {
        "from": [{"collectionId": "items"}],
        "where": {
            "fieldFilter": {
                "field": {"fieldPath": "group"},
                "op": "EQUAL",
                "value": {"integerValue": "7"},
            }
        },
        "orderBy": [{"field": {"fieldPath": "score"}, "direction": "DESCENDING"}],
        "limit": 20,
    }
    config = IndexConfig.from_json(
        json.dumps(
            {
                "indexes": [
                    {
                        "collectionGroup": "items",
                        "queryScope": "COLLECTION",
                        "fields": [
                            {"fieldPath": "group", "order": "ASCENDING"},
                            {"fieldPath": "score", "order": "DESCENDING"},
                        ],
                    }
                ]
            }
        )
    )
    plain = _bulk(5_000)
    indexed = _bulk(5_000, config)
    results = []
    for database in (plain, indexed):
        compiled = database.compile_query(database.id.documents_root, structured_query(query))
        results.append(
            execute(database._engine.store, compiled, indexes=database._engine.settings.indexes)
        )
    assert [h.record.path for h in results[0].hits] == [h.record.path for h in results[1].hits]
    assert results[1].examined == 20
    assert results[0].examined > 20
