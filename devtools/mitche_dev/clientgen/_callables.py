"""`src/callables.ts`: each callable of functions/main.py wrapped with its request type (from
the handler's request model), its response type and the error codes it can raise, mapped to one
typed error."""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel

from mitche.callables import CallableSpec, client_code, registry
from mitche_dev.clientgen._naming import HEADER, camel, doc_comment, literal
from mitche_dev.schemagen import SchemaSet, ts_type
from mitche_dev.schemagen._callables import callable_type_name, callable_types

__all__ = [
    "CALLABLES",
    "MATCHING_CALLABLES",
    "Callable",
    "callable_names",
    "deployed",
    "known_callables",
    "render_callables",
]


@dataclass(frozen=True, slots=True)
class Callable:
    """A callable as a client sees it."""

    name: str
    """The deployed function name (`set_member_role`)."""
    request_model: str
    """The handler's request model, as `module:Class` (imported when the file is generated)."""
    response: str
    """The TypeScript type of its result (the handler returns a plain dict)."""
    codes: tuple[str, ...]
    """The error codes it raises on purpose (any callable may also fail `internal`)."""

    @property
    def request(self) -> type[BaseModel]:
        """The request model class."""
        module, _, name = self.request_model.partition(":")
        found = getattr(importlib.import_module(module), name)
        if not (isinstance(found, type) and issubclass(found, BaseModel)):
            raise LookupError(f"{self.request_model} is not a pydantic model")
        return found


_CALLER_CODES: Final = ("unauthenticated", "permission-denied", "invalid-argument")

CALLABLES: Final = (
    Callable(
        "resolve_report",
        "mitche.handlers:ResolveRequest",
        "{ reportId: string; status: S.ReportStatus; action: S.ResolutionAction; "
        "strikeIssued: boolean; banProposed: boolean; suspendedUntil: string | null }",
        (*_CALLER_CODES, "not-found", "failed-precondition"),
    ),
    Callable(
        "set_member_role",
        "mitche.handlers:RoleRequest",
        "{ uid: string; role: S.Role; claims: Record<string, unknown> }",
        (*_CALLER_CODES, "not-found"),
    ),
    Callable(
        "review_content",
        "mitche.handlers:ContentReview",
        "{ path: string; status: S.ModerationState; reason: string | null }",
        (*_CALLER_CODES, "not-found"),
    ),
)
"""Every callable of functions/main.py; generation fails when main.py declares another."""

PRIVACY_CALLABLES: Final = (
    Callable(
        "request_data_export",
        "mitche.handlers._export:ExportRequest",
        "{ exportId: string; status: S.ExportStatus }",
        ("unauthenticated", "invalid-argument"),
    ),
    Callable(
        "delete_account",
        "mitche.handlers._erasure:ErasureRequest",
        "{ erasureId: string; phase: S.ErasurePhase }",
        ("unauthenticated", "invalid-argument", "failed-precondition"),
    ),
)
"""The privacy callables (the member's own data)."""


EVENT_CALLABLES: Final = (
    Callable(
        "decide_event",
        "mitche.handlers:EventDecision",
        "{ eventId: string; state: S.ApprovalState; note: string | null }",
        (*_CALLER_CODES, "not-found", "failed-precondition"),
    ),
    Callable(
        "check_in_at_event",
        "mitche.handlers:CheckIn",
        "{ eventId: string; attendance: S.AttendanceState; checkedInAt: string }",
        (*_CALLER_CODES, "not-found", "failed-precondition"),
    ),
)
"""The community-event callables (moderators decide; attendees check in)."""

MATCHING_CALLABLES: Final = (
    Callable(
        "suggested_helpers",
        "mitche.handlers:HelperSuggestionsRequest",
        "{ requestId: string; helpers: { alias: string; score: number; reasons: string[]; "
        "distanceKm: number | null }[] }",
        (*_CALLER_CODES, "failed-precondition"),
    ),
    Callable(
        "requests_to_help",
        "mitche.handlers:RequestSuggestionsRequest",
        "{ requests: { requestId: string; score: number; reasons: string[]; "
        "distanceKm: number | null }[] }",
        (*_CALLER_CODES, "failed-precondition"),
    ),
)
"""The matching callables (suggestions for a requester and for a helper)."""


