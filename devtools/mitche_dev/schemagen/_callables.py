"""The callables' contracts, from the registry (`mitche.callables.registry()`): a JSON Schema
for each request and response (`schema/callables/{name}.{request,response}.schema.json`) and
TypeScript declarations (`schema/callables.d.ts`). clientgen's `callables.ts` declares its
types with the same `callable_types`, so the contract and the client never diverge."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

from pydantic import BaseModel

from mitche.callables import CallableSpec, client_code, registry
from mitche_dev.schemagen._describe import GENERATED_LINES
from mitche_dev.schemagen._documents import SchemaGenError
from mitche_dev.schemagen._schemaset import SchemaSet
from mitche_dev.schemagen._typescript import ts_type

__all__ = [
    "CALLABLES_DIR",
    "callable_type_name",
    "callable_types",
    "object_type",
    "render_callable_declarations",
    "render_callable_schemas",
]

CALLABLES_DIR: Final = "schema/callables"


_TYPE_NAME: Final = re.compile(r"\b[A-Z][A-Za-z0-9_]*\b")
_BUILT_IN: Final = frozenset({"Record", "Array", "Readonly", "Partial"})
"""TypeScript's own generic types, never schema types."""
_ON_THE_WIRE: Final = {"FirestoreTimestamp": "string", "FirestoreDocumentPath": "string"}
"""Firestore types as a callable's JSON carries them (ISO 8601 times, paths as text)."""


def callable_type_name(name: str) -> str:
    """`adjust_hope_points` → `AdjustHopePoints` (the prefix of its TypeScript types)."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def object_type(schemas: SchemaSet, model: type[BaseModel], prefix: str = "S.") -> str:
    """The TypeScript object type of a request or response model; named schema types are
    referenced from the models' declarations (`S.Role`)."""
    schema = model.model_json_schema(by_alias=True)
    required = set(schema.get("required", ()))
    members: list[str] = []
    for name, prop in schema.get("properties", {}).items():
        text = ts_type(prop)
        for firestore_type, wire in _ON_THE_WIRE.items():
            text = text.replace(firestore_type, wire)
        for ref in sorted(set(_TYPE_NAME.findall(text)) - _BUILT_IN):
            if ref not in schemas.defs:
                raise SchemaGenError(f"{model.__name__}.{name}: {ref} is not a schema type")
            text = re.sub(rf"\b{ref}\b", f"{prefix}{ref}", text)
        members.append(f"  {name}{'' if name in required else '?'}: {text};")
    return "{\n" + "\n".join(members) + "\n}"


def _doc(text: str) -> str:
    return "/** " + " ".join(text.split()) + " */\n"


def callable_types(schemas: SchemaSet, spec: CallableSpec[Any, Any], prefix: str = "S.") -> str:
    """`{Name}Request`, `{Name}Response` and `{Name}ErrorCode` of one callable."""
    name = callable_type_name(spec.name)
    codes = " | ".join(json.dumps(client_code(code)) for code in spec.error_codes)
    roles = ", ".join(sorted(role.value for role in spec.roles))
    return (
        _doc(f"The request of `{spec.name}` ({roles}): {spec.request.__doc__ or ''}".strip())
        + f"export interface {name}Request {object_type(schemas, spec.request, prefix)}\n"
        + _doc(f"What `{spec.name}` answers: {spec.response.__doc__ or ''}".strip())
        + f"export interface {name}Response {object_type(schemas, spec.response, prefix)}\n"
        + _doc(f"The codes `{spec.name}` refuses with (any call may also fail `internal`).")
        + f"export type {name}ErrorCode = {codes};\n"
    )


def render_callable_declarations(
    schemas: SchemaSet, specs: Iterable[CallableSpec[Any, Any]]
) -> str:
    """`schema/callables.d.ts`: every callable's request, response and error codes."""
    header = "".join(f"// {line}\n" for line in GENERATED_LINES)
    body = "\n".join(callable_types(schemas, spec) for spec in specs)
    return f"{header}\nimport type * as S from './mitche';\n\n{body}"


def render_callable_schemas(specs: Iterable[CallableSpec[Any, Any]]) -> dict[str, str]:
    """`{name}.request.schema.json` and `{name}.response.schema.json` of every callable."""
    files: dict[str, str] = {}
    for spec in specs:
        for part, model in (("request", spec.request), ("response", spec.response)):
            schema: Mapping[str, Any] = {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "$id": f"mitche:callables/{spec.name}.{part}",
                "title": f"{spec.name} {part}",
                **model.model_json_schema(by_alias=True),
            }
            files[f"{CALLABLES_DIR}/{spec.name}.{part}.schema.json"] = (
                json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
            )
    return files


def registered() -> list[CallableSpec[Any, Any]]:
    """The registry's callables, by name."""
    return list(registry().values())
