"""The emulator's own HTTP endpoints: health, reset, shutdown, clearing, rules and coverage.

Matched exactly as the official emulator matches them (paths, methods, a query string
ignored): `GET /` answers `Ok`, `POST /reset` and `POST /shutdown` act, and the
`/emulator/v1/…` endpoints read the `Authorization` header like the API does (a malformed one
fails) but need no administrator (auth.json).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote

from firelab.server import _preflight as preflight
from firelab.server import _protos as protos
from firelab.server._http import HttpRequest, HttpResponse
from firelab.server._identity import identify
from firelab.server._javajson import json_string
from firelab.server._rest import (
    BAD_PAYLOAD,
    JSON,
    error_response,
    json_response,
    not_found,
)
from firelab.server.core import Code, Emulator, FirestoreError

__all__ = ["AdminEndpoints", "RulesHost", "RulesIssue"]

_TEXT = "text/plain; charset=utf-8"
_CLEAR = re.compile(r"/emulator/v1/projects/([^/]+)/databases/([^/]+)/documents(/.*)?")
_PROJECT_VERB = re.compile(
    r"/emulator/v1/projects/([^/:]+)(?:/databases/([^/:]+))?:(\w+(?:\.html)?)"
)
_DELETE_CHUNK = 500
_IMPORT_KEYS = frozenset({"database", "export_directory", "exportDirectory"})
_EXPORT_KEYS = _IMPORT_KEYS | {"export_name", "exportName"}


@dataclass(frozen=True, slots=True)
class RulesIssue:
    """A problem found in a rules file, located by 1-based line and column."""

    line: int
    column: int
    description: str
    severity: str = "ERROR"


class RulesHost(Protocol):
    """Where the endpoints load rules and read coverage (see `_rules_host`)."""

    def load(self, project: str | None, files: list[tuple[str, str]]) -> list[RulesIssue]:
        """Compile and install `(name, source)` files for `project` (None: every project
        without its own rules); the problems found."""
        ...

    def coverage_json(self, project: str) -> str:
        """The coverage report of `project`'s rules as JSON text."""
        ...

    def coverage_html(self, project: str) -> str:
        """The coverage report of `project`'s rules as an HTML page."""
        ...


