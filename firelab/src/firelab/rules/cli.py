"""Command line: `python -m firelab.rules check FILE...` and `python -m firelab.rules eval`.

`check` parses each file and prints syntax errors (exit 1) and static warnings (exit 0, or 1
with `--strict`). `eval` judges requests given as JSON against a rules file and a JSON state of
stored documents, prints each decision with the trace of rules tried (exit 0 if every request
is allowed, 1 if one is denied, 2 on bad input) and can write coverage reports.

JSON values follow Firestore's JSON mapping, plus a few tagged forms for types JSON lacks:
`{"$timestamp": "2024-01-01T00:00:00Z"}`, `{"$bytes": "<base64>"}`,
`{"$latlng": [lat, lng]}`, `{"$path": "/databases/(default)/documents/users/alice"}`.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import datetime as dt
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from firelab._errors import FirelabError
from firelab.rules._access import InMemoryDocuments
from firelab.rules._checks import check_ruleset
from firelab.rules._context import (
    Auth,
    CompositeFilter,
    FieldFilter,
    Filter,
    ListQuery,
    OrderBy,
    RulesRequest,
)
from firelab.rules._engine import Decision, Rules
from firelab.rules._errors import RulesSyntaxError
from firelab.rules._parser import parse_ruleset
from firelab.rules._values import RulesLatLng, RulesPath

__all__ = ["InputError", "decode_value", "main", "request_from_json"]

EXIT_OK = 0
EXIT_DENIED_OR_FAILED = 1
EXIT_BAD_INPUT = 2


class InputError(FirelabError, ValueError):
    """A request or state file that does not describe a request or documents."""


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None) -> int:
    """Run the command line; returns the exit status."""
    out = stdout if stdout is not None else sys.stdout
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "check":
        return _check(args.files, strict=args.strict, out=out)
    return _eval(args, out)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m firelab.rules",
        description="Check and evaluate Firebase Security Rules (Cloud Firestore, Storage).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="parse rules files and report warnings")
    check.add_argument("files", nargs="+", type=Path, help="rules files")
    check.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    evaluate = commands.add_parser("eval", help="judge requests against a rules file")
    evaluate.add_argument("rules", type=Path, help="the rules file")
    evaluate.add_argument(
        "request",
        help="JSON file ('-' for stdin): a request, a list of requests, or {\"batch\": [...]}",
    )
    evaluate.add_argument(
        "--state",
        type=Path,
        help='JSON file of stored documents: {path: data} or {"before": {...}, "after": {...}}',
    )
    evaluate.add_argument("--json", action="store_true", help="print decisions as JSON")
    evaluate.add_argument("--coverage-json", type=Path, help="write a JSON coverage report")
    evaluate.add_argument("--coverage-html", type=Path, help="write an HTML coverage report")
    return parser


# -- check -------------------------------------------------------------------------------------


def _check(files: Sequence[Path], *, strict: bool, out: TextIO) -> int:
    status = EXIT_OK
    for file in files:
        try:
            source = file.read_text(encoding="utf-8")
        except OSError as exc:
            print(f"{file}: cannot read: {exc.strerror or exc}", file=out)
            status = EXIT_DENIED_OR_FAILED
            continue
        try:
            ruleset = parse_ruleset(source, str(file))
        except RulesSyntaxError as exc:
            print(f"{exc.filename}:{exc.line}:{exc.column}: error: {exc.message}", file=out)
            if exc.expected:
                print(f"  expected: {', '.join(exc.expected)}", file=out)
            if exc.source_line is not None:
                print(f"  {exc.source_line}\n  {' ' * (exc.column - 1)}^", file=out)
            status = EXIT_DENIED_OR_FAILED
            continue
        findings = check_ruleset(ruleset)
        for finding in findings:
            print(finding.format(str(file)), file=out)
        if findings and strict:
            status = EXIT_DENIED_OR_FAILED
        if not findings:
            print(f"{file}: ok ({ruleset.service.name})", file=out)
    return status


# -- eval --------------------------------------------------------------------------------------


def _eval(args: argparse.Namespace, out: TextIO) -> int:
    try:
        rules = Rules.from_file(args.rules)
    except RulesSyntaxError as exc:
        print(str(exc), file=out)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"{args.rules}: cannot read: {exc.strerror or exc}", file=out)
        return EXIT_BAD_INPUT
    try:
        payload = _load_json(args.request)
        documents = _documents(_load_json(str(args.state))) if args.state else InMemoryDocuments()
        batch = isinstance(payload, Mapping) and "batch" in payload
        items = payload["batch"] if batch else payload
        items = items if isinstance(items, list) else [items]
        requests = [request_from_json(item) for item in items]
    except InputError as exc:
        print(f"error: {exc}", file=out)
        return EXIT_BAD_INPUT
    coverage = rules.coverage() if (args.coverage_json or args.coverage_html) else None
    if batch:
        result = rules.evaluate_batch(requests, documents, coverage=coverage)
        decisions = list(result.decisions)
        allowed = result.allowed
        summary = f"batch: {'ALLOW' if result.allowed else 'DENY'}"
        if result.reason:
            summary += f" ({result.reason})"
    else:
        decisions = [rules.evaluate(request, documents, coverage=coverage) for request in requests]
        allowed = all(decision.allowed for decision in decisions)
        summary = ""
    if args.json:
        print(json.dumps([_decision_json(d) for d in decisions], indent=2), file=out)
    else:
        for decision in decisions:
            print(decision.explain(), file=out)
        if summary:
            print(summary, file=out)
    if coverage is not None:
        if args.coverage_json:
            args.coverage_json.write_text(coverage.to_json(), encoding="utf-8")
        if args.coverage_html:
            args.coverage_html.write_text(coverage.to_html(), encoding="utf-8")
    return EXIT_OK if allowed else EXIT_DENIED_OR_FAILED


def _load_json(name: str) -> Any:
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        return json.loads(text)
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{name}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from exc


def _documents(state: Any) -> InMemoryDocuments:
    if not isinstance(state, Mapping):
        raise InputError("the state must be a JSON object of document path -> data")
    if "before" in state or "after" in state:
        before = _document_map(state.get("before", {}))
        after = _document_map(state["after"]) if "after" in state else None
        return InMemoryDocuments(before, after)
    return InMemoryDocuments(_document_map(state))


def _document_map(value: Any) -> dict[str, Mapping[str, object]]:
    if not isinstance(value, Mapping):
        raise InputError("documents must be a JSON object of document path -> data")
    documents: dict[str, Mapping[str, object]] = {}
    for path, data in value.items():
        decoded = decode_value(data)
        if not isinstance(decoded, Mapping):
            raise InputError(f"document {path!r} must be a JSON object")
        documents[str(path).strip("/")] = decoded
    return documents


def decode_value(value: Any) -> object:
    """A JSON value with the tagged forms (`$timestamp`, `$bytes`, `$latlng`, `$path`) decoded."""
    if isinstance(value, list):
        return [decode_value(item) for item in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((tag, inner),) = value.items()
        if tag == "$timestamp":
            return _timestamp(inner)
        if tag == "$bytes":
            try:
                return base64.b64decode(str(inner), validate=True)
            except binascii.Error as exc:
                raise InputError(f"$bytes is not base64: {inner!r}") from exc
        if tag == "$latlng":
            if not (isinstance(inner, list) and len(inner) == 2):
                raise InputError("$latlng must be [latitude, longitude]")
            return RulesLatLng(float(inner[0]), float(inner[1]))
        if tag == "$path":
            return RulesPath.parse(str(inner))
    return {str(key): decode_value(item) for key, item in value.items()}


def _timestamp(text: Any) -> dt.datetime:
    try:
        stamp = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"not an ISO 8601 timestamp: {text!r}") from exc
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.UTC)


def request_from_json(data: Any) -> RulesRequest:
    """A RulesRequest from its JSON form (the same field names as RulesRequest)."""
    if not isinstance(data, Mapping):
        raise InputError("a request must be a JSON object")
    method = data.get("method")
    if method not in ("get", "list", "create", "update", "delete"):
        raise InputError(f"method must be get, list, create, update or delete, not {method!r}")
    path = data.get("path")
    if not isinstance(path, str) or not path.strip("/"):
        raise InputError("path must be a non-empty string")
    service = data.get("service", "cloud.firestore")
    if service not in ("cloud.firestore", "firebase.storage"):
        raise InputError(f"service must be cloud.firestore or firebase.storage, not {service!r}")
    return RulesRequest(
        method=method,
        path=path,
        service=service,
        auth=_auth(data.get("auth")),
        time=_timestamp(data["time"]) if data.get("time") is not None else None,
        resource=_object(data.get("resource"), "resource"),
        request_resource=_object(data.get("request_resource"), "request_resource"),
        query=_query(data.get("query")),
        database=str(data.get("database", "(default)")),
        bucket=str(data.get("bucket", "default-bucket")),
    )


def _auth(data: Any) -> Auth | None:
    if data is None:
        return None
    if not isinstance(data, Mapping) or not isinstance(data.get("uid"), str):
        raise InputError('auth must be null or {"uid": "...", "token": {...}}')
    token = decode_value(data.get("token", {}))
    if not isinstance(token, Mapping):
        raise InputError("auth.token must be a JSON object")
    return Auth(data["uid"], token)


def _object(data: Any, name: str) -> Mapping[str, object] | None:
    if data is None:
        return None
    decoded = decode_value(data)
    if not isinstance(decoded, Mapping):
        raise InputError(f"{name} must be null or a JSON object")
    return decoded


def _query(data: Any) -> ListQuery | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise InputError("query must be a JSON object")
    return ListQuery(
        filters=tuple(_filter(item) for item in data.get("filters", ())),
        order_by=tuple(
            OrderBy(str(item["field"]), "desc" if item.get("direction") == "desc" else "asc")
            for item in data.get("order_by", ())
        ),
        limit=data.get("limit"),
        offset=data.get("offset"),
        collection_group=bool(data.get("collection_group", False)),
    )


_FILTER_OPS = frozenset(
    {"<", "<=", "==", "!=", ">=", ">", "array-contains", "array-contains-any", "in", "not-in"}
)


def _filter(data: Any) -> Filter:
    if not isinstance(data, Mapping):
        raise InputError("a filter must be a JSON object")
    if data.get("op") in ("and", "or"):
        return CompositeFilter(data["op"], tuple(_filter(item) for item in data.get("filters", ())))
    if data.get("op") not in _FILTER_OPS or not isinstance(data.get("field"), str):
        raise InputError(f"bad filter {dict(data)!r}: needs field, op and value")
    return FieldFilter(data["field"], data["op"], decode_value(data.get("value")))


def _decision_json(decision: Decision) -> dict[str, Any]:
    return {
        "allowed": decision.allowed,
        "method": decision.method,
        "path": decision.path,
        "reason": decision.reason,
        "reads": list(decision.reads),
        "trace": [
            {
                "line": outcome.line,
                "column": outcome.column,
                "methods": list(outcome.methods),
                "pattern": outcome.pattern,
                "result": outcome.result,
                "detail": outcome.detail,
                "scope": outcome.scope,
                "bindings": dict(outcome.bindings),
            }
            for outcome in decision.trace
        ],
    }
