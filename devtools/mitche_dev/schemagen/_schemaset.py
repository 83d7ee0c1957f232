"""JSON Schema of every document shape, as pydantic generates it, plus the few additions the
renderers need: enum member descriptions and checks that the result is complete.

The TypeScript and Markdown renderers read one shared set of definitions (`$defs` over all
documents) so that a nested map used by several collections is declared once; the JSON Schema
files are generated per document and are self-contained.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import re
import textwrap
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from functools import partial
from typing import Any, Final, TypeVar

from pydantic.json_schema import (
    GenerateJsonSchema,
    JsonSchemaValue,
    PydanticJsonSchemaWarning,
    models_json_schema,
)
from pydantic_core import core_schema

from mitche.models.registry import CollectionSpec
from mitche_dev.schemagen._documents import Document, SchemaGenError, documents

__all__ = [
    "WITHDRAWAL_KEY",
    "WRITER_KEY",
    "JsonSchema",
    "SchemaSet",
    "build_schema_set",
    "enum_member_docs",
    "ref_name",
    "withdrawal_text",
]

JsonSchema = dict[str, Any]

WRITER_KEY: Final = "x-writtenBy"
"""Where a top-level property states who writes it (set by the models' writer markers)."""
WITHDRAWAL_KEY: Final = "x-withdrawal"
"""Where a `client-withdraw` property gives the one value a client may write to it."""
ENUM_DOCS_KEY: Final = "x-enumDescriptions"
"""Where an enum's schema carries its members' docstrings, by value."""

_REQUEST_TIME: Final = "serverTimestamp()"


def withdrawal_text(withdrawal: dict[str, str]) -> str:
    """A withdrawal as the flows table and the docs write it: `{state: 'pending', submittedAt:
    serverTimestamp()}` (fixed strings quoted, the server's time as the SDK's sentinel)."""
    entries = (
        f"{key}: {value if value == _REQUEST_TIME else repr(value)}"
        for key, value in withdrawal.items()
    )
    return "{" + ", ".join(entries) + "}"


_REF_PREFIX: Final = "#/$defs/"
_DEF_NAME: Final = re.compile(r"^[A-Z][A-Za-z0-9]*$")


def enum_member_docs(enum_type: type[Enum]) -> dict[str, str]:
    """The attribute docstrings of an enum's members, by member name.

    Python keeps no runtime trace of a docstring written under an enum member, so it is read
    from the class source, as pydantic does for model fields; a class without source has none.
    """
    try:
        source = textwrap.dedent(inspect.getsource(enum_type))
    except (OSError, TypeError):
        return {}
    tree = ast.parse(source)
    class_def = next(node for node in tree.body if isinstance(node, ast.ClassDef))
    docs: dict[str, str] = {}
    body = class_def.body
    for statement, following in itertools.pairwise(body):
        if not (
            isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            continue
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
        elif isinstance(statement, ast.AnnAssign):
            target = statement.target
        else:
            continue
        if isinstance(target, ast.Name):
            docs[target.id] = inspect.cleandoc(following.value.value)
    return docs


class _Generator(GenerateJsonSchema):
    """pydantic's generator, with enum member docstrings kept next to the values and without
    the titles it derives from field names ("Createdat"), which say less than the key."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def enum_schema(self, schema: core_schema.EnumSchema) -> JsonSchemaValue:
        result = super().enum_schema(schema)
        docs = enum_member_docs(schema["cls"])
        described = {
            str(member.value): docs[member.name]
            for member in schema["members"]
            if member.name in docs
        }
        if described:
            result[ENUM_DOCS_KEY] = described
        return result


def ref_name(ref: str) -> str:
    """The definition a local `$ref` points at."""
    if not ref.startswith(_REF_PREFIX):
        raise SchemaGenError(f"unexpected $ref {ref!r}: only {_REF_PREFIX}<name> is generated")
    return ref.removeprefix(_REF_PREFIX)


_T = TypeVar("_T")


def _checked(label: str, generate: Callable[[], _T]) -> _T:
    """Run a pydantic schema generation, turning its warnings (lost defaults) into errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", PydanticJsonSchemaWarning)
        try:
            return generate()
        except PydanticJsonSchemaWarning as exc:
            raise SchemaGenError(f"{label}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class SchemaSet:
    """Everything the renderers need: the documents, their schemas and shared definitions."""

    documents: tuple[Document, ...]
    defs: Mapping[str, JsonSchema]
    """Definitions over all documents, by name (document models included)."""
    document_defs: Mapping[str, str]
    """Name of each document's definition, by path template."""
    standalone: Mapping[str, JsonSchema]
    """Each document's self-contained JSON Schema, by path template."""
    tags: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Discriminator properties of the definitions that are members of a tagged union: pydantic
    lists them as optional when they have a default, yet validation requires them."""

    def describe(self, prop: JsonSchema) -> str:
        """A property's description; for a reference without one, the referenced type's.

        pydantic drops a field's description next to a `$ref` when it equals the referenced
        model's docstring, so the field's own words live on the definition.
        """
        for schema in (prop, self.resolve(prop)):
            text = schema.get("description")
            if isinstance(text, str) and text.strip():
                return text.strip()
        return ""

    def required(self, name: str) -> set[str]:
        """The properties a value of a definition always carries."""
        return {*self.defs[name].get("required", ()), *self.tags.get(name, ())}

    def resolve(self, schema: JsonSchema) -> JsonSchema:
        """The definition a `{"$ref": ...}` schema points at, or the schema itself."""
        ref = schema.get("$ref")
        return self.defs[ref_name(ref)] if isinstance(ref, str) else schema

    def document_def(self, document: Document) -> JsonSchema:
        """The shared definition of a document's model."""
        return self.defs[self.document_defs[document.path]]


def _object_variants(schema: JsonSchema, defs: Mapping[str, JsonSchema]) -> list[JsonSchema]:
    """The object schemas a stored document can take: itself, or each member of its union."""
    if "properties" in schema:
        return [schema]
    members = schema.get("oneOf", schema.get("anyOf"))
    if isinstance(members, list):
        variants: list[JsonSchema] = []
        for member in members:
            resolved = defs[ref_name(member["$ref"])] if "$ref" in member else member
            variants.extend(_object_variants(resolved, defs))
        return variants
    raise SchemaGenError(f"{schema.get('title')}: a stored document must be an object or a union")


def _walk(schema: Any) -> Iterator[JsonSchema]:
    if isinstance(schema, dict):
        yield schema
        for value in schema.values():
            yield from _walk(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _walk(item)


def _union_tags(defs: Mapping[str, JsonSchema]) -> dict[str, frozenset[str]]:
    """Each definition's discriminator properties, from the tagged unions it is a member of."""
    tags: dict[str, set[str]] = {}
    for node in _walk(dict(defs)):
        discriminator = node.get("discriminator")
        if not isinstance(discriminator, dict):
            continue
        members: list[JsonSchema] = node.get("oneOf") or node.get("anyOf") or []
        for member in members:
            if "$ref" in member:
                name = ref_name(member["$ref"])
                tags.setdefault(name, set()).add(discriminator["propertyName"])
    return {name: frozenset(found) for name, found in tags.items()}


def _check_writers(document: Document, schema: JsonSchema, defs: Mapping[str, JsonSchema]) -> None:
    missing = [
        f"{variant.get('title')}.{name}"
        for variant in _object_variants(schema, defs)
        for name, prop in variant["properties"].items()
        if WRITER_KEY not in prop
    ]
    if missing:
        raise SchemaGenError(
            f"{document.path}: top-level fields without a writer marker (CLIENT, CLIENT_CREATE "
            f"or SERVER): {', '.join(missing)}"
        )


def _check_def_names(defs: Mapping[str, JsonSchema]) -> None:
    bad = sorted(name for name in defs if not _DEF_NAME.match(name))
    if bad:
        raise SchemaGenError(
            "type names must be unique PascalCase identifiers across all models (TypeScript "
            f"declares them in one module); rename the types pydantic had to qualify: {bad}"
        )


def build_schema_set(specs: Iterable[CollectionSpec]) -> SchemaSet:
    """Generate the schemas of every document of the given collections."""
    shapes = documents(specs)
    if not shapes:
        raise SchemaGenError("no collection to generate a schema for")
    models = list(dict.fromkeys(document.model for document in shapes))
    refs, top = _checked(
        ", ".join(model.__name__ for model in models),
        lambda: models_json_schema(
            [(model, "validation") for model in models], by_alias=True, schema_generator=_Generator
        ),
    )
    defs: dict[str, JsonSchema] = top.get("$defs", {})
    _check_def_names(defs)
    by_model = {model: ref_name(refs[(model, "validation")]["$ref"]) for model in models}
    standalone: dict[str, JsonSchema] = {}
    for document in shapes:
        _check_writers(document, defs[by_model[document.model]], defs)
        model = document.model
        standalone[document.path] = _checked(
            model.__name__,
            partial(
                model.model_json_schema,
                by_alias=True,
                mode="validation",
                schema_generator=_Generator,
            ),
        )
    return SchemaSet(
        documents=shapes,
        defs=defs,
        document_defs={document.path: by_model[document.model] for document in shapes},
        standalone=standalone,
        tags=_union_tags(defs),
    )