def _json_body(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        value = json.loads(body)
    except ValueError as exc:
        raise FirestoreError(Code.INVALID_ARGUMENT, BAD_PAYLOAD) from exc
    if not isinstance(value, dict):
        raise FirestoreError(Code.INVALID_ARGUMENT, BAD_PAYLOAD)
    return value


def _issues_json(issues: list[RulesIssue], file_name: str) -> str:
    if not issues:
        return "{\n}\n"
    items = []
    for issue in issues:
        items.append(
            "{\n"
            '    "sourcePosition": {\n'
            f'      "fileName": {json_string(file_name)},\n'
            f'      "line": {issue.line},\n'
            f'      "column": {issue.column}\n'
            "    },\n"
            f'    "description": {json_string(issue.description)},\n'
            f'    "severity": {json_string(issue.severity)}\n'
            "  }"
        )
    return '{\n  "issues": [' + ", ".join(items) + "]\n}\n"


class AdminEndpoints:
    """Answers the emulator endpoints; None for other paths."""

    def __init__(
        self,
        emulator: Emulator,
        rules: RulesHost,
        shutdown: Callable[[], None],
    ) -> None:
        self._emulator = emulator
        self._rules = rules
        self._shutdown = shutdown

    def handle(self, request: HttpRequest) -> HttpResponse | None:
        """The answer to `request`, or None when the path is not an emulator endpoint."""
        path, method = request.path, request.method
        if path == "/":
            return HttpResponse(200, b"Ok\n", _TEXT) if method == "GET" else not_found()
        if path == "/reset":
            if method != "POST":
                return not_found()
            self._emulator.reset()
            return HttpResponse(200, b"Resetting...\n", _TEXT)
        if path == "/shutdown":
            if method != "POST":
                return not_found()
            return HttpResponse(
                200, b"Shutting down...\n", _TEXT, close=True, after_send=self._shutdown
            )
        if not path.startswith("/emulator/v1/"):
            return None
        try:
            return self._emulator_v1(request)
        except FirestoreError as error:
            return error_response(error)

    def _emulator_v1(self, request: HttpRequest) -> HttpResponse:
        path = unquote(request.path)
        cleared = _CLEAR.fullmatch(path)
        if cleared is not None:
            if request.method != "DELETE":
                return not_found()
            project, database, tail = cleared.groups()
            return self._delete(request, project, database, tail or "")
        verb = _PROJECT_VERB.fullmatch(path)
        if verb is None:
            return not_found()
        project, _database, action = verb.groups()
        if action == "securityRules" and request.method == "PUT":
            return self._load_rules(request, project)
        if action == "ruleCoverage" and request.method == "GET":
            return HttpResponse(200, self._rules.coverage_json(project).encode(), JSON)
        if action == "ruleCoverage.html" and request.method == "GET":
            html = self._rules.coverage_html(project).encode()
            return HttpResponse(200, html, "text/html; charset=utf-8")
        if action in ("export", "import") and request.method == "POST":
            return self._export_import(request, action)
        return not_found()

    def _delete(self, request: HttpRequest, project: str, database: str, tail: str) -> HttpResponse:
        root = f"projects/{project}/databases/{database}/documents"
        if tail not in ("", "/"):
            if _even(tail):
                preflight.document(root + tail)
            else:
                preflight.parent(root + tail.rsplit("/", 1)[0])
        identify(request.header("authorization"))
        target = self._emulator.database(project, database)
        if tail in ("", "/"):
            target.clear()
        else:
            self._delete_tree(target, root, root + tail)
        return json_response("{\n}\n")

    @staticmethod
    def _delete_tree(database: Any, root: str, name: str) -> None:
        """Delete the document or collection `name` and everything below it."""
        is_document = _even(name[len(root) :])
        parent = name if is_document else name.rsplit("/", 1)[0]
        query = protos.StructuredQuery()
        query.from_.add(all_descendants=True)
        request = protos.RunQueryRequest(parent=parent, structured_query=query)
        doomed = [
            response.document.name
            for response in database.run_query(request)
            if response.HasField("document")
            and (is_document or response.document.name.startswith(name + "/"))
        ]
        if is_document:
            doomed.append(name)
        database_name = root.rsplit("/", 1)[0]
        for start in range(0, len(doomed), _DELETE_CHUNK):
            writes = [protos.Write(delete=doc) for doc in doomed[start : start + _DELETE_CHUNK]]
            database.commit(protos.CommitRequest(database=database_name, writes=writes))

    def _load_rules(self, request: HttpRequest, project: str) -> HttpResponse:
        identify(request.header("authorization"))
        body = _json_body(request.body)
        rules = body.get("rules")
        files = rules.get("files") if isinstance(rules, dict) else None
        if not isinstance(files, list) or not files:
            raise FirestoreError(Code.INVALID_ARGUMENT, BAD_PAYLOAD)
        sources: list[tuple[str, str]] = []
        for entry in files:
            if not isinstance(entry, dict) or not isinstance(entry.get("content"), str):
                raise FirestoreError(Code.INVALID_ARGUMENT, BAD_PAYLOAD)
            name = entry.get("name")
            sources.append((name if isinstance(name, str) else "firestore.rules", entry["content"]))
        issues = self._rules.load(project, sources)
        return json_response(_issues_json(issues, sources[0][0]))

    def _export_import(self, request: HttpRequest, action: str) -> HttpResponse:
        """`:export` / `:import` of one database (export_import.json `requests`)."""
        body = _json_body(request.body)
        allowed = _EXPORT_KEYS if action == "export" else _IMPORT_KEYS
        if not set(body) <= allowed:
            raise FirestoreError(Code.INVALID_ARGUMENT, BAD_PAYLOAD)
        database = body.get("database")
        database_id = preflight.database("" if database is None else _text(database))
        identify(request.header("authorization"))
        directory = body.get("export_directory", body.get("exportDirectory"))
        if action == "import":
            if not isinstance(directory, str) or not directory:
                raise FirestoreError(
                    Code.INVALID_ARGUMENT, "Failed to parse overall export metadata file"
                )
            self._emulator.import_(Path(directory), database=database_id)
            return json_response("{\n}\n")
        if not isinstance(directory, str) or not os.path.isabs(directory):
            raise FirestoreError(Code.FAILED_PRECONDITION, "export_directory must be a directory")
        if not Path(directory).is_dir():
            raise FirestoreError(Code.FAILED_PRECONDITION, "export_directory must be a directory")
        name = body.get("export_name", body.get("exportName"))
        if name is not None and "/" in _text(name):
            raise FirestoreError(Code.INTERNAL, "failed to write export")
        try:
            self._emulator.export(
                Path(directory), database=database_id, name=None if name is None else _text(name)
            )
        except OSError as exc:
            raise FirestoreError(Code.INTERNAL, "failed to write export") from exc
        return json_response("{\n}\n")


def _text(value: object) -> str:
    """A JSON scalar as the emulator reads it into a string field (`1` is "1")."""
    return value if isinstance(value, str) else json.dumps(value)


def _even(tail: str) -> bool:
    return len(tail.strip("/").split("/")) % 2 == 0
