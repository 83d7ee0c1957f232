"""The console's HTTP API and pages: one Flask app over what the stack runs.

Pages are static files bundled in the package (`static/`: plain HTML, CSS and JavaScript, no
CDN); everything they show comes from `/api/…`. Data goes through the Firestore server's REST
API as an owner; requests and runs come from the server's `RequestLog` and the runtime's
`RunLog`; live updates are Server-Sent Events fed by the change feed, so nothing is computed
for the console unless a page is open.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from flask import Flask, Response, jsonify, request
from google.protobuf import json_format

from firelab.console._auth import AuthAccounts
from firelab.console._firestore import FirestoreRest, RestError, plain
from firelab.console._plots import Plot, render
from firelab.functions import FunctionsCodebase
from firelab.functions._runs import RunLog
from firelab.indexes import IndexFile, missing_index
from firelab.server import JudgedRequest, RequestLog
from firelab.server.core import ChangeBatch, Emulator

__all__ = ["ConsoleSources", "make_app"]

_STATIC = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/console.js": ("console.js", "text/javascript; charset=utf-8"),
    "/console.css": ("console.css", "text/css; charset=utf-8"),
}
_EMPTY_INDEXES = '{"indexes": [], "fieldOverrides": []}'


@dataclass(slots=True)
class ConsoleSources:
    """What the console reads: the stack's parts it was given (any may be absent)."""

    project: str
    firestore: str
    """The Firestore server's `host:port`."""
    emulator: Emulator | None = None
    requests: RequestLog | None = None
    runs: RunLog | None = None
    auth: str | None = None
    """The Auth emulator's `host:port`."""
    codebase: FunctionsCodebase | None = None
    run_schedule: Callable[[str], tuple[int, str]] | None = None
    """Runs a scheduled function now: its HTTP status and body."""
    indexes: Path | None = None
    plots: tuple[Plot, ...] = ()
    """The project's plots (configuration: the console knows no project's collections)."""
    links: dict[str, str] = field(default_factory=dict)
    """Other services' addresses, shown on the home page."""


