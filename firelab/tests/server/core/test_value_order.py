"""Firestore's value order: value_order.json replayed through queries, and hypothesis
properties showing the byte encoding is a total order that agrees with a direct reading of
Firestore's comparison rules."""

from __future__ import annotations

import math
import struct
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firelab.server.core import Database, Emulator, FirestoreError
from firelab.server.core._protos import CommitRequest, RunQueryRequest, Value
from firelab.server.core._values import compare_values, encode_value, values_equal

from .oracle import fill, load, relative, structured_query, value

RECORDING = load("value_order.json")
GROUPS = RECORDING["values"]["groups"]
REJECTED = RECORDING["values"]["rejected"]


@pytest.fixture(scope="module")
def database() -> Database:
    """One document per recorded value, `v/NNN`, holding it in field `v`."""
    seeded = Emulator().database("demo")
    request = CommitRequest(database=seeded.id.root)
    index = 0
    for group in GROUPS:
        for entry in group:
            write = request.writes.add()
            write.update.name = f"{seeded.id.documents_root}/v/{index:03d}"
            write.update.fields["v"].CopyFrom(value(entry["value"]))
            write.update.fields["label"].string_value = entry["label"]
            index += 1
    seeded.commit(request)
    return seeded


def test_order_by_value_reproduces_the_recorded_groups(database: Database) -> None:
    """Ordering by the field lists the recorded tie groups in the recorded order."""
    request = RunQueryRequest(parent=database.id.documents_root)
    request.structured_query.CopyFrom(
        structured_query(
            {"from": [{"collectionId": "v"}], "orderBy": [{"field": {"fieldPath": "v"}}]}
        )
    )
    documents = [r.document for r in database.run_query(request) if r.HasField("document")]
    found: list[list[str]] = []
    previous: Value | None = None
    for document in documents:
        current = document.fields["v"]
        if previous is not None and values_equal(previous, current):
            found[-1].append(document.fields["label"].string_value)
        else:
            found.append([document.fields["label"].string_value])
        previous = current
    assert found == [[entry["label"] for entry in group] for group in GROUPS]


@pytest.mark.parametrize("entry", REJECTED, ids=[entry["label"] for entry in REJECTED])
def test_rejected_values_fail_with_the_recorded_message(
    database: Database, entry: dict[str, Any]
) -> None:
    """A value the emulator refuses to store is refused with the same message."""
    request = CommitRequest(database=database.id.root)
    write = request.writes.add()
    write.update.name = f"{database.id.documents_root}/rejected/x"
    write.update.fields["v"].CopyFrom(value(fill(entry["value"], database)))
    with pytest.raises(FirestoreError) as raised:
        database.commit(request)
    assert raised.value.message == entry["error"]


def test_collection_group_names_follow_the_recorded_order() -> None:
    """Document names compare segment by segment, numeric IDs first, strings by UTF-8 bytes."""
    database = Emulator().database("demo")
    request = CommitRequest(database=database.id.root)
    for path in RECORDING["paths"]["order"]:
        write = request.writes.add()
        write.update.name = f"{database.id.documents_root}/{path}"
        write.update.fields["n"].integer_value = 1
    database.commit(request)
    query = RunQueryRequest(parent=database.id.documents_root)
    query.structured_query.CopyFrom(
        structured_query({"from": [{"collectionId": "items", "allDescendants": True}]})
    )
    responses = database.run_query(query)
    names = [relative(database, r.document.name) for r in responses if r.HasField("document")]
    assert names == RECORDING["paths"]["order"]


# Properties ----------------------------------------------------------------------------------

_TYPE_ORDER = [
    "null",
    "boolean",
    "number",
    "timestamp",
    "string",
    "bytes",
    "reference",
    "geo",
    "array",
    "vector",
    "map",
]


def _kind(item: Value) -> str:
    kind = item.WhichOneof("value_type") or "null_value"
    if kind == "map_value":
        fields = item.map_value.fields
        kind_field = fields.get("__type__")
        if kind_field is not None and kind_field.string_value == "__vector__" and "value" in fields:
            return "vector"
        return "map"
    return {
        "null_value": "null",
        "boolean_value": "boolean",
        "integer_value": "number",
        "double_value": "number",
        "timestamp_value": "timestamp",
        "string_value": "string",
        "bytes_value": "bytes",
        "reference_value": "reference",
        "geo_point_value": "geo",
        "array_value": "array",
    }[kind]


