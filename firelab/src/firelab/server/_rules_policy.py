"""Security Rules as the server's access policy: `firelab.rules` judges each request.

Translates an `AccessRequest` (protobuf documents, a StructuredQuery) into the rules engine's
`RulesRequest` (document data, `request.auth`, `request.query`), serves `get()`/`getAfter()`
from the core, and words denials the way the emulator does:
`false for 'create' @ L5, Null value error. for 'update' @ L9`. Batches and transactions are
judged together, with the shared access-call budget. Coverage is counted for the
`:ruleCoverage` endpoints.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

from firelab.rules import (
    Auth,
    CompositeFilter,
    FieldFilter,
    ListQuery,
    OrderBy,
    Rules,
    RulesRequest,
)
from firelab.rules import Decision as RulesDecision
from firelab.server._access import AccessRequest, Decision, Lookup, Operation
from firelab.server._request_log import RequestLog

__all__ = ["RulesPolicy"]

_OPERATORS = {
    1: "<",
    2: "<=",
    3: ">",
    4: ">=",
    5: "==",
    6: "!=",
    7: "array-contains",
    8: "in",
    9: "array-contains-any",
    10: "not-in",
}
"""StructuredQuery.FieldFilter.Operator numbers to the rules' operators."""

_NAN = float("nan")
_UNARY = {2: ("==", _NAN), 3: ("==", None), 4: ("!=", _NAN), 5: ("!=", None)}
"""UnaryFilter operators (IS_NAN, IS_NULL, IS_NOT_NAN, IS_NOT_NULL) as comparisons."""


def _data(document: Any) -> Mapping[str, object] | None:
    return None if document is None else dict(document.fields)


def _relative(name: str) -> tuple[str, str]:
    """(database ID, path under `documents`) of a full resource name."""
    parts = name.split("/", 5)
    return parts[3], parts[5] if len(parts) > 5 else ""


def _filter(message: Any) -> Any:
    kind = message.WhichOneof("filter_type")
    if kind == "field_filter":
        field = message.field_filter
        return FieldFilter(field.field.field_path, _OPERATORS[field.op], field.value)  # type: ignore[arg-type]
    if kind == "unary_filter":
        unary = message.unary_filter
        op, value = _UNARY[unary.op]
        return FieldFilter(unary.field.field_path, op, value)  # type: ignore[arg-type]
    if kind == "composite_filter":
        composite = message.composite_filter
        parts = tuple(_filter(item) for item in composite.filters)
        return CompositeFilter("or" if composite.op == 2 else "and", parts)
    return None


def list_query(query: Any, *, collection_group: bool) -> ListQuery:
    """`request.query` for a StructuredQuery (None: a listing without constraints)."""
    if query is None:
        return ListQuery(collection_group=collection_group)
    filters: tuple[Any, ...] = ()
    if query.HasField("where"):
        built = _filter(query.where)
        filters = (built,) if built is not None else ()
    orders = tuple(
        OrderBy(order.field.field_path, "desc" if order.direction == 2 else "asc")
        for order in query.order_by
    )
    return ListQuery(
        filters=filters,
        order_by=orders,
        limit=query.limit.value if query.HasField("limit") else None,
        offset=query.offset or None,
        collection_group=collection_group,
    )


class _Documents:
    """The rules engine's DocumentLookup over the core's lookups."""

    def __init__(self, project: str, get: Lookup | None, get_after: Lookup | None) -> None:
        self._project = project
        self._get = get
        self._get_after = get_after or get

    def _name(self, database: str, path: str) -> str:
        return f"projects/{self._project}/databases/{database}/documents/{path}"

    def get_document(self, database: str, path: str) -> Mapping[str, object] | None:
        """The stored document's data."""
        return None if self._get is None else _data(self._get(self._name(database, path)))

    def get_document_after(self, database: str, path: str) -> Mapping[str, object] | None:
        """The document's data as the request would leave it."""
        if self._get_after is None:
            return None
        return _data(self._get_after(self._name(database, path)))


def _auth(request: AccessRequest) -> Auth | None:
    claims = request.identity.claims
    if claims is None:
        return None
    return Auth(request.identity.uid or "", dict(claims))


def _describe(decision: RulesDecision) -> str:
    """The emulator's wording: each allow tried, `false for 'get' @ L5`, joined by commas."""
    parts = []
    for outcome in decision.trace:
        reason = "false" if outcome.result == "false" else outcome.detail or outcome.result
        parts.append(f"{reason} for '{decision.method}' @ L{outcome.line}")
    return ", ".join(parts) if parts else "No matching allow statements"


