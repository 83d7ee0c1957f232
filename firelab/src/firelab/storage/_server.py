"""`StorageServer`: the object store, both APIs, the emulator endpoints and the port, as one
object that starts and stops together.

Requests are routed as the official emulator routes them: `/internal/...` (its own
endpoints), `/v0/...` (the Firebase API, rules enforced), everything else to the Cloud
Storage JSON API (no rules). `stop()` closes every connection and joins every thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from firelab.rules import DocumentLookup
from firelab.storage._access import RulesIssue, StorageRules
from firelab.storage._admin import AdminEndpoints
from firelab.storage._cloud_api import CloudApi
from firelab.storage._firebase_api import FirebaseApi
from firelab.storage._firestore_lookup import FirestoreRestDocuments
from firelab.storage._http import HttpServer, Request, Response
from firelab.storage._persistence import export_store, import_store
from firelab.storage._store import ObjectChange, ObjectStore
from firelab.storage._uploads import UploadSessions

__all__ = ["StorageServer", "default_bucket"]


def default_bucket(project: str) -> str:
    """The bucket a project's apps use when none is named (`<project>.appspot.com`, what
    firebase-tools puts in FIREBASE_CONFIG for emulated functions)."""
    return f"{project}.appspot.com"


class StorageServer:
    """A local Cloud Storage for Firebase server."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        project: str = "demo-firelab",
        firestore_host: str | None = None,
        documents: DocumentLookup | None = None,
    ) -> None:
        """`firestore_host` (host:port) serves `firestore.get()`/`exists()` in the rules;
        `documents` may serve them instead (in-process)."""
        self.host = host
        self.project = project
        self.store = ObjectStore()
        if documents is None and firestore_host is not None:
            documents = FirestoreRestDocuments(firestore_host, project)
        self.rules = StorageRules(documents)
        self._uploads = UploadSessions()
        self._admin = AdminEndpoints(self.rules, self.reset, self.export_directory)
        self._firebase = FirebaseApi(self.store, self.rules, self._uploads)
        self._cloud = CloudApi(self.store, self._uploads, default_bucket(project))
        self._http = HttpServer(host, port, self._route)
        self._shutdown = threading.Event()
        self._started = False
        self._stopped = False

    def _route(self, request: Request) -> Response:
        answer = self._admin.handle(request)
        if answer is None:
            answer = self._firebase.handle(request)
        if answer is None:
            answer = self._cloud.handle(request)
        return answer

    # Lifecycle --------------------------------------------------------------------------

    def start(self) -> StorageServer:
        """Start serving (the port already accepts connections when this returns)."""
        self._http.start()
        self._started = True
        return self

    def stop(self) -> None:
        """Close every connection and join the server's threads (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        self._shutdown.set()
        self._http.stop()

    def request_shutdown(self) -> None:
        """Ask the process running the server to stop it."""
        self._shutdown.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until `stop()` or `request_shutdown()`; False if `timeout` passed first."""
        return self._shutdown.wait(timeout)

    def __enter__(self) -> StorageServer:
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
        """The port it listens on."""
        return self._http.port

    @property
    def address(self) -> str:
        """`host:port`, the value for FIREBASE_STORAGE_EMULATOR_HOST."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def url(self) -> str:
        """`http://host:port`, the value for STORAGE_EMULATOR_HOST."""
        return f"http://{self.address}"

    @property
    def default_bucket(self) -> str:
        """The project's default bucket name."""
        return default_bucket(self.project)

    # Rules and data ---------------------------------------------------------------------

    def load_rules(self, source: str, name: str = "storage.rules") -> list[RulesIssue]:
        """Compile and install rules for every bucket; the issues (nothing changes if any)."""
        return self.rules.load([(name, source, None)])

    def subscribe(self, subscriber: Callable[[ObjectChange], None]) -> Callable[[], None]:
        """Feed every object change to `subscriber`; returns the unsubscribe call."""
        return self.store.subscribe(subscriber)

    def reset(self) -> None:
        """Forget every bucket, object and upload session (rules stay loaded)."""
        self.store.clear()
        self._uploads.clear()

    def export_directory(self, directory: Path) -> Path:
        """Write every object to `directory/storage_export`; returns that folder."""
        return export_store(self.store, directory)

    def import_directory(self, directory: Path) -> int:
        """Load an export (ours or the official emulator's); the number of objects."""
        return import_store(self.store, directory)