def _cmp(a: Any, b: Any) -> int:
    return (a > b) - (a < b)


def _number(item: Value) -> Fraction | None:
    if item.WhichOneof("value_type") == "integer_value":
        return Fraction(item.integer_value)
    if math.isnan(item.double_value):
        return None
    if math.isinf(item.double_value):
        return Fraction(10**400) * (1 if item.double_value > 0 else -1)
    return Fraction(item.double_value)


def _segment_key(segment: str) -> tuple[int, Any]:
    if segment.startswith("__id") and segment.endswith("__"):
        try:
            return (0, int(segment[4:-2]))
        except ValueError:
            pass
    return (1, segment.encode("utf-8"))


def reference_compare(left: Value, right: Value) -> int:
    """Firestore's comparison written directly from its documented rules (no encoding)."""
    kinds = _cmp(_TYPE_ORDER.index(_kind(left)), _TYPE_ORDER.index(_kind(right)))
    if kinds:
        return kinds
    kind = _kind(left)
    if kind == "null":
        return 0
    if kind == "boolean":
        return _cmp(left.boolean_value, right.boolean_value)
    if kind == "number":
        a, b = _number(left), _number(right)
        if a is None or b is None:
            return _cmp(a is not None, b is not None)
        return _cmp(a, b)
    if kind == "timestamp":
        return _cmp(
            (left.timestamp_value.seconds, left.timestamp_value.nanos // 1000),
            (right.timestamp_value.seconds, right.timestamp_value.nanos // 1000),
        )
    if kind == "string":
        return _cmp(left.string_value.encode("utf-8"), right.string_value.encode("utf-8"))
    if kind == "bytes":
        return _cmp(left.bytes_value, right.bytes_value)
    if kind == "reference":
        return _cmp(
            [_segment_key(s) for s in left.reference_value.split("/")],
            [_segment_key(s) for s in right.reference_value.split("/")],
        )
    if kind == "geo":
        return _cmp(
            (left.geo_point_value.latitude, left.geo_point_value.longitude),
            (right.geo_point_value.latitude, right.geo_point_value.longitude),
        )
    if kind == "array":
        return _sequence(list(left.array_value.values), list(right.array_value.values))
    if kind == "vector":
        a = list(left.map_value.fields["value"].array_value.values)
        b = list(right.map_value.fields["value"].array_value.values)
        return _cmp(len(a), len(b)) or _sequence(a, b)
    a_keys = sorted(left.map_value.fields, key=lambda k: k.encode("utf-8"))
    b_keys = sorted(right.map_value.fields, key=lambda k: k.encode("utf-8"))
    for ka, kb in zip(a_keys, b_keys, strict=False):
        order = _cmp(ka.encode("utf-8"), kb.encode("utf-8")) or reference_compare(
            left.map_value.fields[ka], right.map_value.fields[kb]
        )
        if order:
            return order
    return _cmp(len(a_keys), len(b_keys))


def _sequence(a: list[Value], b: list[Value]) -> int:
    for x, y in zip(a, b, strict=False):
        order = reference_compare(x, y)
        if order:
            return order
    return _cmp(len(a), len(b))


def _make(**kwargs: Any) -> Value:
    item = Value()
    for key, data in kwargs.items():
        if key == "timestamp":
            item.timestamp_value.seconds, item.timestamp_value.nanos = data
        elif key == "geo":
            item.geo_point_value.latitude, item.geo_point_value.longitude = data
        elif key == "array":
            item.array_value.SetInParent()
            item.array_value.values.extend(data)
        elif key == "map":
            item.map_value.SetInParent()
            for name, inner in data.items():
                item.map_value.fields[name].CopyFrom(inner)
        elif key == "vector":
            item.map_value.fields["__type__"].string_value = "__vector__"
            item.map_value.fields["value"].array_value.SetInParent()
            for number in data:
                item.map_value.fields["value"].array_value.values.add().double_value = number
        else:
            setattr(item, key, data)
    return item


_doubles = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.0**53, 2.0**63, -(2.0**63), 5e-324]),
    st.integers(-(2**63), 2**63 - 1).map(float),
)
_ints = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.sampled_from([0, 1, -1, 2**53, 2**53 + 1, 2**63 - 1, -(2**63)]),
)
_ALPHABET = ["a", "b", "\x00", "\x01", "é", "\uff5e", "\U0001f600", "_"]
_text = st.text(alphabet=st.sampled_from(_ALPHABET), max_size=4)
_ROOT = "projects/p/databases/(default)/documents/"
_segments = st.one_of(
    _text.filter(lambda s: s and "/" not in s),
    st.integers(-5, 12).map(lambda n: f"__id{n}__"),
)
_scalars = st.one_of(
    st.just(_make(null_value=0)),
    st.booleans().map(lambda b: _make(boolean_value=b)),
    _ints.map(lambda n: _make(integer_value=n)),
    _doubles.map(lambda d: _make(double_value=d)),
    st.tuples(st.integers(-62135596800, 253402300799), st.integers(0, 999_999_999)).map(
        lambda t: _make(timestamp=t)
    ),
    _text.map(lambda s: _make(string_value=s)),
    st.binary(max_size=3).map(lambda b: _make(bytes_value=b)),
    st.lists(_segments, min_size=2, max_size=4).map(
        lambda segs: _make(reference_value=_ROOT + "/".join(segs))
    ),
    st.tuples(
        st.sampled_from([-90.0, 0.0, -0.0, 1.5, 90.0]), st.sampled_from([-180.0, 0.0, 2.0, 180.0])
    ).map(lambda g: _make(geo=g)),
    st.lists(st.floats(allow_nan=False, width=32), max_size=3).map(lambda v: _make(vector=v)),
)