def callable_names(main: Path) -> list[str]:
    """The functions main.py decorates with `https_fn.on_call`."""
    tree = ast.parse(main.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(target, ast.Attribute) and target.attr == "on_call":
                    names.append(node.name)
    return names


def _request_type(schemas: SchemaSet, model: type[BaseModel]) -> str:
    schema = model.model_json_schema(by_alias=True)
    required = set(schema.get("required", ()))
    members: list[str] = []
    for name, prop in schema["properties"].items():
        text = ts_type(prop)
        for ref in [part for part in text.replace("|", " ").split() if part[:1].isupper()]:
            if ref not in schemas.defs:
                raise LookupError(f"{model.__name__}.{name}: {ref} is not a schema type")
            text = text.replace(ref, f"S.{ref}")
        members.append(f"  {name}{'' if name in required else '?'}: {text};")
    return "{\n" + "\n".join(members) + "\n}"


_PRELUDE = """\
import type { MitcheClient } from './client.js';
import { call } from './calls.js';
import type * as S from './schema.js';
"""


def _from_spec(spec: CallableSpec[Any, Any]) -> Callable:
    return Callable(
        spec.name,
        f"{spec.request.__module__}:{spec.request.__qualname__}",
        f"{callable_type_name(spec.name)}Response",
        tuple(client_code(code) for code in spec.error_codes),
    )


def known_callables() -> list[Callable]:
    """Every callable clientgen knows: the registry's (mitche.callables), then the ones
    still only described in this module."""
    found = {spec.name: _from_spec(spec) for spec in registry().values()}
    for entry in CALLABLES:
        found.setdefault(entry.name, entry)
    return list(found.values())


def _registered_wrapper(schemas: SchemaSet, spec: CallableSpec[Any, Any]) -> str:
    function = camel(spec.name.split("_"))
    type_name = callable_type_name(spec.name)
    out = callable_types(schemas, spec)
    out += doc_comment(
        f"Call `{spec.name}`: {spec.summary} A refusal rejects with a "
        f"CallableError<{type_name}ErrorCode>."
    )
    out += (
        f"export function {function}(client: MitcheClient, request: {type_name}Request): "
        f"Promise<{type_name}Response> {{\n"
        f"  return call<{type_name}Request, {type_name}Response, {type_name}ErrorCode>"
        f"(client, {literal(spec.name)}, request);\n}}\n"
    )
    return out


def _wrapper(schemas: SchemaSet, entry: Callable) -> str:
    spec = registry().get(entry.name)
    if spec is not None:
        return _registered_wrapper(schemas, spec)
    function = camel(entry.name.split("_"))
    type_name = function[0].upper() + function[1:]
    out = doc_comment(f"The request of `{entry.name}`: {entry.request.__doc__ or ''}".strip())
    out += f"export interface {type_name}Request {_request_type(schemas, entry.request)}\n"
    out += doc_comment(f"What `{entry.name}` answers.")
    out += f"export type {type_name}Response = {entry.response};\n"
    out += doc_comment(f"The codes `{entry.name}` refuses with.")
    out += (
        f"export type {type_name}ErrorCode = {' | '.join(literal(code) for code in entry.codes)};\n"
    )
    out += doc_comment(
        f"Call `{entry.name}`; a refusal rejects with a CallableError<{type_name}ErrorCode>."
    )
    out += (
        f"export function {function}(client: MitcheClient, request: {type_name}Request): "
        f"Promise<{type_name}Response> {{\n"
        f"  return call<{type_name}Request, {type_name}Response, {type_name}ErrorCode>"
        f"(client, {literal(entry.name)}, request);\n}}\n"
    )
    return out


def deployed(main: Path) -> list[Callable]:
    """The CALLABLES main.py declares; LookupError when it declares one clientgen lacks."""
    declared = callable_names(main)
    known = {
        entry.name: entry
        for entry in (*CALLABLES, *EVENT_CALLABLES, *PRIVACY_CALLABLES, *MATCHING_CALLABLES)
    }
    known.update({spec.name: _from_spec(spec) for spec in registry().values()})
    unknown = sorted(set(declared) - set(known))
    if unknown:
        raise LookupError(
            f"functions/main.py declares the callables {unknown}, which clientgen does not "
            "know: declare each in the callable registry (mitche.callables)"
        )
    return [entry for name, entry in known.items() if name in declared]


def render_callables(schemas: SchemaSet, main: Path) -> str:
    """The complete `src/callables.ts`."""
    entries = deployed(main)
    return HEADER + _PRELUDE + "\n" + "\n".join(_wrapper(schemas, entry) for entry in entries)