def _describe_query(request: RulesRequest) -> str:
    """A list request's query as people write it: `where a == 1, order by b desc, limit 5`."""
    query = request.query
    if query is None:
        return ""
    parts = [_describe_filter(item) for item in query.filters]
    parts += [f"order by {order.field} {order.direction}" for order in query.order_by]
    if query.limit is not None:
        parts.append(f"limit {query.limit}")
    if query.offset:
        parts.append(f"offset {query.offset}")
    return ", ".join(parts)


def _describe_filter(item: Any) -> str:
    if isinstance(item, CompositeFilter):
        inner = f" {item.op} ".join(_describe_filter(part) for part in item.filters)
        return f"({inner})"
    return f"where {item.field} {item.op} {_show_value(item.value)}"


def _show_value(value: Any) -> str:
    if hasattr(value, "WhichOneof"):
        kind = value.WhichOneof("value_type")
        return repr(getattr(value, kind)) if kind else "?"
    return repr(value)


class RulesPolicy:
    """An `AccessPolicy` (and batch policy) backed by a compiled ruleset."""

    def __init__(self, rules: Rules, request_log: RequestLog | None = None) -> None:
        self.rules = rules
        self.coverage = rules.coverage()
        self.request_log = request_log
        """Where judged requests go with their traces when it is enabled (the console)."""
        self._lock = threading.Lock()

    def _request(self, request: AccessRequest) -> RulesRequest:
        database, path = _relative(request.name)
        query = None
        if request.operation == Operation.LIST:
            query = list_query(request.query, collection_group=request.collection_group)
            if request.collection_group:
                path = path.rsplit("/", 1)[-1]
        return RulesRequest(
            method=request.operation.value,
            path=path,
            auth=_auth(request),
            resource=_data(request.resource),
            request_resource=_data(request.request_resource),
            query=query,
            database=database,
            time=request.time,
        )

    def decide(self, request: AccessRequest) -> Decision:
        """Judge one request."""
        documents = _Documents(request.database.project, request.get, request.get_after)
        log = self.request_log
        if log is None or not log.enabled:
            with self._lock:
                decision = self.rules.evaluate(
                    self._request(request), documents, coverage=self.coverage
                )
            return Decision(decision.allowed, "" if decision.allowed else _describe(decision))
        with self._lock:
            rules_request = self._request(request)
            decision = self.rules.evaluate(rules_request, documents, coverage=self.coverage)
            trace = None
            if not decision.allowed:
                # Only a denial is traced: evaluated again, recording (and not counted twice
                # in the coverage), so an allowed request costs what it costs without a log.
                trace = log.tracer(self.rules, None)
                self.rules.evaluate(rules_request, documents, coverage=trace)
        message = "" if decision.allowed else _describe(decision)
        log.add(
            rules=self.rules,
            trace=trace,
            identity=request.identity,
            method=decision.method,
            path=decision.path,
            database=request.database.database,
            allowed=decision.allowed,
            message=message,
            query=_describe_query(rules_request),
            patterns=tuple(outcome.pattern for outcome in decision.trace),
            time=request.time,
        )
        return Decision(decision.allowed, message)

    def decide_batch(self, requests: Sequence[AccessRequest]) -> Decision:
        """Judge the writes of one commit together (shared access-call budget)."""
        if not requests:
            return Decision(True)
        first = requests[0]
        documents = _Documents(first.database.project, first.get, first.get_after)
        log = self.request_log
        with self._lock:
            rules_requests = [self._request(request) for request in requests]
            batch = self.rules.evaluate_batch(rules_requests, documents, coverage=self.coverage)
            recorder = None
            if log is not None and log.enabled and not batch.allowed:
                recorder = log.tracer(self.rules, None)
                self.rules.evaluate_batch(rules_requests, documents, coverage=recorder)
        denied = [decision for decision in batch.decisions if not decision.allowed]
        message = "" if batch.allowed else (_describe(denied[0]) if denied else batch.reason)
        if log is not None and log.enabled:
            shown = denied[0] if denied else batch.decisions[0]
            log.add(
                rules=self.rules,
                trace=recorder,
                identity=first.identity,
                method=shown.method,
                path=shown.path,
                database=first.database.database,
                allowed=batch.allowed,
                message=message,
                writes=len(requests),
                patterns=tuple(o.pattern for d in batch.decisions for o in d.trace),
                time=first.time,
            )
        return Decision(True) if batch.allowed else Decision(False, message)

    def coverage_json(self) -> str:
        """The coverage report (JSON)."""
        with self._lock:
            return self.coverage.to_json()

    def coverage_html(self) -> str:
        """The coverage report (annotated HTML)."""
        with self._lock:
            return self.coverage.to_html()
