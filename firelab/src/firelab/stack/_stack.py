"""The whole local Firebase stack in one object: Firestore, Storage, Functions and the Auth
emulator.

Order matters: the Firestore server comes up first (functions, seeders and Storage's rules talk
to it), then the Storage server, then the environment variables every Firebase SDK reads are
set for this process (the functions run in-process and their SDK clients read them lazily;
FIREBASE_CONFIG names the default bucket, as the Functions runtime does), then the Auth
emulator, then the local FCM endpoint and the variables that send firebase-admin's messaging
there (after the Auth emulator, so its process never inherits them), then the functions
codebase with its trigger feeds (Firestore and Storage), HTTP host and optional scheduler.
`stop()` undoes it all in reverse, and is safe to call after a partial start.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from firelab._errors import FirelabError
from firelab.console import ConsoleServer, ConsoleSources, Plot
from firelab.functions import (
    FunctionsCodebase,
    FunctionsHost,
    Scheduler,
    TriggerDispatcher,
    load_codebase,
)
from firelab.functions._bridge import connect_triggers
from firelab.functions._discovery import FunctionKind
from firelab.functions._host import run_scheduled
from firelab.functions._runs import RunLog
from firelab.functions._storage_events import connect_storage_triggers
from firelab.messaging import MessagingServer, SentMessage
from firelab.server import FirestoreServer, JudgedRequest, RequestLog
from firelab.server._rules_host import RulesEngineHost
from firelab.server.core import ChangeBatch, Emulator, IndexConfig, Subscription
from firelab.stack._auth_emulator import AuthEmulator, find_firebase_cli
from firelab.stack._query_log import QueryCostLog
from firelab.storage import StorageServer

__all__ = ["LocalStack", "RulesError", "StackConfig"]

logger = logging.getLogger("firelab.stack")


class RulesError(FirelabError, ValueError):
    """The rules file does not compile; the message lists every issue with its position."""


@dataclass(frozen=True, slots=True)
class StackConfig:
    """What to run; paths are resolved by the caller."""

    project: str
    rules: Path | None = None
    indexes: Path | None = None
    """firestore.indexes.json: composite indexes the server maintains and, with
    `enforce_indexes`, requires."""
    enforce_indexes: bool = False
    """Refuse queries production would refuse for a missing index (FAILED_PRECONDITION)."""
    functions_source: Path | None = None
    host: str = "127.0.0.1"
    firestore_port: int = 0
    functions_port: int = 0
    auth: bool = True
    auth_port: int | None = None
    run_schedules: bool = False
    """Run scheduled functions on their schedules (they can always be run on demand)."""
    import_dir: Path | None = None
    export_dir: Path | None = None
    storage: bool = True
    """Run the Storage server (Cloud Storage for Firebase)."""
    storage_rules: Path | None = None
    """storage.rules to enforce; without them every client request is refused, as on the
    emulator (server SDKs are never judged)."""
    storage_port: int = 0
    storage_bucket: str | None = None
    """The default bucket (`<project>.appspot.com` when None)."""
    auth_log: IO[bytes] | None = field(default=None, compare=False)
    query_log: Callable[[str], None] | None = field(default=None, compare=False)
    """Where a line goes for each query that would be slow or expensive in production
    (`QueryCostLog`); None: nowhere."""
    console: bool = False
    """Serve the web console (`firelab.console`) and record what it shows: judged requests with
    their rules traces, and function runs."""
    console_port: int = 0
    console_history: int = 500
    """How many judged requests, and how many function runs, the console keeps (the newest)."""
    console_plots: tuple[Plot, ...] = ()
    """The project's plots on the console's Analytics page (`firelab.console.Series`, …)."""
    messaging: bool = True
    """Serve the local FCM endpoint (`firelab.messaging`) and point this process's
    firebase-admin at it (`HTTPS_PROXY`, `REQUESTS_CA_BUNDLE`, `GOOGLE_APPLICATION_CREDENTIALS`)."""
    messaging_port: int = 0
    messaging_log: Callable[[str], None] | None = field(default=None, compare=False)
    """Where a line goes for each push the functions send (`SentMessage.summary`); None: the
    `firelab.stack` logger only."""


class LocalStack:
    """Start with `start()` (or `with`), stop with `stop()`."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.firestore: FirestoreServer | None = None
        self.storage: StorageServer | None = None
        self.auth: AuthEmulator | None = None
        self.messaging: MessagingServer | None = None
        """The local FCM endpoint: `messaging.messages()` lists what the functions sent."""
        self.codebase: FunctionsCodebase | None = None
        self.dispatcher: TriggerDispatcher | None = None
        self.functions: FunctionsHost | None = None
        self._scheduler: Scheduler | None = None
        self._subscription: Subscription | None = None
        self._storage_subscription: Callable[[], None] | None = None
        self._saved_environment: dict[str, str | None] = {}
        self.console: ConsoleServer | None = None
        self.runs = RunLog(config.console_history, enabled=config.console)
        """Function runs, recorded when the console is on."""
        self.requests: RequestLog | None = None
        """Requests the Firestore rules judged, recorded when the console is on."""
        self._console_resources = ExitStack()

    def start(self, before_functions: Callable[[LocalStack], None] | None = None) -> LocalStack:
        """Start everything; `before_functions` runs once Firestore and Auth are up and before
        any trigger is wired (seed data there, or the functions would react to it)."""
        try:
            self._start_firestore()
            if self.config.storage:
                self._start_storage()
            self._set_environment()
            if self.config.auth:
                cli = find_firebase_cli(Path.cwd())
                self.auth = AuthEmulator(
                    self.config.project,
                    cli=cli,
                    host=self.config.host,
                    port=self.config.auth_port,
                    log=self.config.auth_log,
                ).start()
                self._set("FIREBASE_AUTH_EMULATOR_HOST", self.auth.host)
            if self.config.messaging:
                self._start_messaging()
            if before_functions is not None:
                before_functions(self)
            if self.config.functions_source is not None:
                self._start_functions(self.config.functions_source)
            if self.config.console:
                self._start_console()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_firestore(self) -> None:
        indexes = (
            IndexConfig.from_file(self.config.indexes, enforce=self.config.enforce_indexes)
            if self.config.indexes is not None
            else IndexConfig(enforce=self.config.enforce_indexes)
        )
        server = FirestoreServer(
            host=self.config.host,
            port=self.config.firestore_port,
            emulator=Emulator(
                indexes=indexes,
                query_observer=(
                    QueryCostLog(self.config.query_log) if self.config.query_log else None
                ),
            ),
        )
        if self.config.console and isinstance(server.rules, RulesEngineHost):
            server.rules.request_log = RequestLog(self.config.console_history, enabled=True)
            self.requests = server.rules.request_log
        rules = self.config.rules
        if rules is not None:
            issues = server.rules.load(None, [(rules.name, rules.read_text("utf-8"))])
            if issues:
                lines = [f"{rules}:{i.line}:{i.column}: {i.description}" for i in issues]
                raise RulesError("\n".join(lines))
        if self.config.import_dir is not None and self.config.import_dir.exists():
            server.import_directory(self.config.import_dir)
        self.firestore = server.start()

    @property
    def storage_bucket(self) -> str:
        """The project's default bucket."""
        return self.config.storage_bucket or f"{self.config.project}.appspot.com"

    def _start_storage(self) -> None:
        assert self.firestore is not None
        server = StorageServer(
            host=self.config.host,
            port=self.config.storage_port,
            project=self.config.project,
            firestore_host=self.firestore.address,
        )
        rules = self.config.storage_rules
        if rules is not None:
            issues = server.load_rules(rules.read_text("utf-8"), rules.name)
            if issues:
                lines = [f"{rules}:{i.line}:{i.column}: {i.description}" for i in issues]
                raise RulesError("\n".join(lines))
        if self.config.import_dir is not None and (
            (self.config.import_dir / "storage_export" / "buckets.json").is_file()
        ):
            server.import_directory(self.config.import_dir)
        self.storage = server.start()

    def _set_environment(self) -> None:
        assert self.firestore is not None
        if self.storage is not None:
            self._set("FIREBASE_STORAGE_EMULATOR_HOST", self.storage.address)
            self._set("STORAGE_EMULATOR_HOST", self.storage.url)
        config = {"projectId": self.config.project, "storageBucket": self.storage_bucket}
        self._set("FIREBASE_CONFIG", json.dumps(config))
        # params.STORAGE_BUCKET, the default parameter a trigger may name its bucket with.
        self._set("STORAGE_BUCKET", self.storage_bucket)
        self._set("FIRESTORE_EMULATOR_HOST", self.firestore.address)
        self._set("GOOGLE_CLOUD_PROJECT", self.config.project)
        self._set("GCLOUD_PROJECT", self.config.project)

    def _start_messaging(self) -> None:
        """After the Auth emulator, whose process must not inherit the proxy variables."""
        self.messaging = MessagingServer(
            self.config.project,
            host=self.config.host,
            port=self.config.messaging_port,
            on_message=self._log_push,
        ).start()
        for name, value in self.messaging.environment(os.environ.get("NO_PROXY")).items():
            self._set(name, value)

    def _log_push(self, sent: SentMessage) -> None:
        logger.info("%s", sent.summary())
        if self.config.messaging_log is not None:
            self.config.messaging_log(sent.summary())

    def _start_functions(self, source: Path) -> None:
        assert self.firestore is not None
        self.codebase = load_codebase(source)
        self.dispatcher = TriggerDispatcher(self.codebase, runs=self.runs)
        self._subscription = connect_triggers(self.firestore.emulator, self.dispatcher)
        if self.storage is not None:
            self._storage_subscription = connect_storage_triggers(
                self.storage, self.dispatcher, self.codebase
            )
        self.functions = FunctionsHost(
            self.codebase,
            self.dispatcher,
            project=self.config.project,
            host=self.config.host,
            port=self.config.functions_port,
        )
        self.functions.start()
        if self.config.run_schedules:
            self._scheduler = Scheduler(self.codebase, self.config.project, runs=self.runs)
            self._scheduler.start()

    def _start_console(self) -> None:
        assert self.firestore is not None
        emulator = self.firestore.emulator
        runs = self.runs
        self._console_resources.enter_context(runs.capturing_output())

        def feed_writes(batch: ChangeBatch) -> None:
            if not batch.reset:
                prefix = batch.database.documents_root + "/"
                committed = batch.commit_time.ToDatetime(tzinfo=UTC)
                runs.observe_writes([c.name.removeprefix(prefix) for c in batch.changes], committed)

        self._console_resources.callback(emulator.subscribe(feed_writes).close)
        self.firestore.observe_reads(runs.observe_reads)
        self._console_resources.callback(self.firestore.observe_reads, None)
        links = {"Firestore": self.firestore.address}
        if self.storage is not None:
            links["Storage"] = self.storage.address
        if self.functions is not None:
            links["Functions"] = self.functions.url
        self.console = ConsoleServer(
            ConsoleSources(
                project=self.config.project,
                firestore=self.firestore.address,
                emulator=emulator,
                requests=self.requests,
                runs=runs,
                auth=self.auth.host if self.auth is not None else None,
                codebase=self.codebase,
                run_schedule=self._run_schedule if self.codebase is not None else None,
                indexes=self.config.indexes,
                plots=self.config.console_plots,
                links=links,
            ),
            host=self.config.host,
            port=self.config.console_port,
        ).start()
        if self.requests is not None:
            self.requests.listen(self._log_denial)

    def _log_denial(self, entry: JudgedRequest) -> None:
        """A denied request's wire message stays the emulator's; the log line says where its
        full trace is (pytest shows it with the failing test's captured log)."""
        if not entry.allowed and self.console is not None:
            logger.info(
                "denied %s %s for %s: trace at %s",
                entry.method,
                entry.path,
                entry.uid or "an unauthenticated caller",
                self.console.request_link(entry.id),
            )

    def _run_schedule(self, name: str) -> tuple[int, str]:
        """Run the scheduled function `name` now (the console's button)."""
        function = self.codebase.functions.get(name) if self.codebase is not None else None
        if function is None or function.kind is not FunctionKind.SCHEDULED:
            return 404, f"no scheduled function named {name!r}"
        response = run_scheduled(function, self.config.project, datetime.now(UTC), self.runs)
        return response.status_code, response.get_data(as_text=True)

    def _set(self, name: str, value: str) -> None:
        self._saved_environment.setdefault(name, os.environ.get(name))
        os.environ[name] = value

    def stop(self) -> None:
        """Stop everything started, newest first; export Firestore data if configured."""
        if self.console is not None:
            self.console.stop()
            self.console = None
        self._console_resources.close()
        if self._scheduler is not None:
            self._scheduler.stop()
            self._scheduler = None
        if self._subscription is not None:
            self._subscription.close()
            self._subscription = None
        if self._storage_subscription is not None:
            self._storage_subscription()
            self._storage_subscription = None
        if self.functions is not None:
            self.functions.stop()
            self.functions = None
        if self.dispatcher is not None:
            self.dispatcher.close()
            self.dispatcher = None
        if self.messaging is not None:
            self.messaging.stop()
            self.messaging = None
        if self.auth is not None:
            self.auth.stop()
            self.auth = None
        if self.storage is not None:
            if self.config.export_dir is not None:
                self.storage.export_directory(self.config.export_dir)
            self.storage.stop()
            self.storage = None
        if self.firestore is not None:
            if self.config.export_dir is not None:
                self.firestore.export_directory(self.config.export_dir)
            self.firestore.stop()
            self.firestore = None
        for name, value in self._saved_environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved_environment.clear()

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def describe(self) -> str:
        """What runs where and how to connect, for people."""
        rows: list[tuple[str, str, str]] = []
        if self.firestore is not None:
            rows.append(
                (
                    "Firestore",
                    self.firestore.address,
                    f"FIRESTORE_EMULATOR_HOST={self.firestore.address}",
                )
            )
        if self.storage is not None:
            rows.append(
                (
                    "Storage",
                    self.storage.address,
                    f"FIREBASE_STORAGE_EMULATOR_HOST={self.storage.address} "
                    f"STORAGE_EMULATOR_HOST={self.storage.url} (bucket {self.storage_bucket})",
                )
            )
        if self.auth is not None:
            rows.append(("Auth", self.auth.host, f"FIREBASE_AUTH_EMULATOR_HOST={self.auth.host}"))
        if self.messaging is not None:
            rows.append(
                (
                    "Messaging",
                    f"{self.messaging.host}:{self.messaging.port}",
                    f"FCM v1 sends from this process; sent pushes at {self.messaging.url}/messages",
                )
            )
        if self.console is not None:
            rows.append(("Console", f"{self.console.host}:{self.console.port}", self.console.url))
        if self.functions is not None:
            rows.append(
                (
                    "Functions",
                    f"{self.functions.host}:{self.functions.port}",
                    f"{self.functions.url}/{self.config.project}/us-central1/<name>",
                )
            )
        width = max(len(r[0]) for r in rows) if rows else 0
        host_width = max(len(r[1]) for r in rows) if rows else 0
        lines = [f"  {name:<{width}}  {where:<{host_width}}  {how}" for name, where, how in rows]
        return f"project {self.config.project}\n" + "\n".join(lines)
