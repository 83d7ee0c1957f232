"""`FirestoreServer`: the core, the gRPC service, the HTTP surface and the public port, started
and stopped as one object.

grpc.aio runs in its own thread with its own event loop on a loopback port only the front door
connects to; the front door owns the public port (see `_frontdoor`). `stop()` closes every
connection, stops grpcio and joins every thread it started, so a test session leaks nothing.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

import grpc.aio

from firelab.server._access import AccessControl, AccessPolicy
from firelab.server._admin_http import AdminEndpoints, RulesHost
from firelab.server._api import FirestoreApi
from firelab.server._frontdoor import FrontDoor, ProcessFrontDoor
from firelab.server._grpc_service import SERVICES, FirestoreService
from firelab.server._http_app import HttpApp
from firelab.server._listen import ListenHub
from firelab.server._rest import RestApi
from firelab.server._rules_host import RulesEngineHost
from firelab.server._webchannel import WebChannel
from firelab.server.core import Emulator

__all__ = ["FirestoreServer"]

MAX_MESSAGE_BYTES = 100 * 1024 * 1024
"""The official emulator's largest gRPC message (grpc_settings.json)."""

_GRPC_OPTIONS = [
    ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
    ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
    # Clients that ping idle connections (the iOS SDK) stay connected, as in production.
    ("grpc.keepalive_permit_without_calls", 1),
    ("grpc.http2.max_ping_strikes", 0),
    ("grpc.http2.min_ping_interval_without_data_ms", 1000),
    ("grpc.so_reuseport", 0),
]


class FirestoreServer:
    """A local Firestore server: gRPC, REST and the emulator endpoints on one port."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        emulator: Emulator | None = None,
        policy: AccessPolicy | None = None,
        rules_host: RulesHost | None = None,
        workers: int = 32,
        relay_process: bool | None = None,
    ) -> None:
        self.host = host
        self._relay_process = (
            ProcessFrontDoor.supported() if relay_process is None else relay_process
        )
        self.emulator = emulator if emulator is not None else Emulator()
        self.access = AccessControl(policy) if policy is not None else AccessControl()
        self.rules: RulesHost = (
            rules_host if rules_host is not None else RulesEngineHost(self.access)
        )
        self._requested_port = port
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="firelab-worker")
        self._api = FirestoreApi(self.emulator, self.access)
        self._listen = ListenHub(self.emulator, self.access)
        self._shutdown_requested = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._loop_thread = threading.Thread(
            target=self._loop.run_forever, name="firelab-grpc", daemon=True
        )
        self._grpc: grpc.aio.Server | None = None
        self._grpc_port = 0
        self._front: FrontDoor | ProcessFrontDoor | None = None
        self._webchannel = WebChannel(self._api, self._listen, self._loop, self._executor)
        self._stopped = False

    def observe_reads(self, observer: Callable[[int], None] | None) -> None:
        """Report the document reads billed to each server-SDK (owner) read request, or stop
        with None (the local stack's console counts function runs' reads with it)."""
        self._api.read_observer = observer

    # Lifecycle --------------------------------------------------------------------------

    def start(self) -> FirestoreServer:
        """Start serving; returns once the port accepts connections."""
        self._loop_thread.start()
        future = asyncio.run_coroutine_threadsafe(self._start_grpc(), self._loop)
        self._grpc_port = future.result()
        admin = AdminEndpoints(self.emulator, self.rules, self._shutdown_requested.set)
        app = HttpApp(admin, RestApi(self._api), self._webchannel)
        door = ProcessFrontDoor if self._relay_process else FrontDoor
        self._front = door(
            self.host, self._requested_port, ("127.0.0.1", self._grpc_port), app.serve
        )
        self._front.start()
        return self

    async def _start_grpc(self) -> int:
        server = grpc.aio.server(options=_GRPC_OPTIONS)
        service = FirestoreService(self._api, self._listen, self._executor)
        server.add_generic_rpc_handlers(tuple(service.handler(name) for name in SERVICES))
        port: int = server.add_insecure_port("127.0.0.1:0")
        await server.start()
        self._grpc = server
        return port

    def stop(self, grace: float = 0.5) -> None:
        """Close every connection, stop grpcio and join the server's threads (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        self._shutdown_requested.set()
        if self._loop_thread.is_alive():
            # Before the front door joins its threads: back channels wait on their sessions.
            self._webchannel.close()
        if self._front is not None:
            self._front.stop()
        if self._grpc is not None:
            stopping = asyncio.run_coroutine_threadsafe(self._grpc.stop(grace), self._loop)
            stopping.result()
        if self._loop_thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._loop_thread.join()
        self._loop.close()
        self._executor.shutdown(wait=True, cancel_futures=True)

    def request_shutdown(self) -> None:
        """Ask the process running the server to stop it (what `POST /shutdown` does)."""
        self._shutdown_requested.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until `POST /shutdown` (or `stop()`); False if `timeout` passed first."""
        return self._shutdown_requested.wait(timeout)

    def on_shutdown_request(self, callback: Callable[[], None]) -> None:
        """Run `callback` in a new thread when `POST /shutdown` arrives."""

        def watch() -> None:
            self._shutdown_requested.wait()
            if not self._stopped:
                callback()

        threading.Thread(target=watch, name="firelab-shutdown", daemon=True).start()

    def __enter__(self) -> FirestoreServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # Addresses --------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The public port (gRPC and HTTP)."""
        assert self._front is not None, "start() the server first"
        return self._front.port

    @property
    def address(self) -> str:
        """`host:port`, the value for FIRESTORE_EMULATOR_HOST."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def grpc_address(self) -> str:
        """The internal grpcio port, without the front door (gRPC only; for benchmarks)."""
        return f"127.0.0.1:{self._grpc_port}"

    # Data -------------------------------------------------------------------------------

    def import_directory(self, directory: Path) -> None:
        """Load an export into the emulator."""
        self.emulator.import_(directory)

    def export_directory(self, directory: Path) -> None:
        """Write every database to `directory`."""
        directory.mkdir(parents=True, exist_ok=True)
        self.emulator.export(directory)