class _ChangeHub:
    """Fans the change feed out to open pages (nothing is queued when no page listens)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: list[queue.Queue[str]] = []

    def publish(self, batch: ChangeBatch) -> None:
        if not self._queues:
            return
        prefix = batch.database.documents_root + "/"
        names = [change.name.removeprefix(prefix) for change in batch.changes]
        message = json.dumps({"database": batch.database.database, "documents": names})
        with self._lock:
            for waiting in self._queues:
                waiting.put(message)

    def stream(self, stop: threading.Event) -> Iterator[str]:
        mine: queue.Queue[str] = queue.Queue()
        with self._lock:
            self._queues.append(mine)
        try:
            yield "retry: 1000\n\n"
            while not stop.is_set():
                try:
                    message = mine.get(timeout=1.0)
                except queue.Empty:
                    yield ": keep-alive\n\n"
                    continue
                yield f"event: change\ndata: {message}\n\n"
        finally:
            with self._lock:
                self._queues.remove(mine)


def _error(status: int, message: str) -> tuple[Response, int]:
    return jsonify({"error": message}), status


def _request_summary(entry: JudgedRequest) -> dict[str, Any]:
    return {
        "id": entry.id,
        "time": entry.time.isoformat(),
        "uid": entry.uid,
        "claims": entry.claims,
        "method": entry.method,
        "path": entry.path,
        "database": entry.database,
        "query": entry.query,
        "writes": entry.writes,
        "allowed": entry.allowed,
        "message": entry.message,
    }


def _request_detail(entry: JudgedRequest) -> dict[str, Any]:
    detail = _request_summary(entry)
    detail["rulesFile"] = entry.rules_file
    detail["rulesSource"] = entry.rules_source
    detail["allows"] = [
        {
            "line": allow.line,
            "column": allow.column,
            "pattern": entry.patterns[index] if index < len(entry.patterns) else "",
            "result": allow.result,
            "culprit": _expression(allow.culprit) if allow.culprit else None,
            "expressions": [_expression(e) for e in allow.expressions],
        }
        for index, allow in enumerate(entry.allows)
    ]
    return detail


def _expression(expression: Any) -> dict[str, Any]:
    return {
        "line": expression.line,
        "column": expression.column,
        "endLine": expression.end_line,
        "endColumn": expression.end_column,
        "value": expression.value,
        "outcome": expression.outcome,
    }


def make_app(sources: ConsoleSources, stop: threading.Event) -> tuple[Flask, _ChangeHub]:
    """The console's WSGI app, and the hub the change feed should publish to."""
    app = Flask("firelab.console")
    firestore = FirestoreRest(sources.firestore, sources.project, sources.emulator)
    hub = _ChangeHub()
    static = resources.files("firelab.console") / "static"

    for route, (name, content_type) in _STATIC.items():

        def page(name: str = name, content_type: str = content_type) -> Response:
            return Response((static / name).read_bytes(), content_type=content_type)

        app.add_url_rule(route, f"static_{name}", page)

    @app.errorhandler(RestError)
    def rest_error(error: RestError) -> tuple[Response, int]:
        return _error(error.status, error.message)

    @app.get("/api/info")
    def info() -> Response:
        databases = ["(default)"]
        if sources.emulator is not None:
            found = [
                d.id.database
                for d in sources.emulator.databases()
                if d.id.project == sources.project
            ]
            databases = sorted(set(databases) | set(found))
        return jsonify(
            {
                "project": sources.project,
                "firestore": sources.firestore,
                "auth": sources.auth,
                "databases": databases,
                "links": sources.links,
                "requests": sources.requests is not None and sources.requests.enabled,
                "runs": sources.runs is not None and sources.runs.enabled,
                "plots": [plot.title for plot in sources.plots],
            }
        )

    # -- data ----------------------------------------------------------------------------------

    @app.get("/api/data/<database>/collections")
    def collections(database: str) -> Response:
        parent = request.args.get("parent", "").strip("/")
        return jsonify({"collections": firestore.collection_ids(database, parent)})

    @app.get("/api/data/<database>/collection")
    def collection(database: str) -> Response:
        path = request.args.get("path", "").strip("/")
        page = firestore.list_documents(database, path, page_token=request.args.get("page", ""))
        return jsonify(page)

    @app.get("/api/data/<database>/document")
    def document(database: str) -> Any:
        path = request.args.get("path", "").strip("/")
        found = firestore.get(database, path)
        runs = []
        if sources.runs is not None:
            runs = [r.as_json() for r in sources.runs.entries() if r.document == path]
        return jsonify(
            {
                "path": path,
                "document": found,
                "collections": firestore.collection_ids(database, path),
                "runs": runs,
            }
        )

    @app.put("/api/data/<database>/document")
    def write_document(database: str) -> Any:
        path = request.args.get("path", "").strip("/")
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("fields"), dict):
            return _error(400, 'the body must be {"fields": {name: typed value}}')
        return jsonify(firestore.write(database, path, body["fields"]))

    @app.delete("/api/data/<database>/document")
    def delete_document(database: str) -> Any:
        firestore.delete(database, request.args.get("path", "").strip("/"))
        return jsonify({})

    @app.post("/api/data/<database>/query")
    def run_query(database: str) -> Any:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("structuredQuery"), dict):
            return _error(400, 'the body must be {"parent": path, "structuredQuery": {...}}')
        parent = str(body.get("parent", "")).strip("/")
        query = body["structuredQuery"]
        return jsonify(
            {
                "documents": firestore.run_query(database, parent, query),
                "index": _index_need(sources.indexes, parent, query),
            }
        )

    @app.post("/api/export")
    def export() -> Any:
        directory = (request.get_json(silent=True) or {}).get("directory")
        if sources.emulator is None or not directory:
            return _error(400, 'export needs {"directory": path} and an in-process server')
        sources.emulator.export(Path(directory), project=sources.project)
        return jsonify({"directory": str(directory)})

    @app.post("/api/import")
    def import_() -> Any:
        directory = (request.get_json(silent=True) or {}).get("directory")
        if sources.emulator is None or not directory:
            return _error(400, 'import needs {"directory": path} and an in-process server')
        if not Path(directory).exists():
            return _error(404, f"{directory} does not exist")
        sources.emulator.import_(Path(directory))
        return jsonify({"directory": str(directory)})

    @app.get("/api/changes")
    def changes() -> Response:
        return Response(
            hub.stream(stop),
            content_type="text/event-stream",
            headers={"Cache-Control": "no-cache"},
        )

    # -- auth ----------------------------------------------------------------------------------

    @app.get("/api/auth/users")
    def users() -> Any:
        if sources.auth is None:
            return _error(404, "no Auth emulator runs in this stack")
        return jsonify({"users": AuthAccounts(sources.auth, sources.project).users()})

    @app.post("/api/auth/token")
    def token() -> Any:
        uid = str((request.get_json(silent=True) or {}).get("uid", ""))
        if sources.auth is None or not uid:
            return _error(400, 'a token needs {"uid": ...} and an Auth emulator')
        return jsonify(
            {"uid": uid, "token": AuthAccounts(sources.auth, sources.project).token(uid)}
        )

    # -- requests and rules decisions ----------------------------------------------------------

    @app.get("/api/requests")
    def requests_() -> Any:
        if sources.requests is None:
            return jsonify({"requests": []})
        uid = request.args.get("uid", "")
        path = request.args.get("path", "")
        decision = request.args.get("decision", "")
        kept = []
        for entry in reversed(sources.requests.entries()):
            if uid and entry.uid != uid:
                continue
            if path and path not in entry.path:
                continue
            if decision and decision != ("allow" if entry.allowed else "deny"):
                continue
            kept.append(_request_summary(entry))
        return jsonify({"requests": kept, "capacity": sources.requests.capacity})

    @app.get("/api/requests/<int:number>")
    def request_detail(number: int) -> Any:
        entry = sources.requests.find(number) if sources.requests is not None else None
        if entry is None:
            return _error(404, f"request {number} is no longer kept (or never was)")
        return jsonify(_request_detail(entry))

    # -- function runs -------------------------------------------------------------------------

    @app.get("/api/functions")
    def functions() -> Any:
        if sources.codebase is None:
            return jsonify({"functions": []})
        return jsonify(
            {
                "functions": [
                    {"name": name, "kind": f.kind.value, "schedule": f.schedule}
                    for name, f in sorted(sources.codebase.functions.items())
                ]
            }
        )

    @app.get("/api/runs")
    def runs() -> Any:
        if sources.runs is None:
            return jsonify({"runs": []})
        function = request.args.get("function", "")
        document = request.args.get("document", "")
        kept = [
            run.as_json()
            for run in reversed(sources.runs.entries())
            if (not function or run.function == function)
            and (not document or document in run.document)
        ]
        return jsonify({"runs": kept})

    @app.get("/api/runs/<int:number>")
    def run_detail(number: int) -> Any:
        found = sources.runs.find(number) if sources.runs is not None else None
        if found is None:
            return _error(404, f"run {number} is no longer kept (or never was)")
        return jsonify(found.as_json())

    @app.post("/api/schedules/<name>/run")
    def run_schedule(name: str) -> Any:
        if sources.run_schedule is None:
            return _error(404, "no functions run in this stack")
        status, body = sources.run_schedule(name)
        return jsonify({"status": status, "body": body}), (200 if status < 400 else status)

    # -- plots ---------------------------------------------------------------------------------

    @app.get("/api/plots")
    def plots() -> Any:
        database = request.args.get("database", "(default)")
        rendered = []
        for plot in sources.plots:
            documents = [
                (document["name"].rsplit("/", 1)[-1], plain(document.get("fields", {})))
                for document in firestore.all_documents(database, plot.collection)
            ]
            rendered.append(render(plot, documents).as_json())
        return jsonify({"plots": rendered})

    return app, hub


def _index_need(indexes: Path | None, parent: str, query: dict[str, Any]) -> dict[str, Any]:
    """Whether production would refuse the query for a missing index, and what to add."""
    from firelab.server._protos import StructuredQuery

    message = StructuredQuery()
    try:
        json_format.ParseDict(query, message)
        known = IndexFile.read(indexes) if indexes is not None else IndexFile.parse(_EMPTY_INDEXES)
        missing = missing_index(message, known, parent)
    except Exception as error:  # the query itself was refused; the run already said why
        return {"needed": False, "message": f"not checked: {error}"}
    if missing is None:
        return {"needed": False, "message": "production serves this query with existing indexes"}
    return {"needed": True, "message": missing.message()}
