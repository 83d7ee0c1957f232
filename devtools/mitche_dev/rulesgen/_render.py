"""The generated section of firestore.rules: per client-writable document, the keys a client
may write and the checks of their values, then the helper functions those checks call."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from mitche.models import DEFAULT_LEVEL_BENEFITS, RateLimits, WrittenBy
from mitche.models.registry import CollectionSpec
from mitche_dev.rulesgen._invariants import HELPERS, INVARIANTS
from mitche_dev.rulesgen._literal import LINE_LENGTH, conjunction, quote, string_list
from mitche_dev.rulesgen._types import Checks, lower_first, parenthesized
from mitche_dev.schemagen import SchemaSet, build_schema_set

__all__ = ["COMMAND", "DocumentRules", "document_rules", "render_section"]

COMMAND: Final = "python -m mitche_dev.rulesgen"
_WRITER: Final = "x-writtenBy"
_CLIENT: Final = frozenset({WrittenBy.CLIENT.value, WrittenBy.CLIENT_CREATE.value})

JsonSchema = dict[str, Any]

HAND_WRITTEN_NAMED: Final = ("Emoji",)
"""Named types the hand-written rules check (a reaction's emoji key) that no generated check
calls: JSON Schema keeps only the length of a map key."""


@dataclass(frozen=True, slots=True)
class DocumentRules:
    """What the generator knows of one client-writable document shape."""

    path: str
    """Path template (`requests/{requestId}`)."""
    model: str
    """Model name (`HelpRequest`); the functions are named after it (`helpRequestFields`)."""
    all_keys: tuple[str, ...]
    """Every key the document may hold (the server's included)."""
    create_keys: tuple[str, ...]
    """Keys a client may write when creating the document (CLIENT and CLIENT_CREATE)."""
    update_keys: tuple[str, ...]
    """Keys a client may change afterwards (CLIENT)."""
    required_keys: tuple[str, ...]
    """Keys every document holds (no default)."""

    @property
    def creatable(self) -> bool:
        """Whether a client can create it: no required key is the server's."""
        return set(self.required_keys) <= set(self.create_keys)

    @property
    def prefix(self) -> str:
        """Stem of the document's function names."""
        return lower_first(self.model)


def document_rules(schemas: SchemaSet) -> list[DocumentRules]:
    """Every document shape with at least one client-written field, in document order."""
    found: list[DocumentRules] = []
    for document in schemas.documents:
        definition = schemas.document_def(document)
        properties: dict[str, JsonSchema] = definition["properties"]
        writers = {key: prop[_WRITER] for key, prop in properties.items()}
        create = tuple(key for key, writer in writers.items() if writer in _CLIENT)
        if not create:
            continue
        found.append(
            DocumentRules(
                path=document.path,
                model=schemas.document_defs[document.path],
                all_keys=tuple(properties),
                create_keys=create,
                update_keys=tuple(k for k, w in writers.items() if w == WrittenBy.CLIENT.value),
                required_keys=tuple(k for k in properties if k in definition.get("required", ())),
            )
        )
    return found


def _keys_function(name: str, keys: Iterable[str]) -> str:
    return f"function {name}() {{\n  return {string_list(keys, indent=2, start=9)};\n}}"


def _fields_function(checks: Checks, document: DocumentRules, definition: JsonSchema) -> str:
    properties: dict[str, JsonSchema] = definition["properties"]
    terms: list[str] = []
    for key in document.create_keys:
        access = f"v.{key}"
        context = f"{document.model}{key[:1].upper()}{key[1:]}"
        check, nullable = checks.non_null(properties[key], access, context=context)
        guard = f"!({quote(key)} in keys)"
        if nullable:
            terms.append(f"({guard} || {access} == null || {parenthesized(check)})")
        else:
            terms.append(f"({guard} || {parenthesized(check)})")
    return (
        "// The value of each key in `keys` (keys the document holds) is well formed.\n"
        f"function {document.prefix}Fields(v, keys) {{\n"
        f"  return {conjunction(terms, indent=2)};\n}}"
    )


def _document_section(checks: Checks, schemas: SchemaSet, document: DocumentRules) -> str:
    definition = schemas.defs[document.model]
    summary = str(definition.get("description", "")).strip().split("\n", 1)[0]
    title = f"// {document.path}: {document.model}."
    if len(title) + len(summary) < LINE_LENGTH and document.path not in summary:
        title += f" {summary}"
    parts = [title]
    if document.update_keys:
        parts.append(_keys_function(f"{document.prefix}Keys", document.all_keys))
    if document.creatable:
        parts.append(_keys_function(f"{document.prefix}CreateKeys", document.create_keys))
        parts.append(_keys_function(f"{document.prefix}RequiredKeys", document.required_keys))
    if document.update_keys:
        parts.append(_keys_function(f"{document.prefix}UpdateKeys", document.update_keys))
    parts.append(_fields_function(checks, document, definition))
    invariants = [
        parenthesized(invariant.rule)
        for model, rules in INVARIANTS.items()
        if model.__name__ == document.model
        for invariant in rules
    ]
    if invariants:
        parts.append(
            f"// The model's checks across fields ({document.model} validators).\n"
            f"function {document.prefix}Invariants(v) {{\n"
            f"  return {conjunction(invariants, indent=2)};\n}}"
        )
    return "\n".join(parts)


def _rate_limits() -> str:
    values = RateLimits().model_dump(by_alias=True)
    entries = [f"{quote(key)}: {value}" for key, value in values.items()]
    body = "".join(f"\n    {entry}," for entry in entries).rstrip(",") + "\n  "
    return (
        "// Minimum seconds between a member's creations when systemSettings/public sets none.\n"
        f"function defaultRateLimits() {{\n  return {{{body}}};\n}}"
    )


def _default_privileges() -> str:
    first = DEFAULT_LEVEL_BENEFITS[0]
    values = {
        "maxOpenRequests": str(first.max_open_requests),
        "canOrganizeEvents": str(first.can_organize_events).lower(),
        "mentorshipEligible": str(first.mentorship_eligible).lower(),
    }
    body = ",".join(f"\n    {quote(key)}: {value}" for key, value in values.items()) + "\n  "
    return (
        "// A member's privileges when neither their account nor systemSettings/public holds\n"
        "// any: the code default of the first level benefits row (level 1).\n"
        f"function defaultPrivileges() {{\n  return {{{body}}};\n}}"
    )


def render_section(specs: Iterable[CollectionSpec]) -> str:
    """The generated section's text (unindented, ending with a newline)."""
    schemas = build_schema_set(specs)
    invariants = {
        model.__name__: tuple(parenthesized(rule.rule) for rule in rules)
        for model, rules in INVARIANTS.items()
    }
    checks = Checks(schemas, invariants=invariants)
    documents = [
        _document_section(checks, schemas, document) for document in document_rules(schemas)
    ]
    for name in HAND_WRITTEN_NAMED:
        checks.named_scalar(name)
    checks.render_walkers()
    helpers = [checks.functions[name] for name in checks.functions]
    header = [
        f"// Generated by `{COMMAND}` from the pydantic models in functions/mitche/models.",
        "// Do not edit: change the models (or mitche_dev/rulesgen) and rerun the command.",
        "// Per client-writable document: the keys clients may write on create and update, the",
        "// keys every document holds, the checks of each key's value (types, sizes, enums,",
        "// patterns) and the models' cross-field checks; then the helpers they call.",
    ]
    sections = [
        "\n".join(header),
        *documents,
        *helpers,
        *HELPERS.values(),
        _rate_limits(),
        _default_privileges(),
    ]
    return "\n\n".join(sections) + "\n"
