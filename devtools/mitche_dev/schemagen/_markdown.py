"""The Markdown reference (`schema/README.md`): one table per stored document, the nested
maps and enums they use, and the list of collection and subcollection paths."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Final

from mitche_dev.schemagen._describe import (
    COMMAND,
    DOCUMENT_PATH_FORMAT,
    GENERATED_NOTICE,
    GEOPOINT_FORMAT,
    TIMESTAMP_FORMAT,
    WRITERS,
    bounds,
    description,
    map_keys,
    map_values,
)
from mitche_dev.schemagen._documents import Document, SchemaGenError
from mitche_dev.schemagen._jsonschema import json_schema_file_name
from mitche_dev.schemagen._schemaset import (
    ENUM_DOCS_KEY,
    WITHDRAWAL_KEY,
    WRITER_KEY,
    JsonSchema,
    SchemaSet,
    ref_name,
    withdrawal_text,
)

__all__ = ["github_slug", "render_markdown"]

_DEFAULT_SHOWN: Final = 40
"""Longest default value (as JSON) printed in the `required` column."""


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lowercase, punctuation dropped, spaces to dashes."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _prose(text: str) -> str:
    """Docstring text as one table cell: lines joined, paragraphs kept apart."""
    paragraphs = [" ".join(block.split()) for block in re.split(r"\n\s*\n", text.strip())]
    return "<br><br>".join(paragraph for paragraph in paragraphs if paragraph)


class _Writer:
    """Renders the reference, knowing where each definition is described."""

    def __init__(self, schemas: SchemaSet) -> None:
        self.schemas = schemas
        self.anchors: dict[str, str] = {}
        self.document_names = set(schemas.document_defs.values())
        for document in schemas.documents:
            name = schemas.document_defs[document.path]
            self.anchors.setdefault(name, github_slug(self._document_heading(document)))
        for name in self._other_defs():
            self.anchors[name] = github_slug(self._def_heading(name))
        slugs = list(self.anchors.values())
        if len(set(slugs)) != len(slugs):
            raise SchemaGenError(f"two reference sections would share an anchor: {slugs}")

    def _other_defs(self) -> list[str]:
        return sorted(name for name in self.schemas.defs if name not in self.document_names)

    @staticmethod
    def _document_heading(document: Document) -> str:
        if not document.is_subcollection:
            return f"Collection `{document.collection}`"
        if document.path.count("/") == 1:
            return f"Document `{document.path}`"
        return f"Subcollection `{document.path}`"

    def _def_heading(self, name: str) -> str:
        kind = "enum" if "enum" in self.schemas.defs[name] else "map"
        if "properties" not in self.schemas.defs[name] and kind == "map":
            kind = "type"
        return f"`{name}` ({kind})"

    def link(self, name: str) -> str:
        return f"[{name}](#{self.anchors[name]})"

    def md_type(self, schema: JsonSchema) -> str:
        """A field's type in words, with links to the maps and enums it uses."""
        if "$ref" in schema:
            return self.link(ref_name(schema["$ref"]))
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return " or ".join(dict.fromkeys(self.md_type(member) for member in schema[key]))
        if "allOf" in schema and len(schema["allOf"]) == 1:
            return self.md_type(schema["allOf"][0])
        if "const" in schema:
            return f"`{json.dumps(schema['const'])}`"
        if "enum" in schema:
            return "one of " + ", ".join(f"`{json.dumps(value)}`" for value in schema["enum"])
        kind = schema.get("type")
        fmt = str(schema.get("format", ""))
        if isinstance(kind, list):
            return " or ".join(self.md_type({**schema, "type": one}) for one in kind)
        if kind == "string":
            return {TIMESTAMP_FORMAT: "timestamp", DOCUMENT_PATH_FORMAT: "reference"}.get(
                fmt, "string"
            )
        if kind in ("integer", "number", "boolean", "null"):
            return str(kind)
        if kind == "object":
            return self._object_type(schema)
        if kind == "array":
            if "prefixItems" in schema:
                return "list (" + ", ".join(self.md_type(i) for i in schema["prefixItems"]) + ")"
            items = schema.get("items")
            if not isinstance(items, dict):
                return "list"
            item = self.md_type(items)
            return f"list of ({item})" if " or " in item else f"list of {item}"
        if kind is None and not ({"properties", "items", "format"} & set(schema)):
            return "any"
        raise SchemaGenError(f"no Markdown wording for the JSON Schema {json.dumps(schema)}")

    def _object_type(self, schema: JsonSchema) -> str:
        if schema.get("format") == GEOPOINT_FORMAT:
            return "geopoint"
        if "properties" in schema:
            fields = ", ".join(f"`{name}`" for name in schema["properties"])
            return f"map with {fields}"
        values = map_values(schema)
        value = " or ".join(dict.fromkeys(map(self.md_type, values))) if values else "any"
        keys = map_keys(schema)
        key = "string" if keys is None else self.md_type(keys)
        return f"map of {key} to {value}"

    def _type_cell(self, prop: JsonSchema) -> str:
        return "<br>".join([self.md_type(prop), *bounds(prop)])

    @staticmethod
    def _required_cell(name: str, prop: JsonSchema, required: set[str]) -> str:
        if name in required:
            return "yes"
        if "default" not in prop:
            return "no"
        default = json.dumps(prop["default"], ensure_ascii=False)
        return f"no, default `{default}`" if len(default) <= _DEFAULT_SHOWN else "no, has default"

    def table(self, name: str) -> list[str]:
        """A field table; with a `written by` column when the fields declare writers."""
        properties: dict[str, JsonSchema] = self.schemas.defs[name].get("properties", {})
        required = self.schemas.required(name)
        with_writer = any(WRITER_KEY in prop for prop in properties.values())
        header = ["field", "type", "required", *(["written by"] if with_writer else []), "about"]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for name, prop in properties.items():
            cells = [f"`{name}`", self._type_cell(prop), self._required_cell(name, prop, required)]
            if with_writer:
                writer = f"{prop.get(WRITER_KEY, '—')}"
                if isinstance(withdrawal := prop.get(WITHDRAWAL_KEY), dict):
                    writer += f" (`{withdrawal_text(withdrawal)}`)"
                cells.append(writer)
            cells.append(_prose(self.schemas.describe(prop)))
            lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
        return lines

    def _intro(self, name: str) -> list[str]:
        text = description(self.schemas.defs[name])
        return [text, ""] if text else []

    def _content(self, name: str) -> list[str]:
        schema = self.schemas.defs[name]
        if "properties" in schema and schema.get("format") != GEOPOINT_FORMAT:
            return self.table(name)
        if "enum" in schema:
            docs = schema.get(ENUM_DOCS_KEY, {})
            if not docs:
                values = ", ".join(f"`{json.dumps(value)}`" for value in schema["enum"])
                return [f"Values: {values}."]
            rows = [
                f"| `{_cell(json.dumps(value))}` | {_cell(_prose(docs.get(str(value), '')))} |"
                for value in schema["enum"]
            ]
            return ["| value | meaning |", "|---|---|", *rows]
        return [f"One of: {self.md_type(schema)}."]

    def document_section(self, document: Document) -> list[str]:
        name = self.schemas.document_defs[document.path]
        level = "###" if document.is_subcollection else "##"
        lines = [f"{level} {self._document_heading(document)}", ""]
        if document.why:
            lines += [f"**Kept apart because:** {_prose(document.why)}", ""]
        schema_file = f"json/{json_schema_file_name(document.file_stem)}"
        where = (
            f"Path `{document.path}` · type `{name}` · JSON Schema [{schema_file}]({schema_file})"
        )
        return [*lines, *self._intro(name), where, "", *self._content(name), ""]

    def paths_table(self) -> list[str]:
        lines = ["| path | type | why a separate document |", "|---|---|---|"]
        for document in self.schemas.documents:
            name = self.schemas.document_defs[document.path]
            why = _prose(document.why) if document.why else "top-level collection"
            lines.append(f"| `{document.path}` | {self.link(name)} | {_cell(why)} |")
        return lines

    def render(self) -> str:
        lines = [
            f"<!-- {GENERATED_NOTICE} -->",
            "",
            "# Mitché data model reference",
            "",
            f"Every stored document, field by field, generated by `{COMMAND}` from the pydantic",
            "models. Field names are as stored (camelCase); `json/` holds one JSON Schema per",
            "document and `mitche.d.ts` the TypeScript types for the client apps.",
            "",
            "**Written by** says who may write each top-level field (firestore.rules enforces it):",
            "",
            *_bullets(f"`{writer}`: {meaning}" for writer, meaning in WRITERS.items()),
            "",
            "Fields of a nested map are written by whoever writes the top-level field holding it.",
            "",
            "## Documents and paths",
            "",
            *self.paths_table(),
            "",
        ]
        for document in self.schemas.documents:
            lines += self.document_section(document)
        lines += ["## Nested maps, enums and other types", ""]
        for name in self._other_defs():
            heading = f"### {self._def_heading(name)}"
            lines += [heading, "", *self._intro(name), *self._content(name), ""]
        return "\n".join(lines).rstrip("\n") + "\n"


def _bullets(items: Iterable[str]) -> list[str]:
    return [f"- {item}" for item in items]


def render_markdown(schemas: SchemaSet) -> str:
    """The complete `README.md` reference."""
    return _Writer(schemas).render()
