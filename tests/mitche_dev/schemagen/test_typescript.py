"""The TypeScript declarations: one type per definition, Firestore values as structural
interfaces, JSDoc from the descriptions and writers, and a runtime `Collections` value."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mitche_dev.schemagen import (
    Document,
    SchemaGenError,
    SchemaSet,
    render_javascript,
    render_typescript,
    ts_type,
)


def _block(text: str, opening: str) -> list[str]:
    """The lines of a declaration, from its opening line to the closing brace."""
    lines = text.splitlines()
    start = lines.index(opening)
    end = lines.index("}", start)
    return lines[start : end + 1]


@pytest.fixture(scope="module")
def sample_ts(sample_schemas) -> str:
    return render_typescript(sample_schemas)


@pytest.mark.parametrize(
    "declaration",
    [
        "name: string;",
        "count?: number;",
        "score?: number;",
        "active?: boolean;",
        "mood?: Mood;",
        "priority?: Priority;",
        'channel: "sms" | "email";',
        "gauge?: Gauge;",
        "tags?: string[];",
        "gauges?: (Gauge | null)[];",
        "perMood?: Partial<Record<Mood, number>>;",
        "labels?: Record<string, string>;",
        "byCode?: Record<string, number>;",
        "note?: string | null;",
        "part: TextPart | ImagePart;",
        "either?: number | string;",
        "createdAt: FirestoreTimestamp;",
        "place?: FirestoreGeoPoint | null;",
        "authorRef: FirestoreDocumentReference;",
        "ownerId: string;",
        "pair?: [number, string];",
        "code?: string;",
    ],
)
def test_each_field_maps_to_its_typescript_type(sample_ts, declaration):
    """A field is declared with its camelCase name, `?` when it has a default, and its type."""
    assert f"  {declaration}" in _block(sample_ts, "export interface Sample {")


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string"}, "string"),
        ({"type": "string", "format": "date-time"}, "FirestoreTimestamp"),
        ({"type": "string", "format": "firestore-document-path"}, "FirestoreDocumentReference"),
        ({"type": "string", "format": "email"}, "string"),
        ({"type": "integer", "minimum": 0}, "number"),
        ({"type": "number"}, "number"),
        ({"type": "boolean"}, "boolean"),
        ({"type": "null"}, "null"),
        ({"type": ["string", "null"]}, "string | null"),
        ({"const": "text"}, '"text"'),
        ({"enum": ["a", 2, True]}, '"a" | 2 | true'),
        ({"$ref": "#/$defs/Gauge"}, "Gauge"),
        ({"allOf": [{"$ref": "#/$defs/Gauge"}]}, "Gauge"),
        ({"anyOf": [{"type": "integer"}, {"type": "number"}]}, "number"),
        ({"oneOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}]}, "A | B"),
        ({"type": "object", "format": "firestore-geopoint", "properties": {}}, "FirestoreGeoPoint"),
        ({"type": "object"}, "Record<string, unknown>"),
        ({"type": "object", "additionalProperties": {"type": "integer"}}, "Record<string, number>"),
        (
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
            "{ a: string }",
        ),
        (
            {"type": "object", "properties": {"my-key": {"type": "boolean"}}},
            '{ "my-key"?: boolean }',
        ),
        (
            {
                "type": "object",
                "patternProperties": {"^a": {"type": "integer"}, "^b": {"$ref": "#/$defs/G"}},
            },
            "Record<string, number | G>",
        ),
        (
            {"type": "object", "propertyNames": {"enum": ["a", "b"]}},
            'Partial<Record<"a" | "b", unknown>>',
        ),
        ({"type": "array"}, "unknown[]"),
        ({"type": "array", "items": {"enum": ["a", "b"]}}, '("a" | "b")[]'),
        (
            {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}]},
            "[number, string]",
        ),
        ({}, "unknown"),
        ({"description": "anything"}, "unknown"),
    ],
)
def test_json_schema_constructs_map_to_typescript(schema, expected):
    """Each JSON Schema construct pydantic emits has one TypeScript form."""
    assert ts_type(schema) == expected


@pytest.mark.parametrize(
    "schema",
    [
        {"not": {"type": "string"}},
        {"type": "string", "$ref": "#/definitions/Old"},
        {"if": {}},
        {"type": "object", "dependentRequired": {"a": ["b"]}},
    ],
)
def test_unknown_constructs_are_refused_not_widened(schema):
    """A construct without a mapping stops generation instead of becoming `any`."""
    with pytest.raises(SchemaGenError):
        ts_type(schema)


def test_enums_are_string_literal_unions_with_member_docs(sample_ts):
    """An enum is a union of its wire values; documented members are listed in its JSDoc."""
    lines = sample_ts.splitlines()
    start = lines.index("export type Mood =")
    assert lines[start + 1 : start + 4] == ['  | "calm"', '  | "inAHurry"', '  | "undocumented";']
    doc = "\n".join(lines[start - 6 : start])
    assert ' * - "calm": Nothing to worry about.' in doc
    assert "undocumented" not in doc


def test_property_jsdoc_states_description_writer_and_bounds(sample_ts):
    """A property's JSDoc carries its description, who writes it and its bounds."""
    block = "\n".join(_block(sample_ts, "export interface Sample {"))
    assert (
        "  /**\n"
        "   * Up to five short tags.\n"
        "   *\n"
        "   * Written by: client (the signed-in client, on create and update).\n"
        "   * Bounds: at most 5 items; each item: at most 20 characters.\n"
        "   */\n"
        "  tags?: string[];"
    ) in block
    assert "Written by: server (Cloud Functions and admins only" in block


