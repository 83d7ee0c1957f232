"""The parsers at the edge of the server never crash on junk: multipart bodies either split
into metadata and bytes or raise `MultipartError`; Range headers give a range inside the
object or none."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firelab.storage._media import byte_range
from firelab.storage._multipart import MultipartError, MultipartUpload, parse_multipart_upload


@given(st.binary(max_size=300), st.text(max_size=60))
def test_junk_bodies_are_refused_with_a_reason(body: bytes, header: str) -> None:
    """Any body under any content type: parsed, or a MultipartError, never anything else."""
    outcome: object
    try:
        outcome = parse_multipart_upload(header, body)
    except MultipartError as error:
        outcome = error
    if isinstance(outcome, MultipartError):
        assert str(outcome)
    else:
        assert isinstance(outcome, MultipartUpload)
        assert isinstance(outcome.metadata, dict)


@given(
    st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=4),
    st.binary(max_size=500),
)
def test_any_metadata_and_bytes_round_trip(metadata: dict[str, str], data: bytes) -> None:
    """What a client puts in the two parts comes back out, whatever the bytes."""
    boundary = "firelab-boundary-1234567890"
    body = (
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode()
        + json.dumps(metadata).encode()
        + f"\r\n--{boundary}\r\nContent-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + f"\r\n--{boundary}--".encode()
    )
    upload = parse_multipart_upload(f'multipart/related; boundary="{boundary}"', body)
    assert (upload.metadata, upload.data) == (metadata, data)


@given(st.text(max_size=40), st.integers(min_value=0, max_value=10_000))
def test_a_range_is_inside_the_object_or_absent(header: str, size: int) -> None:
    """Whatever the header says, the chosen range lies within the object."""
    chosen = byte_range(header, size)
    if chosen is not None:
        start, end = chosen
        assert 0 <= start <= end < size


@pytest.mark.parametrize(
    ("header", "expected"),
    [("bytes=0-0", (0, 0)), ("bytes=5-1", None), ("bytes=1-2, 0-3", (0, 3)), ("bytes=", None)],
)
def test_range_corners(header: str, expected: tuple[int, int] | None) -> None:
    """An inverted range is unsatisfiable; overlapping ranges combine, as range-parser does."""
    assert byte_range(header, 10) == expected
