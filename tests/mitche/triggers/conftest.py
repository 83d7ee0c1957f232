"""Trigger tests: the decorated functions of `functions/main.py`, loaded as the Firebase CLI
loads them, receive real CloudEvents (protobuf `DocumentEventData`) for documents stored in an
in-process firelab Firestore server. Events are delivered by hand, so a test can deliver the
same event twice or two events at once; the functions' own writes fire nothing here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import firebase_admin
import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from google.protobuf.message import Message

from firelab.functions import FunctionsCodebase, load_codebase, make_document_event
from firelab.server import FirestoreServer
from firelab.server.core import Emulator
from mitche.handlers import default_deps
from mitche.models import MitcheModel
from mitche.services import to_document

PROJECT = "demo-mitche-triggers"
FUNCTIONS = Path(__file__).parents[3] / "functions"
WRITTEN = "google.cloud.firestore.document.v1.written"


@dataclass
class RecordingAccounts:
    """`Accounts` kept in memory: the claims each member would have, and revocations."""

    claims: dict[str, dict[str, Any]] = field(default_factory=dict)
    revoked: list[str] = field(default_factory=list)

    def set_claims(self, uid: str, claims: Mapping[str, Any]) -> bool:
        self.claims[uid] = dict(claims)
        return True

    def revoke_sessions(self, uid: str) -> bool:
        self.revoked.append(uid)
        return True


@pytest.fixture(scope="session")
def server() -> Iterator[FirestoreServer]:
    """One local Firestore server for the trigger tests (short lock waits, so contention
    tests stay fast)."""
    with FirestoreServer(port=0, emulator=Emulator(lock_timeout=0.3)) as running:
        yield running


@pytest.fixture(scope="session")
def codebase(server: FirestoreServer) -> FunctionsCodebase:
    """The functions of `functions/main.py`."""
    return load_codebase(FUNCTIONS)


@pytest.fixture(autouse=True, scope="module")
def fresh_default_app() -> Iterator[None]:
    """The SDK creates firebase_admin's default app on the first event; each module starts
    and ends without one, so no project leaks between modules."""
    _delete_default_app()
    yield
    _delete_default_app()


def _delete_default_app() -> None:
    app = firebase_admin._apps.get(firebase_admin._DEFAULT_APP_NAME)
    if app is not None:
        firebase_admin.delete_app(app)


NOW = dt.datetime(2026, 11, 25, 0, 30, tzinfo=dt.UTC)
"""The clock of the functions in these tests: just after the tests' day (T0) ended."""


@pytest.fixture
def accounts() -> Iterator[RecordingAccounts]:
    """The deployed dependencies, with Authentication kept in memory, settings re-read and
    the clock at `NOW`."""
    deps = default_deps()
    saved = deps.accounts, deps.now
    recording = RecordingAccounts()
    deps.accounts = recording
    deps.now = lambda: NOW
    deps.settings.invalidate()
    yield recording
    deps.accounts, deps.now = saved
    deps.settings.invalidate()


class Store:
    """The test's view of the database: write documents, read them back, build events."""

    def __init__(self, server: FirestoreServer, codebase: FunctionsCodebase) -> None:
        self.server = server
        self.codebase = codebase
        self.client = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
        self.database = server.emulator.database(PROJECT)

    def put(self, path: str, value: MitcheModel | Mapping[str, Any]) -> Message:
        """Store a document; its stored protobuf, as a trigger would see it."""
        data = to_document(value, self.client) if isinstance(value, MitcheModel) else dict(value)
        self.client.document(path).set(data)
        return self.proto(path)

    def proto(self, path: str) -> Message:
        document = self.database.lookup(f"{self.database_root}/{path}")
        assert document is not None, path
        return document

    @property
    def database_root(self) -> str:
        return f"projects/{PROJECT}/databases/(default)/documents"

    def get(self, path: str) -> dict[str, Any] | None:
        snapshot = self.client.document(path).get()
        return snapshot.to_dict() if snapshot.exists else None

    def ids(self, collection: str) -> list[str]:
        return sorted(doc.id for doc in self.client.collection(collection).list_documents())

    def event(
        self,
        path: str,
        before: Message | None,
        after: Message | None,
        *,
        event_id: str = "evt-1",
        at: dt.datetime,
    ) -> Any:
        return make_document_event(
            event_type=WRITTEN,
            project=PROJECT,
            database="(default)",
            document=path,
            before=before,
            after=after,
            time=at,
            event_id=event_id,
        )

    def deliver(self, function: str, event: Any) -> None:
        """Hand a CloudEvent to a decorated function, as the runtime does."""
        self.codebase.functions[function].handler(event)


@pytest.fixture
def store(
    server: FirestoreServer,
    codebase: FunctionsCodebase,
    accounts: RecordingAccounts,
    monkeypatch: pytest.MonkeyPatch,
) -> Store:
    """An empty database, the variables the Functions runtime sets pointing at it (for this
    test only), and the functions to deliver events to."""
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", server.address)
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", PROJECT)
    monkeypatch.setenv("GCLOUD_PROJECT", PROJECT)
    server.emulator.database(PROJECT).clear()
    return Store(server, codebase)
