"""`src/flows.ts`: each step of mitche.flows as one function that makes the step's writes in
one batch, with the values the rules expect filled in (the signed-in uid, `serverTimestamp()`,
fixed statuses, the rate-limit stamp on the member's private account) and the member's own
choices as typed, validated input."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from mitche.flows import FLOWS, Field, Flow, Write
from mitche_dev.clientgen._collections import DocumentWrites, pascal_name, withdrawal_expression
from mitche_dev.clientgen._naming import HEADER, doc_comment, literal, path_wildcards

__all__ = ["render_flows"]

_NOW: Final = "serverTimestamp()"
_QUOTED: Final = re.compile(r"^'([^']*)'$")
_DEFAULTED: Final = re.compile(r"^'([^']*)' \(")
_STAMP: Final = re.compile(r"^\{at: serverTimestamp\(\), path: '([^']+)'\}$")
_WILDCARD: Final = re.compile(r"\{([A-Za-z0-9]+)\}")

_STRUCTURED: Final = {
    ("readConversation", "participantState"): (
        "[`participantState.${uid}`]: "
        "{ joinedAt: serverTimestamp(), lastReadAt: serverTimestamp() }",
        None,
    ),
    ("confirmAndRate", "requesterFeedback"): (
        "...(input.feedback === undefined ? {} : { requesterFeedback: { ...input.feedback, "
        "authorId: uid, createdAt: serverTimestamp() } })",
        ("feedback", "{ rating: number; comment?: string }", True),
    ),
    ("changeAlias", "profile"): (
        '"profile.anonymousAlias": input.alias',
        ("alias", "string", False, "the new alias"),
    ),
    ("markFulfilled", "completion"): (
        "completion: { ...input.completion, completedAt: serverTimestamp() }",
        ("completion", "{ fulfilledBy: string[]; note?: string }", False),
    ),
}
"""Fields whose value the flows table describes in words: the expression the step writes, and
the input the member gives for it (name, type, optional)."""


@dataclass(frozen=True, slots=True)
class _Input:
    name: str
    type: str
    optional: bool
    doc: str = ""


def _field_value(
    flow: Flow, write: Write, field: Field, shape: DocumentWrites
) -> tuple[str, _Input | None]:
    """The TypeScript property written for one field, and the input it takes from the member."""
    key = field.name
    model = shape.model
    if key in shape.withdrawals:
        return f"{key}: {withdrawal_expression(shape.withdrawals[key])}", None
    structured = _STRUCTURED.get((flow.name, key))
    if structured:
        expression, given = structured
        return expression, _Input(*given) if given else None
    value = field.value
    if value == _NOW:
        return f"{key}: serverTimestamp()", None
    if match := _STAMP.match(value):
        path = _WILDCARD.sub(r"${\1}", match.group(1))
        return f"{key}: {{ at: serverTimestamp(), path: `{path}` }}", None
    if value == "uid" or value.startswith("uid ("):
        return f"{key}: uid", None
    if value == "the document id":
        return f"{key}: {path_wildcards(write.path)[-1]}", None
    if match := _QUOTED.match(value):
        return f"{key}: {literal(match.group(1))}", None
    if value.startswith("null"):
        return f"{key}: null", None
    field_type = f"FieldOf<S.{model}, {literal(key)}>"
    if value.startswith("reference to"):
        field_type = "string | DocumentReference<any, any>"
        expression = f"asReference(client, input.{key})"
    else:
        expression = f"input.{key}"
    if match := _DEFAULTED.match(value):
        field_type = f"Writable<{field_type}>"
        return f"{key}: input.{key} ?? {literal(match.group(1))}", _Input(
            key, field_type, True, value
        )
    if not value.startswith("reference to"):
        field_type = f"Writable<{field_type}>"
    if field.optional:
        return (
            f"...(input.{key} === undefined ? {{}} : {{ {key}: {expression} }})",
            _Input(key, field_type, True, value),
        )
    return f"{key}: {expression}", _Input(key, field_type, False, value)


_CHOSEN_FIRST = (
    "the new document's id, when the app chose it first (`doc(collection(db, ...)).id`) to "
    "upload its files below it; a fresh id otherwise"
)


def _derivations(flow: Flow) -> tuple[list[str], str]:
    """The wildcards every write of `flow` derives, and the statements computing them (first
    of all, since a write may be left out on a comparison of two of them)."""
    names: list[str] = []
    body = ""
    for batch in flow.batches:
        for write in batch:
            for item in write.derived:
                if item.wildcard in names:
                    continue
                names.append(item.wildcard)
                args = ", ".join(
                    "uid" if arg == "uid" else f"input.{arg}" for arg in item.arguments
                )
                body += f"  const {item.wildcard} = await D.{item.function}({args});\n"
    return names, body


def _derived_inputs(flow: Flow, inputs: dict[str, _Input]) -> None:
    """Add the inputs a derivation reads that no field gives (the alias a member held)."""
    for batch in flow.batches:
        for write in batch:
            for item in write.derived:
                for arg in item.arguments:
                    root = arg.split(".")[0]
                    if arg != "uid" and root not in inputs:
                        doc = f"what {item.function}() derives `{{{item.wildcard}}}` from"
                        inputs[root] = _Input(root, "string", False, doc)


def _flow(flow: Flow, shapes: dict[str, DocumentWrites]) -> str:
    inputs: dict[str, _Input] = {}
    ids: list[str] = []
    created, computed = _derivations(flow)
    body = "  const uid = requireUid(client);\n  const batch = writeBatch(client.db);\n"
    body += computed
    for batch in flow.batches:
        for write in batch:
            shape = shapes[_template(write.path)]
            wildcards = path_wildcards(write.path)
            fresh = ""
            statements = ""
            for name in wildcards:
                if name == "uid" or name in ids or name in created:
                    continue
                named = any(field.value == "the document id" for field in write.fields)
                last = write.path.endswith(f"{{{name}}}")
                if write.operation == "create" and last and not named:
                    created.append(name)
                    fresh = name
                    continue
                ids.append(name)
                inputs[name] = _Input(name, "string", False, "the document id")
                body += f"  const {name} = input.{name};\n"
            args = ", ".join(name for name in wildcards)
            ref_name = f"ref{pascal_name(shape.name)}"
            if fresh:
                segments = write.path.rsplit("/", 1)[0].split("/")
                parent = ", ".join(
                    part[1:-1] if part.startswith("{") else literal(part) for part in segments
                )
                generated = f"doc(collection(client.db, {parent})).id"
                if write.id_chosen_first:
                    inputs[fresh] = _Input(fresh, "string", True, _CHOSEN_FIRST)
                    generated = f"input.{fresh} ?? {generated}"
                body += f"  const {fresh} = {generated};\n"
            statements += f"  const {ref_name} = {shape.name}.doc(client.db, {args});\n"
            properties: list[str] = []
            for field in write.fields:
                expression, given = _field_value(flow, write, field, shape)
                properties.append(expression)
                if given:
                    inputs[given.name] = given
            data = "{\n" + "".join(f"    {p},\n" for p in properties) + "  }"
            if write.operation == "update":
                statements += f"  update(batch, {shape.name}, {ref_name}, {data});\n"
            elif write.operation == "delete":
                statements += f"  batch.delete({ref_name});\n"
            else:
                merge = ", { merge: true }" if write.operation == "set-merge" else ""
                statements += f"  create(batch, {shape.name}, {ref_name}, {data}{merge});\n"
            if write.unless:
                first, second = write.unless.wildcard, write.unless.equals
                indented = "".join(f"  {line}\n" for line in statements.splitlines())
                statements = f"  if ({first} && {first} !== {second}) {{\n{indented}  }}\n"
            body += statements
    _derived_inputs(flow, inputs)
    body += "  await batch.commit();\n"
    result = "{ " + ", ".join(created) + " }" if created else "{}"
    body += f"  return {result};\n"
    input_type = (
        "{\n"
        + "".join(
            (doc_comment(item.doc, "  ") if item.doc else "")
            + f"  {item.name}{'?' if item.optional else ''}: {item.type};\n"
            for item in inputs.values()
        )
        + "}"
    )
    result_type = "{ " + "".join(f"{name}: string; " for name in created) + "}"
    name = pascal_name(flow.name)
    notes = f"{flow.story}\n\nWho: {flow.who}. One batch: " + "; ".join(
        f"{write.operation} `{write.path}`" for batch in flow.batches for write in batch
    )
    derivations = [
        f"`{{{item.wildcard}}}` is {item.function}({', '.join(item.arguments)})"
        for batch in flow.batches
        for write in batch
        for item in write.derived
    ]
    derivations += [
        f"the {write.operation} of `{write.path}` only when `{{{write.unless.wildcard}}}` is "
        f"not empty and differs from `{{{write.unless.equals}}}`"
        for batch in flow.batches
        for write in batch
        if write.unless
    ]
    if derivations:
        notes += " (" + "; ".join(derivations) + ")"
    if flow.server:
        notes += ".\n\nThen the functions write: " + "; ".join(flow.server) + "."
    out = (
        f"/** The member's input to `{flow.name}`. */\nexport interface {name}Input {input_type}\n"
    )
    out += doc_comment(notes)
    out += (
        f"export async function {flow.name}(client: MitcheClient, input: {name}Input): "
        f"Promise<{result_type}> {{\n{body}}}\n"
    )
    return out


def _template(path: str) -> str:
    return re.sub(r"\{[A-Za-z0-9]+\}", "{}", path)


_PRELUDE = """\
import {
  collection,
  doc,
  serverTimestamp,
  writeBatch,
  type DocumentReference,
} from 'firebase/firestore';

import { requireUid, type MitcheClient } from './client.js';
import * as C from './collections.js';
import * as D from './derived.js';
import { asReference } from './paging.js';
import type * as S from './schema.js';
import { create, update, type Writable } from './writes.js';

type FieldOf<T, K extends string> = T extends unknown ? (K extends keyof T ? T[K] : never) : never;


const {
"""


def render_flows(writes: list[DocumentWrites]) -> str:
    """The complete `src/flows.ts`."""
    shapes = {_template(item.document.path): item for item in writes}
    used = sorted(
        {shapes[_template(w.path)].name for flow in FLOWS for batch in flow.batches for w in batch}
    )
    prelude = _PRELUDE + "".join(f"  {name},\n" for name in used) + "} = C;\n"
    return HEADER + prelude + "\n" + "\n".join(_flow(flow, shapes) for flow in FLOWS)
