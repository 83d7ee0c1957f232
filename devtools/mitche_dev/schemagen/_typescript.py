"""TypeScript declarations for the client apps (`schema/mitche.d.ts`), and the one runtime
value they declare, the collection names (`schema/mitche.js`).

Firestore-native values are declared as minimal structural interfaces rather than imported
from 'firebase/firestore', so the file compiles without the Firebase SDK installed while the
SDK's own `Timestamp`, `GeoPoint` and `DocumentReference` objects remain assignable to them.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterable
from typing import Final

from mitche_dev.schemagen._describe import (
    ANNOTATIONS,
    DOCUMENT_PATH_FORMAT,
    GENERATED_LINES,
    GEOPOINT_FORMAT,
    TIMESTAMP_FORMAT,
    WRITERS,
    bounds,
    description,
    map_keys,
    map_values,
)
from mitche_dev.schemagen._documents import SchemaGenError
from mitche_dev.schemagen._grouping import group_definitions
from mitche_dev.schemagen._schemaset import (
    ENUM_DOCS_KEY,
    WITHDRAWAL_KEY,
    WRITER_KEY,
    JsonSchema,
    SchemaSet,
    ref_name,
    withdrawal_text,
)

__all__ = ["render_javascript", "render_typescript", "ts_type"]

_IDENTIFIER: Final = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_LINE: Final = 100
"""Width JSDoc text is wrapped to; lines of code are not wrapped."""

_FIRESTORE_TYPES: Final = """\
/**
 * A point in time, as Firestore stores every date. Structurally compatible with `Timestamp`
 * from 'firebase/firestore': an SDK Timestamp is assignable to it.
 */
export interface FirestoreTimestamp {
  readonly seconds: number;
  readonly nanoseconds: number;
  toDate(): Date;
  toMillis(): number;
}

/**
 * A latitude/longitude pair in degrees. Structurally compatible with `GeoPoint` from
 * 'firebase/firestore': an SDK GeoPoint is assignable to it.
 */
export interface FirestoreGeoPoint {
  readonly latitude: number;
  readonly longitude: number;
}

/** A document path from the database root, such as "requests/abc123". */
export type FirestoreDocumentPath = string;

/**
 * A reference to another document, stored as a Firestore reference. Structurally compatible
 * with `DocumentReference` from 'firebase/firestore': an SDK reference is assignable to it;
 * `path` is the referenced document's path.
 */
