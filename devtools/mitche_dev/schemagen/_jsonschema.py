"""One self-contained JSON Schema (draft 2020-12) file per stored document shape."""

from __future__ import annotations

import json
from typing import Final

from mitche_dev.schemagen._describe import GENERATED_NOTICE
from mitche_dev.schemagen._schemaset import JsonSchema, SchemaSet

__all__ = ["DRAFT", "json_schema_file_name", "render_json_schemas"]

DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"


def json_schema_file_name(stem: str) -> str:
    """File name of a document's schema under schema/json/."""
    return f"{stem}.schema.json"


def _document_schema(schemas: SchemaSet, path: str, why: str | None) -> JsonSchema:
    head: JsonSchema = {"$comment": GENERATED_NOTICE, "$schema": DRAFT, "x-firestorePath": path}
    if why is not None:
        head["x-why"] = why
    return {**head, **schemas.standalone[path]}


def render_json_schemas(schemas: SchemaSet) -> dict[str, str]:
    """Each document's schema file text, by file name, in document order.

    Keys under `properties` keep the model's field order; pydantic sorts everything else, so
    the text only changes when a model does.
    """
    return {
        json_schema_file_name(document.file_stem): json.dumps(
            _document_schema(schemas, document.path, document.why), indent=2, ensure_ascii=False
        )
        + "\n"
        for document in schemas.documents
    }