def test_comment_terminators_in_descriptions_are_escaped(sample_ts):
    """A `*/` inside a description cannot end the JSDoc comment early."""
    assert "a pattern with `*\\/` in prose." in sample_ts


def test_firestore_values_are_structural_interfaces(sample_ts):
    """Timestamps, GeoPoints and references are declared locally, shaped like the SDK's."""
    assert _block(sample_ts, "export interface FirestoreGeoPoint {") == [
        "export interface FirestoreGeoPoint {",
        "  readonly latitude: number;",
        "  readonly longitude: number;",
        "}",
    ]
    assert "  toMillis(): number;" in _block(sample_ts, "export interface FirestoreTimestamp {")
    assert "export type FirestoreDocumentPath = string;" in sample_ts
    assert "  readonly path: FirestoreDocumentPath;" in _block(
        sample_ts, "export interface FirestoreDocumentReference {"
    )
    assert "from 'firebase" not in sample_ts.replace("from 'firebase/firestore':", "")


def test_collections_and_path_maps_list_every_document(sample_ts):
    """`Collections` names each collection; the maps give each path its document type."""
    assert _block(sample_ts, "export declare const Collections: {")[1:3] == [
        '  readonly users: "users";',
        '  readonly requests: "requests";',
    ]
    assert _block(sample_ts, "export interface CollectionDocuments {")[1:3] == [
        "  users: Sample;",
        "  requests: Other;",
    ]
    shapes = _block(sample_ts, "export interface DocumentShapes {")
    assert '  "users/{sampleId}/private/secret": SampleSecret;' in shapes
    assert "  /** Only the owner reads it. */" in shapes


def test_the_javascript_value_matches_the_declaration(sample_schemas, sample_ts):
    """mitche.js defines the same collection names `Collections` is declared with."""
    script = render_javascript(sample_schemas)
    declared = re.findall(r'^  readonly (\w+): "(\w+)";$', sample_ts, re.MULTILINE)
    defined = re.findall(r'^  (\w+): "(\w+)",$', script, re.MULTILINE)
    assert declared == defined == [("users", "users"), ("requests", "requests")]
    assert "export const Collections = Object.freeze({" in script


def test_shared_types_come_before_the_collections(sample_ts):
    """A type used by several collections is declared once, under the shared section."""
    shared = sample_ts.index("// ---- Shared types")
    users = sample_ts.index("// ---- users")
    assert shared < sample_ts.index("export interface Gauge {") < users
    assert sample_ts.count("export interface Gauge {") == 1
    assert users < sample_ts.index("export interface TextPart {")


def test_files_start_with_the_generated_header(sample_schemas, sample_ts):
    """Both files say they are generated, by which command, and not to edit them."""
    for text in (sample_ts, render_javascript(sample_schemas)):
        first, second = text.splitlines()[:2]
        assert first.startswith("// Generated by `python -m mitche_dev.schemagen`")
        assert second.startswith("// Do not edit")


def _schema_set(text: str) -> SchemaSet:
    """A one-document schema set whose model and field descriptions are `text`."""
    model = {
        "type": "object",
        "title": "Doc",
        "description": text,
        "properties": {"x": {"type": "string", "description": text, "x-writtenBy": "client"}},
        "required": ["x"],
    }
    document = Document("users", "users/{userId}", object, None)  # type: ignore[arg-type]
    return SchemaSet(
        documents=(document,),
        defs={"Doc": model},
        document_defs={"users/{userId}": "Doc"},
        standalone={"users/{userId}": model},
    )


def _code(text: str) -> list[str]:
    """The non-blank lines left once every JSDoc comment is removed."""
    stripped = re.sub(r"/\*\*.*?\*/", "", text, flags=re.DOTALL)
    return [line for line in stripped.splitlines() if line.strip()]


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab */\n\\`\"'@{}"), max_size=40))
def test_no_description_escapes_its_comment(text):
    """Whatever a description says, the declarations outside the comments stay the same."""
    assert _code(render_typescript(_schema_set(text))) == _code(render_typescript(_schema_set("")))


def test_discriminators_of_tagged_union_members_are_required(sample_ts):
    """A tagged union's discriminator is required in its members even when it has a default,
    as validation requires it, so `part.kind === "text"` narrows."""
    assert '  kind: "text";' in _block(sample_ts, "export interface TextPart {")
    assert '  kind: "image";' in _block(sample_ts, "export interface ImagePart {")


def test_a_field_described_like_its_type_keeps_its_description(sample_ts):
    """A field whose docstring pydantic folded into its type's still has its JSDoc."""
    block = _block(sample_ts, "export interface SampleSecret {")
    spare = block.index("  spare?: Gauge;")
    assert block[spare - 5 : spare][:2] == ["  /**", "   * A nested map with bounded numbers."]


def test_a_withdrawn_field_documents_its_one_client_value():
    """A `client-withdraw` property says who writes it and the one value a client may write."""
    schemas = _schema_set("Approval.")
    prop = schemas.defs["Doc"]["properties"]["x"]
    prop["x-writtenBy"] = "client-withdraw"
    prop["x-withdrawal"] = {"state": "pending", "submittedAt": "serverTimestamp()"}
    text = render_typescript(schemas)
    assert "Written by: client-withdraw (Cloud Functions and admins; a client only" in text
    assert "A client's withdrawal: `{state: 'pending', submittedAt: serverTimestamp()}`." in text
