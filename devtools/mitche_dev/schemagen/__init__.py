"""Generates schema/ from the pydantic models: a JSON Schema per stored document, TypeScript
declarations for the client apps and a Markdown reference. Run `python -m mitche_dev.schemagen`
to write the files, `--check` to verify them."""

from __future__ import annotations

from mitche_dev.schemagen._documents import Document, SchemaGenError, documents
from mitche_dev.schemagen._files import SCHEMA_DIR, Staleness, find_stale, generate, write
from mitche_dev.schemagen._jsonschema import render_json_schemas
from mitche_dev.schemagen._markdown import render_markdown
from mitche_dev.schemagen._schemaset import SchemaSet, build_schema_set, enum_member_docs
from mitche_dev.schemagen._typescript import render_javascript, render_typescript, ts_type

__all__ = [
    "SCHEMA_DIR",
    "Document",
    "SchemaGenError",
    "SchemaSet",
    "Staleness",
    "build_schema_set",
    "documents",
    "enum_member_docs",
    "find_stale",
    "generate",
    "render_javascript",
    "render_json_schemas",
    "render_markdown",
    "render_typescript",
    "ts_type",
    "write",
]