export interface FirestoreDocumentReference {
  readonly id: string;
  readonly path: FirestoreDocumentPath;
}
"""


_HEADER: Final = tuple(f"// {line}" for line in GENERATED_LINES)


def _literal(value: object) -> str:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return json.dumps(value)
    raise SchemaGenError(f"cannot write {value!r} as a TypeScript literal type")


def _union(parts: Iterable[str]) -> str:
    unique = list(dict.fromkeys(parts))
    return " | ".join(unique) if unique else "never"


def _element(text: str) -> str:
    """A type as the element of an array type, parenthesised when it is a union."""
    return f"({text})" if " | " in text else text


def _key(name: str) -> str:
    return name if _IDENTIFIER.match(name) else json.dumps(name)


def _object_type(schema: JsonSchema) -> str:
    required = set(schema.get("required", ()))
    members = [
        f"{_key(name)}{'' if name in required else '?'}: {ts_type(prop)}"
        for name, prop in schema["properties"].items()
    ]
    return "{ " + "; ".join(members) + " }" if members else "Record<string, never>"


def _map_type(schema: JsonSchema) -> str:
    values = map_values(schema)
    value = _union(ts_type(one) for one in values) if values else "unknown"
    keys = map_keys(schema)
    if keys is not None:
        return f"Partial<Record<{ts_type(keys)}, {value}>>"
    return f"Record<string, {value}>"


def ts_type(schema: JsonSchema) -> str:
    """The TypeScript type expression of a JSON Schema, as pydantic generates them.

    Raises SchemaGenError on a construct it does not know, rather than widening to `unknown`.
    """
    if "$ref" in schema:
        return ref_name(schema["$ref"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return _union(ts_type(member) for member in schema[key])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return ts_type(schema["allOf"][0])
    if "const" in schema:
        return _literal(schema["const"])
    if "enum" in schema:
        return _union(_literal(value) for value in schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return _union(ts_type({**schema, "type": one}) for one in kind)
    fmt = schema.get("format")
    if kind == "string":
        if fmt == TIMESTAMP_FORMAT:
            return "FirestoreTimestamp"
        if fmt == DOCUMENT_PATH_FORMAT:
            return "FirestoreDocumentReference"
        return "string"
    if kind in ("integer", "number"):
        return "number"
    if kind in ("boolean", "null"):
        return str(kind)
    if kind == "object":
        if fmt == GEOPOINT_FORMAT:
            return "FirestoreGeoPoint"
        return _object_type(schema) if "properties" in schema else _map_type(schema)
    if kind == "array":
        if "prefixItems" in schema:
            return "[" + ", ".join(ts_type(item) for item in schema["prefixItems"]) + "]"
        items = schema.get("items")
        return f"{_element(ts_type(items))}[]" if isinstance(items, dict) else "unknown[]"
    if kind is None and set(schema) <= ANNOTATIONS | {WRITER_KEY}:
        return "unknown"
    raise SchemaGenError(f"no TypeScript mapping for the JSON Schema {json.dumps(schema)}")


def _wrap(line: str, width: int) -> list[str]:
    if len(line) <= width:
        return [line]
    hanging = "  " if line.startswith("- ") else ""
    return textwrap.wrap(
        line, width, subsequent_indent=hanging, break_long_words=False, break_on_hyphens=False
    )


def _jsdoc(paragraphs: Iterable[str], indent: str = "") -> list[str]:
    """A JSDoc comment of the non-empty paragraphs, wrapped to the line length."""
    width = _LINE - len(indent) - 3
    lines: list[str] = []
    for paragraph in paragraphs:
        if not paragraph:
            continue
        if lines:
            lines.append("")
        for line in paragraph.replace("*/", "*\\/").splitlines():
            lines.extend(_wrap(line, width))
    if not lines:
        return []
    if len(lines) == 1 and len(lines[0]) <= width - 4:
        return [f"{indent}/** {lines[0]} */"]
    body = [f"{indent} *{' ' + line if line else ''}" for line in lines]
    return [f"{indent}/**", *body, f"{indent} */"]


def _property_doc(schemas: SchemaSet, prop: JsonSchema) -> list[str]:
    notes: list[str] = []
    writer = prop.get(WRITER_KEY)
    if isinstance(writer, str):
        notes.append(f"Written by: {writer} ({WRITERS.get(writer, 'unknown writer')}).")
    withdrawal = prop.get(WITHDRAWAL_KEY)
    if isinstance(withdrawal, dict):
        notes.append(f"A client's withdrawal: `{withdrawal_text(withdrawal)}`.")
    limits = bounds(prop)
    if limits:
        notes.append(f"Bounds: {'; '.join(limits)}.")
    if "default" in prop:
        notes.append(f"Default: `{json.dumps(prop['default'], ensure_ascii=False)}`.")
    return [schemas.describe(prop), "\n".join(notes)]


def _interface(schemas: SchemaSet, name: str) -> list[str]:
    schema = schemas.defs[name]
    required = schemas.required(name)
    lines = [*_jsdoc([description(schema)]), f"export interface {name} {{"]
    for prop_name, prop in schema["properties"].items():
        optional = "" if prop_name in required else "?"
        lines.extend(_jsdoc(_property_doc(schemas, prop), indent="  "))
        lines.append(f"  {_key(prop_name)}{optional}: {ts_type(prop)};")
    lines.append("}")
    return lines


def _enum(name: str, schema: JsonSchema) -> list[str]:
    member_docs = schema.get(ENUM_DOCS_KEY, {})
    values = "\n".join(
        f"- {_literal(value)}: {member_docs[str(value)]}"
        for value in schema["enum"]
        if str(value) in member_docs
    )
    members = [f"  | {_literal(value)}" for value in schema["enum"]]
    members[-1] += ";"
    return [*_jsdoc([description(schema), values]), f"export type {name} =", *members]


def _declaration(schemas: SchemaSet, name: str) -> list[str]:
    schema = schemas.defs[name]
    if "properties" in schema and schema.get("format") != GEOPOINT_FORMAT:
        return _interface(schemas, name)
    if "enum" in schema:
        return _enum(name, schema)
    return [*_jsdoc([description(schema)]), f"export type {name} = {ts_type(schema)};"]


def _banner(title: str) -> list[str]:
    return ["", f"// {'-' * 4} {title} {'-' * max(4, _LINE - 9 - len(title))}", ""]


def _registry(schemas: SchemaSet) -> list[str]:
    collections = list(dict.fromkeys(document.collection for document in schemas.documents))
    lines = [
        "/**",
        ' * The top-level collections, by name (`Collections.users === "users"`). The value',
        " * is defined in mitche.js next to this file.",
        " */",
        "export declare const Collections: {",
        *(f"  readonly {_key(name)}: {_literal(name)};" for name in collections),
        "};",
        "",
        "/** The name of a top-level collection. */",
        "export type CollectionName = (typeof Collections)[keyof typeof Collections];",
        "",
        "/** The document type stored in each top-level collection. */",
        "export interface CollectionDocuments {",
    ]
    for document in schemas.documents:
        if not document.is_subcollection:
            model = schemas.document_defs[document.path]
            lines.append(f"  {_key(document.collection)}: {model};")
    lines += [
        "}",
        "",
        "/** The document type at each path template, subcollection documents included. */",
        "export interface DocumentShapes {",
    ]
    for document in schemas.documents:
        if document.is_subcollection:
            lines.extend(_jsdoc([document.why or ""], indent="  "))
        lines.append(f"  {json.dumps(document.path)}: {schemas.document_defs[document.path]};")
    lines.append("}")
    return lines


def render_typescript(schemas: SchemaSet) -> str:
    """The complete `mitche.d.ts`."""
    grouping = group_definitions(schemas)
    lines = [*_HEADER, "", *_FIRESTORE_TYPES.splitlines()]
    lines += _banner("Collections")
    lines += _registry(schemas)
    sections = [("Shared types", grouping.shared)] if grouping.shared else []
    sections += list(grouping.by_collection.items())
    for title, names in sections:
        lines += _banner(title)
        for index, name in enumerate(names):
            if index:
                lines.append("")
            lines += _declaration(schemas, name)
    return "\n".join(lines) + "\n"


def render_javascript(schemas: SchemaSet) -> str:
    """The complete `mitche.js`: the runtime value of `Collections`."""
    collections = list(dict.fromkeys(document.collection for document in schemas.documents))
    lines = [
        *_HEADER,
        "// Types: mitche.d.ts.",
        "",
        "/** The top-level collections, by name. */",
        "export const Collections = Object.freeze({",
        *(f"  {_key(name)}: {_literal(name)}," for name in collections),
        "});",
    ]
    return "\n".join(lines) + "\n"
