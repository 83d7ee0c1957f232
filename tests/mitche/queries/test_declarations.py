"""Catalog declarations are consistent with the data model, and `build` turns a declaration and
its parameters into exactly the query declared, refusing wrong parameters."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Final

import pytest
from google.cloud.firestore_v1.types import StructuredQuery

from mitche.queries import (
    CATALOG,
    UID,
    Caller,
    CatalogQuery,
    Order,
    Param,
    QueryParameterError,
    UnknownQueryError,
    Where,
    build,
    catalog_query,
    client_queries,
    function_queries,
    query_for,
    sample_params,
)
from mitche_dev.indexgen import collection_group_models

from .conftest import DEMO_PARAMS, make_client
from .fields import has_field

CLIENT: Final = make_client("127.0.0.1:1")  # builds protobufs only; never connects
NOW: Final = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)


def _group_of(query: CatalogQuery) -> str:
    return query.collection.rsplit("/", 1)[-1]


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_every_field_a_query_names_is_stored_in_its_collection(name):
    """Filters and orderings name fields the collection's documents have (camelCase, through
    nested maps), so a typo cannot silently match nothing."""
    query = CATALOG[name]
    models = collection_group_models()[_group_of(query)]
    for path in [w.field for w in query.where] + [o.field for o in query.order]:
        assert has_field(models, path), f"{name}: {path}"


def test_client_and_function_queries_partition_the_catalog():
    """Each query is run either by a client app or by the functions, never both."""
    clients = {q.name for q in client_queries()}
    functions = {q.name for q in function_queries()}
    assert clients.isdisjoint(functions)
    assert clients | functions == set(CATALOG)
    assert all(name.split(".")[0] in ("functions", "backfill") for name in functions)


def test_member_queries_of_other_members_content_carry_a_guard():
    """A member or visitor query outside the member's own paths states the filters the rules
    require (its guard); only path-scoped queries (a wildcard in the path) may omit it."""
    for query in client_queries():
        if query.caller in (Caller.MEMBER, Caller.VISITOR) and not query.path_params():
            assert query.guard, query.name


@pytest.mark.parametrize(
    ("param", "value", "problem"),
    [
        (Param("limit", "int", maximum=100), 0, "must be a positive integer"),
        (Param("limit", "int", maximum=100), 101, "at most 100 allowed"),
        (Param("limit", "int"), True, "must be a positive integer"),
        (Param("now", "timestamp"), dt.datetime(2026, 1, 1), "timezone-aware"),
        (Param("now", "timestamp"), "2026-01-01", "timezone-aware"),
        (UID, "not a uid!", "not a uid"),
        (UID, "", "non-empty string"),
        (Param("requestPath", "reference"), "requests", "not a document path"),
        (Param("requestPath", "reference"), "requests//x", "not a document path"),
        (Param("urgency", choices=("low", "high")), "urgent", "must be one of"),
        (Param("states", "list", choices=("a", "b")), ["a", "c"], "items must be among"),
        (Param("states", "list"), [], "list of 1 to 30"),
    ],
)
def test_a_parameter_out_of_its_range_is_refused_by_name(param, value, problem):
    """The error names the parameter and says what would be right."""
    with pytest.raises(QueryParameterError, match=problem) as refused:
        param.check(value)
    assert repr(param.name) in str(refused.value)


@pytest.mark.parametrize(
    ("param", "value"),
    [
        (Param("limit", "int", maximum=100), 100),
        (Param("now", "timestamp"), NOW),
        (UID, "alice_01-B"),
        (Param("requestPath", "reference"), "requests/r1"),
        (Param("path", "reference"), "users/u/hopeLedger/e"),
        (Param("urgency", choices=("low", "high")), "high"),
        (Param("states", "list", choices=("a", "b")), ["a", "b"]),
    ],
)
def test_a_parameter_in_range_is_accepted(param, value):
    """Values of the declared kind and range pass the check."""
    param.check(value)


def test_missing_and_unexpected_parameters_are_both_named():
    """Building without a declared parameter, or with an undeclared one, fails naming both."""
    with pytest.raises(QueryParameterError, match=r"missing \['uid'\], unexpected \['user'\]"):
        build(CLIENT, catalog_query("requests.mine"), user="alice")


def test_a_path_parameter_must_be_a_document_id():
    """A wildcard value containing '/' would address another collection: refused."""
    with pytest.raises(QueryParameterError, match="must be a document id"):
        build(CLIENT, catalog_query("reports.log"), reportId="r1/actions/x")


def test_a_cursor_is_refused_on_a_query_not_declared_paged():
    """Only paged queries take `start_after`."""
    with pytest.raises(QueryParameterError, match="not declared paged"):
        build(CLIENT, catalog_query("requests.mine"), start_after={"createdAt": NOW}, uid="a")


def test_an_unknown_name_is_refused():
    """A typo in a catalog name fails at once, naming it."""
    with pytest.raises(UnknownQueryError, match=r"requests\.mien"):
        query_for(CLIENT, "requests.mien", uid="alice")


def _structured(query) -> StructuredQuery:
    return StructuredQuery.pb(query._to_protobuf())


def test_build_sends_exactly_the_declared_query():
    """The StructuredQuery carries the declared collection, filters with the bound values,
    orderings and limit."""
    sent = _structured(
        query_for(CLIENT, "messages.ofConversation", **DEMO_PARAMS["messages.ofConversation"])
    )
    assert [s.collection_id for s in sent.from_] == ["messages"]
    filters = [f.field_filter for f in sent.where.composite_filter.filters]
    assert [(f.field.field_path, f.value.string_value) for f in filters[:2]] == [
        ("conversationId", "conv-groceries-alice-bob"),
        ("participantIds", "alice"),
    ]
    assert filters[2].field.field_path == "moderation.status"
    assert [v.string_value for v in filters[2].value.array_value.values] == ["approved", "flagged"]
    assert [(o.field.field_path, o.direction) for o in sent.order_by] == [
        ("createdAt", StructuredQuery.Direction.DESCENDING)
    ]
    assert sent.limit.value == 20


def test_a_collection_group_query_spans_all_descendants():
    """Group declarations become collection-group queries from the database root."""
    sent = _structured(query_for(CLIENT, "events.myRegistrations", uid="alice"))
    assert sent.from_[0].collection_id == "registrations"
    assert sent.from_[0].all_descendants


def test_a_reference_parameter_is_sent_as_a_reference():
    """Document paths are compared as Firestore references, as the codec stores them."""
    sent = _structured(
        query_for(CLIENT, "offerings.onRequest", **DEMO_PARAMS["offerings.onRequest"])
    )
    first = sent.where.composite_filter.filters[0].field_filter
    assert first.value.reference_value.endswith("/documents/requests/req-groceries-croix-rousse")


def test_a_null_constant_becomes_an_is_null_filter():
    """`requestPath == None` is sent as the unary IS_NULL filter the rules analyse."""
    sent = _structured(query_for(CLIENT, "offerings.standingByCategory", category="food", limit=5))
    kinds = [f.WhichOneof("filter_type") for f in sent.where.composite_filter.filters]
    assert "unary_filter" in kinds


def test_a_projection_reads_ids_only():
    """`select=()` sends an empty projection of `__name__` (ids only)."""
    sent = _structured(query_for(CLIENT, "functions.memberIds", pageSize=10))
    assert [f.field_path for f in sent.select.fields] == ["__name__"]


def test_a_paged_query_continues_after_its_cursor():
    """`start_after` on a paged declaration sets the start cursor after the given position."""
    sent = _structured(
        query_for(CLIENT, "hopeLedger.mine", uid="bob", limit=5, start_after={"createdAt": NOW})
    )
    assert sent.start_at.before is False
    assert len(sent.start_at.values) == 1


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_sample_parameters_build_every_query(name):
    """The index generator's sample parameters satisfy every declaration's checks."""
    build(CLIENT, CATALOG[name], **sample_params(CATALOG[name]))


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda: Where("Status", "==", "open"), "dotted camelCase"),
        (lambda: Where("status", "in", "open"), "needs a tuple or a parameter"),
        (lambda: Order("created at"), "dotted camelCase"),
        (lambda: Param("page size"), "Python identifier"),
        (
            lambda: CatalogQuery("x", "x", Caller.MEMBER, "a/b", group=False),
            "not a collection path",
        ),
        (
            lambda: CatalogQuery("x", "x", Caller.MEMBER, "a/b/c", group=True),
            "names a collection id",
        ),
        (
            lambda: CatalogQuery("x", "x", Caller.MEMBER, "a", guard=("ownerId",)),
            "does not filter on",
        ),
        (
            lambda: CatalogQuery(
                "x", "x", Caller.FUNCTIONS, "a", where=(Where("a", "==", 1),), guard=("a",)
            ),
            "only client queries",
        ),
    ],
)
def test_a_malformed_declaration_fails_at_import(make, problem):
    """Declarations check themselves, so a bad one never reaches the index generator."""
    with pytest.raises(ValueError, match=problem):
        make()


def _isort_key(name: str) -> tuple[int, str]:
    """The order ruff's RUF022 keeps: CONSTANTS, then Classes, then functions."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


@pytest.mark.parametrize("name", ["mitche.queries", "mitche_dev.indexgen"])
def test_dunder_all_is_sorted_and_complete(name):
    """Each package's `__all__` is sorted and every name it lists exists."""
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert exported == sorted(exported, key=_isort_key)
    assert all(hasattr(module, item) for item in exported)