def _non_arrays(inner: st.SearchStrategy[Value]) -> st.SearchStrategy[Value]:
    return inner.filter(lambda v: v.WhichOneof("value_type") != "array_value")


values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(_non_arrays(inner), max_size=3).map(lambda items: _make(array=items)),
        st.dictionaries(_text, inner, max_size=3).map(lambda items: _make(map=items)),
    ),
    max_leaves=6,
)


@settings(max_examples=400, deadline=None)
@given(values, values)
def test_encoding_order_agrees_with_the_rules(left: Value, right: Value) -> None:
    """Comparing encodings gives the same answer as Firestore's comparison rules."""
    assert compare_values(left, right) == reference_compare(left, right)


@settings(max_examples=300, deadline=None)
@given(values, values, values)
def test_order_is_total_and_consistent_with_equality(a: Value, b: Value, c: Value) -> None:
    """The order is antisymmetric and transitive, and equal values compare as 0."""
    assert compare_values(a, b) == -compare_values(b, a)
    assert (compare_values(a, b) == 0) == values_equal(a, b)
    if compare_values(a, b) <= 0 and compare_values(b, c) <= 0:
        assert compare_values(a, c) <= 0


@settings(max_examples=200, deadline=None)
@given(values, values)
def test_encodings_are_prefix_free(left: Value, right: Value) -> None:
    """No encoding is a proper prefix of another, so encodings concatenate into index keys."""
    a, b = encode_value(left), encode_value(right)
    if a != b:
        assert not b.startswith(a)
        assert not a.startswith(b)


def test_integer_and_double_of_equal_value_encode_alike() -> None:
    """An int64 and the double of exactly its value are the same index entry."""
    for number in (0, 1, -1, 2**53, -(2**63), 2**62 + 2**10):
        as_double = _make(double_value=float(number))
        assert encode_value(_make(integer_value=number)) == encode_value(as_double)
    bits = struct.unpack("<d", struct.pack("<q", 1))[0]
    assert compare_values(_make(double_value=bits), _make(integer_value=0)) == 1


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=True),
            st.integers(min_value=-(2**63), max_value=2**63 - 1),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_a_vector_encodes_as_its_elements_one_by_one(elements: list[float | int]) -> None:
    """Vectors of doubles are encoded at once (numpy, from the wire bytes); the result is the
    element-by-element encoding, for any doubles (subnormal, huge, signed zero, NaN, infinite)
    and for vectors mixing integers."""
    vector = Value()
    fields = vector.map_value.fields
    fields["__type__"].string_value = "__vector__"
    for element in elements:
        item = fields["value"].array_value.values.add()
        if isinstance(element, int):
            item.integer_value = element
        else:
            item.double_value = element
    items = fields["value"].array_value.values
    expected = (
        b"\x32" + struct.pack(">Q", len(items)) + b"".join(encode_value(item) for item in items)
    )
    assert encode_value(vector) == expected + b"\x00"
