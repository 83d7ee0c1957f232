"""The Python representation of rules values: conversions from Firestore, type names, equality."""

from __future__ import annotations

import datetime as dt
import logging
import math

import pytest
from google.api_core.datetime_helpers import DatetimeWithNanoseconds
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from google.cloud.firestore_v1._helpers import GeoPoint
from google.cloud.firestore_v1.types import document
from google.protobuf import struct_pb2, timestamp_pb2
from google.type import latlng_pb2  # type: ignore[import-untyped]

from firelab.rules._functions import DEBUG_LOGGER, call_function, lookup_function
from firelab.rules._operators import BINARY_OPERATORS, binary_op, binary_operator
from firelab.rules._values import (
    TIMESTAMP_MAX_NANOS,
    TIMESTAMP_MIN_NANOS,
    RulesDuration,
    RulesError,
    RulesLatLng,
    RulesMapDiff,
    RulesPath,
    RulesSet,
    RulesTimestamp,
    from_firestore,
    is_type,
    reference_value_path,
    set_key,
    type_name,
    values_equal,
)


def make_client() -> firestore.Client:
    """A Firestore client that is never used for I/O (no server is contacted)."""
    credentials = AnonymousCredentials()  # type: ignore[no-untyped-call]
    return firestore.Client(project="demo", credentials=credentials, database="(default)")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "null"),
        (True, "bool"),
        (1, "int"),
        (1.5, "float"),
        ("a", "string"),
        (b"a", "bytes"),
        ([1], "list"),
        ((1,), "list"),
        ({"a": 1}, "map"),
        (RulesPath(("a",)), "path"),
        (RulesTimestamp(0), "timestamp"),
        (RulesDuration(0), "duration"),
        (RulesLatLng(0.0, 0.0), "latlng"),
        (RulesSet.of([1]), "set"),
        (RulesMapDiff({}, {}), "map_diff"),
        (RulesError("x"), "error"),
    ],
)
def test_type_name(value: object, expected: str) -> None:
    """Every representation maps to its rules type name."""
    assert type_name(value) == expected  # type: ignore[arg-type]


def test_is_type_rejects_unknown_names_with_the_known_ones() -> None:
    """An unknown type after `is` is an error that lists the valid names."""
    result = is_type(1, "integer")
    assert isinstance(result, RulesError)
    assert "int" in result.message
    assert "timestamp" in result.message


def test_from_firestore_keeps_plain_values() -> None:
    """Scalars, lists and maps decoded by google-cloud-firestore are already rules values."""
    data = {"s": "x", "i": 3, "f": 1.5, "b": True, "n": None, "y": b"\x00", "l": [1, {"k": "v"}]}
    assert from_firestore(data) == data


def test_from_firestore_converts_datetimes_with_nanoseconds() -> None:
    """A DatetimeWithNanoseconds keeps its nanoseconds; a naive datetime counts as UTC."""
    stamp = DatetimeWithNanoseconds(2021, 3, 4, 5, 6, 7, nanosecond=123_456_789, tzinfo=dt.UTC)  # type: ignore[no-untyped-call]
    assert from_firestore(stamp) == RulesTimestamp(1_614_834_367_123_456_789)
    naive = dt.datetime(2021, 3, 4, 5, 6, 7, 250_000)
    assert from_firestore(naive) == RulesTimestamp(1_614_834_367_250_000_000)


def test_from_datetime_converts_other_time_zones_to_utc() -> None:
    """An aware datetime in another zone is the same instant in UTC."""
    paris = dt.timezone(dt.timedelta(hours=1))
    local = dt.datetime(2021, 3, 4, 6, 6, 7, tzinfo=paris)
    assert RulesTimestamp.from_datetime(local) == RulesTimestamp(1_614_834_367_000_000_000)
    assert RulesTimestamp(1_614_834_367_000_000_000).to_datetime() == local


def test_timestamp_range_is_year_1_to_9999() -> None:
    """The timestamp range is 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z."""
    low = dt.datetime(1, 1, 1, tzinfo=dt.UTC)
    high = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
    assert RulesTimestamp.from_datetime(low).nanos == TIMESTAMP_MIN_NANOS
    assert RulesTimestamp.from_datetime(high).nanos + 999_999_999 == TIMESTAMP_MAX_NANOS


def test_from_firestore_converts_geopoints_and_references() -> None:
    """A GeoPoint becomes a LatLng and a DocumentReference the path rules see in resource."""
    reference = make_client().document("users/alice")
    converted = from_firestore({"at": GeoPoint(48.85, 2.35), "owner": reference})
    assert converted == {
        "at": RulesLatLng(48.85, 2.35),
        "owner": RulesPath(("databases", "(default)", "documents", "users", "alice")),
    }


