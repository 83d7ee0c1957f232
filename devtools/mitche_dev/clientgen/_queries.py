"""`src/queries.ts`: one function per client query of the catalog, building exactly the
declared filters, orderings and limit (so the rules can prove the list allowed and an index
serves it), with typed parameters checked before anything is sent."""

from __future__ import annotations

import re

from mitche.models.registry import collection_specs
from mitche.queries import DOCUMENT_ID, CatalogQuery, Param, client_queries
from mitche_dev.clientgen._naming import HEADER, camel, doc_comment, literal, stem
from mitche_dev.schemagen import Document, SchemaSet, documents

__all__ = ["query_function_name", "query_model", "render_queries"]

_OPS = {"array_contains": "array-contains"}


def query_function_name(query: CatalogQuery) -> str:
    """`requests.openByUrgency` → `requestsOpenByUrgency`; `Query` is appended to a name a
    document shape's reference already takes (`resources.reviews` → `resourcesReviewsQuery`)."""
    name = camel(query.name.split("."))
    taken = {stem(document.path) for document in documents(collection_specs().values())}
    return f"{name}Query" if name in taken else name


def _declares(document: Document, query: CatalogQuery) -> bool:
    """Whether the document's model declares the top-level field of every filter and order."""
    wire = {field.alias or name for name, field in document.model.model_fields.items()}
    used = [where.field for where in query.where] + [order.field for order in query.order]
    return all(name.split(".")[0] in wire for name in used if name != DOCUMENT_ID)


def query_model(schemas: SchemaSet, query: CatalogQuery) -> str:
    """The read type of the documents a query returns. A collection-group query over
    documents with fixed ids (`private`: `reports/{reportId}/private/case` beside other
    private documents) returns the one shape that declares every field it filters on."""
    fixed: list[Document] = []
    for document in schemas.documents:
        parent = document.path.rsplit("/", 1)[0]
        if query.group:
            matches = parent.rsplit("/", 1)[-1] == query.collection
        else:
            pattern = re.sub(r"\{[A-Za-z0-9]+\}", "{}", parent)
            matches = pattern == re.sub(r"\{[A-Za-z0-9]+\}", "{}", query.collection)
        if matches and document.path.endswith("}"):
            return schemas.document_defs[document.path]
        if matches and query.group and _declares(document, query):
            fixed.append(document)
    if len(fixed) == 1:
        return schemas.document_defs[fixed[0].path]
    raise LookupError(f"{query.name}: no document shape is stored in {query.collection!r}")


def _param_type(param: Param) -> str:
    if param.kind == "int":
        return "number"
    if param.kind == "timestamp":
        return "Date | Timestamp"
    if param.kind == "reference":
        return "string | DocumentReference<any, any>"
    choices = " | ".join(literal(choice) for choice in param.choices) or "string"
    if param.kind == "list":
        return f"readonly ({choices})[]"
    return choices


def _param_check(query: CatalogQuery, param: Param) -> str:
    spec = {"kind": param.kind, "choices": list(param.choices), "maximum": param.maximum}
    args = f"{literal(query.name)}, {literal(param.name)}, params.{param.name}, {literal(spec)}"
    return f"  checkParam({args});\n"


def _value(value: object) -> str:
    if isinstance(value, Param):
        if value.name == "uid":
            return "uid"
        if value.kind == "reference":
            return f"asReference(client, params.{value.name})"
        if value.kind == "timestamp":
            return f"asTimestamp(params.{value.name})"
        if value.kind == "list":
            return f"[...params.{value.name}]"
        return f"params.{value.name}"
    if isinstance(value, tuple):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    return literal(value)


def _function(schemas: SchemaSet, query: CatalogQuery) -> str:
    model = query_model(schemas, query)
    params = [param for param in query.params() if param.name != "uid"]
    uses_uid = any(param.name == "uid" for param in query.params())
    fields = "; ".join(f"{param.name}: {_param_type(param)}" for param in params)
    params_type = f"{{ {fields} }}" if fields else "Record<string, never>"
    name = query_function_name(query)
    notes = f"{query.purpose}\n\nCatalog query `{query.name}`, run by: {query.caller.value}."
    if uses_uid:
        notes += " Acts as the signed-in member (`uid`)."
    if query.paged:
        notes += " Paged: pass the last document of a page as `startAfter` for the next."
    out = doc_comment(notes)
    out += f"export function {name}(\n  client: MitcheClient,\n  params: {params_type}"
    out += " = {},\n" if not fields else ",\n"
    if query.paged:
        out += "  options: PageOptions = {},\n"
    out += f"): Query<S.{model}> {{\n"
    if uses_uid:
        out += "  const uid = requireUid(client);\n"
    for param in params:
        out += _param_check(query, param)
    path = query.collection
    if query.group:
        source = f"collectionGroup(client.db, {literal(path)})"
    else:
        segments = [
            f"params.{part[1:-1]}"
            if part.startswith("{") and part != "{uid}"
            else ("uid" if part == "{uid}" else literal(part))
            for part in path.split("/")
        ]
        source = f"collection(client.db, {', '.join(segments)})"
    out += "  const constraints: QueryConstraint[] = [\n"
    for clause in query.where:
        op = _OPS.get(clause.op, clause.op)
        out += f"    where({literal(clause.field)}, {literal(op)}, {_value(clause.value)}),\n"
    for order in query.order:
        field = "documentId()" if order.field == DOCUMENT_ID else literal(order.field)
        out += f"    orderBy({field}, {literal(order.direction)}),\n"
    if isinstance(query.limit, Param):
        out += f"    limit(params.{query.limit.name}),\n"
    elif query.limit is not None:
        out += f"    limit({query.limit}),\n"
    out += "  ];\n"
    if query.paged:
        out += "  if (options.startAfter) constraints.push(startAfter(options.startAfter));\n"
    out += f"  return query({source}.withConverter(converter<S.{model}>()), ...constraints);\n"
    out += "}\n"
    return out


_PRELUDE = """\
import {
  collection,
  collectionGroup,
  documentId,
  limit,
  orderBy,
  query,
  startAfter,
  where,
  type DocumentReference,
  type Query,
  type QueryConstraint,
  type Timestamp,
} from 'firebase/firestore';

import { requireUid, type MitcheClient } from './client.js';
import type * as S from './schema.js';
import { asReference, asTimestamp, checkParam, type PageOptions } from './paging.js';
import { converter } from './writes.js';
"""


def render_queries(schemas: SchemaSet) -> str:
    """The complete `src/queries.ts`, and the `catalogQueries` table of every function."""
    queries = sorted(client_queries(), key=lambda query: query.name)
    body = "\n".join(_function(schemas, query) for query in queries)
    table = "".join(
        f"  {literal(query.name)}: {query_function_name(query)},\n" for query in queries
    )
    footer = doc_comment("Every client query of the catalog, by its catalog name.")
    footer += f"export const catalogQueries = {{\n{table}}} as const;\n"
    return HEADER + _PRELUDE + "\n" + body + "\n" + footer
