"""Serve a codebase's HTTP-facing functions like the Functions emulator does.

`POST /{project}/{region}/{name}` calls a callable (`https_fn.on_call`) with the caller's
`Authorization: Bearer <ID token>`, or an `on_request` function (any method, any sub-path), or
runs a scheduled function now. Control endpoints under `/__firelab/` let tests and commands wait
for trigger deliveries, list functions and run schedules.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import firebase_admin
from flask import Flask, Response, jsonify, request
from werkzeug.serving import BaseWSGIServer, make_server

from firelab.functions._delivery import TriggerDispatcher
from firelab.functions._discovery import DiscoveredFunction, FunctionKind, FunctionsCodebase
from firelab.functions._runs import RunLog
from firelab.functions._schedule import parse_schedule

__all__ = ["FunctionsHost", "Scheduler", "run_scheduled"]

logger = logging.getLogger("firelab.functions")
_REQUEST_CONTEXT_APP = Flask("firelab.scheduler")
"""Only builds request objects for scheduled runs; serves nothing."""


def run_scheduled(
    function: DiscoveredFunction, project: str, when: datetime, runs: RunLog | None = None
) -> Response:
    """Invoke a scheduled function as Cloud Scheduler would at `when` (recorded in `runs`)."""
    if runs is not None and runs.enabled:
        with runs.run(function.name, FunctionKind.SCHEDULED.value) as run:
            runs.attempt(run)
            response = run_scheduled(function, project, when)
            if response.status_code >= 400 and run is not None:
                run.outcome = "error"
                run.error = f"HTTP {response.status_code}: {response.get_data(as_text=True)}"
        return response
    headers = {
        "X-CloudScheduler-JobName": f"firebase-schedule-{function.name}-us-central1",
        "X-CloudScheduler-ScheduleTime": when.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    }
    path = f"/{project}/us-central1/{function.name}"
    with _REQUEST_CONTEXT_APP.test_request_context(path, "POST", headers=headers):
        result: Response = function.handler(request)
    return result


class Scheduler:
    """Runs scheduled functions on their schedules, in one background thread."""

    def __init__(
        self,
        codebase: FunctionsCodebase,
        project: str,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        runs: RunLog | None = None,
    ) -> None:
        self._project = project
        self._runs = runs
        self._clock = clock
        self._jobs = [
            (f, parse_schedule(f.schedule or "", f.time_zone))
            for f in codebase.of_kind(FunctionKind.SCHEDULED)
        ]
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="firelab-scheduler", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        now = self._clock()
        due = {f.name: s.next_after(now) for f, s in self._jobs}
        while not self._stop.is_set():
            now = self._clock()
            for function, schedule in self._jobs:
                if due[function.name] <= now:
                    response = run_scheduled(
                        function, self._project, due[function.name], self._runs
                    )
                    if response.status_code >= 400:
                        logger.error("scheduled function %s failed", function.name)
                    due[function.name] = schedule.next_after(now)
            wait = min((d - self._clock()).total_seconds() for d in due.values()) if due else 60
            self._stop.wait(max(0.05, min(wait, 60.0)))

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


class FunctionsHost:
    """The HTTP server for callables, HTTP functions, schedules and the control endpoints."""

    def __init__(
        self,
        codebase: FunctionsCodebase,
        dispatcher: TriggerDispatcher,
        *,
        project: str,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.codebase = codebase
        self.dispatcher = dispatcher
        self.project = project
        self.runs = dispatcher.runs
        self.app = self._make_app()
        self._server: BaseWSGIServer = make_server(host, port, self.app, threaded=True)
        self.host, self.port = host, int(self._server.server_port)
        self._thread: threading.Thread | None = None
        self._default_app: firebase_admin.App | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        self._default_app = _claim_default_app(self.project)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="firelab-functions-http", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if firebase_admin._apps.get(firebase_admin._DEFAULT_APP_NAME) is self._default_app:
            firebase_admin.delete_app(self._default_app)

    def _make_app(self) -> Flask:
        app = Flask("firelab.functions")

        @app.get("/__firelab/functions")
        def list_functions() -> Any:
            return jsonify(
                {
                    name: {
                        "kind": f.kind.value,
                        "eventType": f.event_type,
                        "document": f.document_pattern and f.document_pattern.pattern,
                        "schedule": f.schedule,
                    }
                    for name, f in sorted(self.codebase.functions.items())
                }
            )

        @app.post("/__firelab/idle")
        def wait_idle() -> Any:
            timeout = float(request.args.get("timeout", "30"))
            idle = self.dispatcher.wait_idle(timeout)
            body = {"idle": idle, "pending": self.dispatcher.pending}
            return jsonify(body), (200 if idle else 504)

        @app.get("/__firelab/failures")
        def failures() -> Any:
            return jsonify([_failure(f) for f in self.dispatcher.failures])

        @app.post("/__firelab/schedules/<name>:run")
        def run_schedule(name: str) -> Any:
            function = self.codebase.functions.get(name)
            if function is None or function.kind is not FunctionKind.SCHEDULED:
                return jsonify({"error": f"no scheduled function named {name!r}"}), 404
            return run_scheduled(function, self.project, datetime.now(UTC), self.runs)

        @app.route(
            "/<project>/<region>/<name>",
            methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            defaults={"rest": ""},
        )
        @app.route(
            "/<project>/<region>/<name>/<path:rest>",
            methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        )
        def invoke(project: str, region: str, name: str, rest: str) -> Any:
            function = self.codebase.functions.get(name)
            if project != self.project or function is None:
                return jsonify({"error": f"function {project}/{region}/{name} does not exist"}), 404
            if function.kind in (FunctionKind.CALLABLE, FunctionKind.HTTPS):
                _ensure_default_app()
                if not self.runs.enabled:
                    return function.handler(request)
                with self.runs.run(function.name, function.kind.value) as run:
                    self.runs.attempt(run)
                    response = function.handler(request)
                    status = getattr(response, "status_code", 200)
                    if status >= 400 and run is not None:
                        run.outcome = "error"
                        run.error = f"HTTP {status}: {response.get_data(as_text=True)[:2000]}"
                return response
            if function.kind is FunctionKind.SCHEDULED:
                return run_scheduled(function, self.project, datetime.now(UTC), self.runs)
            return jsonify({"error": f"{name} is a {function.kind} function, not HTTP"}), 400

        return app


def _claim_default_app(project: str) -> firebase_admin.App:
    """The functions run in this process, where the runtime would give them a default Admin
    app of their own project. One left by an earlier host (another project, or an Auth emulator
    that has stopped) is replaced, so this host's functions verify tokens and set claims where
    this host's project runs."""
    previous = firebase_admin._apps.get(firebase_admin._DEFAULT_APP_NAME)
    if previous is not None:
        firebase_admin.delete_app(previous)
    return firebase_admin.initialize_app(options={"projectId": project})


def _ensure_default_app() -> None:
    """Callables verify ID tokens with the default Admin app, as the runtime provides one."""
    if firebase_admin._DEFAULT_APP_NAME not in firebase_admin._apps:
        firebase_admin.initialize_app()


def _failure(failure: Any) -> dict[str, Any]:
    return {
        "function": failure.function,
        "eventId": failure.event_id,
        "document": failure.document,
        "attempts": failure.attempts,
        "error": failure.error,
    }