def test_from_firestore_converts_protobuf_values() -> None:
    """A google.firestore.v1.Value message, raw or proto-plus, converts field by field."""
    value = document.Value(
        map_value=document.MapValue(
            fields={
                "n": document.Value(null_value=struct_pb2.NULL_VALUE),
                "b": document.Value(boolean_value=True),
                "i": document.Value(integer_value=7),
                "d": document.Value(double_value=0.5),
                "s": document.Value(string_value="hé"),
                "y": document.Value(bytes_value=b"\x01"),
                "t": document.Value(timestamp_value=timestamp_pb2.Timestamp(seconds=1, nanos=2)),
                "g": document.Value(geo_point_value=latlng_pb2.LatLng(latitude=1.0, longitude=2.0)),
                "r": document.Value(
                    reference_value="projects/demo/databases/(default)/documents/users/alice"
                ),
                "a": document.Value(
                    array_value=document.ArrayValue(values=[document.Value(integer_value=1)])
                ),
            }
        )
    )
    expected = {
        "n": None,
        "b": True,
        "i": 7,
        "d": 0.5,
        "s": "hé",
        "y": b"\x01",
        "t": RulesTimestamp(1_000_000_002),
        "g": RulesLatLng(1.0, 2.0),
        "r": RulesPath(("databases", "(default)", "documents", "users", "alice")),
        "a": [1],
    }
    assert from_firestore(value) == expected
    assert from_firestore(document.Value.pb(value)) == expected


def test_from_firestore_reports_unsupported_types() -> None:
    """An object that is no Firestore value converts to an error naming its type."""
    result = from_firestore(object())
    assert isinstance(result, RulesError)
    assert "object" in result.message


def test_reference_value_path_drops_the_project() -> None:
    """Rules paths to documents start at /databases, without the project."""
    assert reference_value_path("projects/p/databases/d/documents/c/x") == RulesPath(
        ("databases", "d", "documents", "c", "x")
    )


def test_path_equality_ignores_bindings() -> None:
    """Two paths with the same segments are equal whatever their bindings."""
    assert RulesPath(("a",), {"x": 1}) == RulesPath(("a",))
    assert str(RulesPath(("a", "b"))) == "/a/b"
    assert RulesPath.parse("/a//b/") == RulesPath(("a", "b"))


@pytest.mark.parametrize(
    ("left", "right", "equal"),
    [
        (1, 1.0, True),
        (True, 1, False),
        ([1, [2]], (1.0, [2.0]), True),
        ({"a": [True]}, {"a": [1]}, False),
        (RulesSet.of([1, 2]), RulesSet.of([2.0, 1.0]), True),
        (None, False, False),
        (math.nan, math.nan, False),
    ],
)
def test_values_equal(left: object, right: object, equal: bool) -> None:
    """Equality is structural, numbers compare by value and bools never equal numbers."""
    assert values_equal(left, right) is equal  # type: ignore[arg-type]


def test_set_keys_agree_with_equality() -> None:
    """Equal values share a set key; a bool and a number never do."""
    assert set_key([1, {"a": 1}]) == set_key([1.0, {"a": 1.0}])
    assert set_key(True) != set_key(1)
    assert set_key(RulesSet.of(["a"])) == set_key(RulesSet.of(["a", "a"]))


def test_binary_operator_resolves_once_per_operator() -> None:
    """The evaluator can fetch an operator's function once and call it directly."""
    for op, fn in BINARY_OPERATORS.items():
        assert binary_operator(op) is fn
    unknown = binary_operator("**")
    assert isinstance(unknown(1, 2), RulesError)
    assert isinstance(binary_op("**", 1, 2), RulesError)


def test_lookup_function_finds_built_ins_only() -> None:
    """Built-ins resolve to a callable; other names resolve to None for user functions."""
    absolute = lookup_function("math.abs")
    assert absolute is not None
    assert absolute([-3]) == 3
    assert lookup_function("isOwner") is None
    assert call_function("isOwner", []) is None


def test_debug_logs_the_value_like_firestore_debug_log(caplog: pytest.LogCaptureFixture) -> None:
    """debug() writes the typed value to the debug log and returns it unchanged."""
    with caplog.at_level(logging.DEBUG, logger=DEBUG_LOGGER.name):
        assert call_function("debug", ["alice"]) == "alice"
        assert call_function("debug", [True]) is True
        assert call_function("debug", [{"uid": 1}]) == {"uid": 1}
    assert caplog.messages == [
        'string_value: "alice"',
        "bool_value: true",
        'map_value { fields { key: "uid" value { int_value: 1 } } }',
    ]
