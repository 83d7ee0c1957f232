"""The emulator's REST JSON layout: Java's double printing, escaping, arrays, errors."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from google.protobuf import json_format
from hypothesis import given
from hypothesis import strategies as st

from firelab.server import _protos as protos
from firelab.server._javajson import java_double, render_error, render_message, render_stream

ORACLE = Path(__file__).parents[1] / "oracle" / "firestore-emulator-1.22.0"
REST = {
    case["name"]: case for case in json.loads((ORACLE / "rest.json").read_text("utf-8"))["cases"]
}


def _doubles():
    case = REST["doubles as Java prints them"]
    printed = json.loads(case["outcome"]["body"])["fields"]
    text = case["outcome"]["body"]
    for name, value in case["body"]["fields"].items():
        expected = printed[name]["doubleValue"]
        start = text.index(f'"{name}"')
        line = text[text.index('"doubleValue": ', start) :].split("\n", 1)[0]
        yield value["doubleValue"], line.removeprefix('"doubleValue": ')
        assert float(line.removeprefix('"doubleValue": ')) == expected


@pytest.mark.parametrize(("value", "printed"), list(_doubles()))
def test_doubles_print_as_java_prints_them(value, printed):
    """`Double.toString`: plain between 1e-3 and 1e7, else `d.dddE±n`, always a fraction."""
    assert java_double(value) == printed


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_printed_doubles_read_back_as_the_same_value(value):
    """Java's rendering loses nothing: parsing it gives the same double."""
    assert float(java_double(value)) == value or (value == 0 and math.copysign(1, value) < 0)


def test_a_document_renders_byte_for_byte_like_the_emulator():
    """Every value type of rest.json's first document is laid out exactly as recorded."""
    created = REST["create every value type with PATCH"]
    document = protos.Document(name="projects/{project}/databases/(default)/documents/c/a")
    json_format.ParseDict(created["body"], document)
    # As stored: timestamps at microsecond precision, -0.0 as 0.0.
    document.fields["ts"].timestamp_value.nanos = 123456000
    document.fields["neg0"].double_value = 0.0
    document.create_time.FromJsonString("2020-01-01T00:00:00Z")
    document.update_time.FromJsonString("2020-01-01T00:00:00Z")
    text = re.sub(
        r'"(createTime|updateTime)": "[^"]*"', r'"\1": "<time>"', render_message(document)
    )
    assert text == REST["get a document"]["outcome"]["body"]


def test_an_empty_message_and_an_empty_stream():
    """`{` newline `}` for an empty object, `[` blank line `]` for an empty stream."""
    assert render_message(protos.Empty()) == "{\n}\n"
    assert render_stream([]) == "[\n\n]\n"


@pytest.mark.parametrize(
    ("status", "message", "code", "body"),
    [
        (
            404,
            "Document (projects/p/databases/(default)/documents/c/a b) not found.",
            "NOT_FOUND",
            '{"error":{"code":404,"message":"Document (projects\\/p\\/databases\\/(default)'
            '\\/documents\\/c\\/a b) not found.","status":"NOT_FOUND"}}',
        ),
        (500, "", "UNKNOWN", '{"error":{"code":500,"status":"UNKNOWN"}}'),
        (
            404,
            'no entity to update: app: "dev~p"\npath <\n>\n',
            "NOT_FOUND",
            '{"error":{"code":404,"message":"no entity to update: app: \\"dev~p\\"'
            '\\npath <\\n>\\n","status":"NOT_FOUND"}}',
        ),
    ],
)
def test_errors_use_the_compact_writer(status, message, code, body):
    """Error bodies are one line, escape `/`, and omit an empty message."""
    assert render_error(status, message, code) == body
