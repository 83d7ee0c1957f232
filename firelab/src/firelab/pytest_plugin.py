"""pytest fixtures for code that talks to Firestore: one server per session, clients per role.

The session uses the server named by `FIRESTORE_EMULATOR_HOST` when it is set (the official
emulator on a machine that has it), and otherwise starts a local `firelab.server` on a free
port and points `FIRESTORE_EMULATOR_HOST` at it for the session.

Fixtures:

- `firestore_server`: the session's server (`host`, `project`, `clear()`, `load_rules()`).
- `firestore_project`: the project ID (`--firestore-project`, ini `firestore_project`,
  default `demo-firelab`).
- `firestore_clear`: deletes every document of the project's default database before the
  test; make it autouse with `pytestmark = pytest.mark.usefixtures("firestore_clear")`.
- `owner_client`, `anonymous_client`, `user_client(uid, **claims)`: google-cloud-firestore
  clients acting as an administrator (rules bypassed), as a signed-out visitor and as a signed-in
  end user whose claims are `request.auth.token`; `owner_async_client`,
  `anonymous_async_client` and `user_async_client` are their AsyncClient twins.
- `firebase_admin_app` / `admin_firestore`: a firebase-admin app for the project and its
  Firestore client (an administrator).
- `functions_host`: the functions codebase named by `--functions-source` (ini
  `functions_source`), run in this process against the session's server: its Firestore
  triggers fire after each commit, its callables answer at `functions_host.url`, and
  `functions_host.wait_idle()` returns once every trigger queued so far has run.
- `messaging_server`: a local FCM endpoint (`firelab.messaging.MessagingServer`) for the
  session, with this process's environment pointing firebase-admin's `messaging` at it:
  `messages()` lists what was sent, `unregister(token)` makes FCM answer UNREGISTERED.

Rules named by `--firestore-rules` (a path relative to the current directory) or the ini
option `firestore_rules` (relative to the rootdir) are loaded into the server at the start of
the session; rules that do not compile fail the session with `AdminRequestError`.

How user clients carry their token: in emulator mode google-cloud-firestore always sends
`authorization: Bearer owner`. A user client is therefore created in normal mode, through its
public `credentials` and `client_options.api_endpoint`, against a local TLS entrance that relays
to the server (`UserClients`, usable outside pytest too); its credentials' `apply()` writes
the user's unsigned JWT into the `authorization` metadata of every call.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import firebase_admin
import firebase_admin.credentials
import firebase_admin.firestore
import pytest
import pytest_asyncio
from google.auth.credentials import Credentials
from google.cloud import firestore

from firelab._errors import FirelabError
from firelab.functions import DeliveryFailure, FunctionsHost, TriggerDispatcher, load_codebase
from firelab.functions._bridge import connect_triggers
from firelab.messaging import MessagingServer
from firelab.server import FirestoreServer, UserClients, UserTokenCredentials
from firelab.server._user_clients import EMULATOR_HOST, anonymous_credentials
from firelab.tokens import mock_id_token

__all__ = [
    "DEFAULT_PROJECT",
    "AdminRequestError",
    "FirestoreTestServer",
    "FunctionsIdleError",
    "FunctionsTestHost",
    "admin_firestore",
    "anonymous_async_client",
    "anonymous_client",
    "firebase_admin_app",
    "firestore_clear",
    "firestore_project",
    "firestore_server",
    "functions_host",
    "messaging_server",
    "owner_async_client",
    "owner_client",
    "pytest_addoption",
    "user_async_client",
    "user_client",
    "user_credentials",
]

DEFAULT_PROJECT = "demo-firelab"

pytest_plugins = ["firelab.storage._fixtures"]
"""The Cloud Storage fixtures (`storage_server`, `storage_clear`, `storage_bucket`)."""


class AdminRequestError(FirelabError, RuntimeError):
    """The session's server refused an administration request (clearing data, loading rules);
    the message carries its HTTP status and answer."""


def user_credentials(token: str) -> Credentials:
    """Credentials sending `token` as the caller's ID token.

    google-cloud-firestore ignores credentials in emulator mode, so a client made with these
    acts as that user only outside it: use `UserClients` (or the `user_client` fixture), which
    points the client at a TLS entrance to the server.
    """
    return UserTokenCredentials(token)


def pytest_addoption(parser: pytest.Parser) -> None:
    """The plugin's options: each is an ini option, and a command-line option that overrides it
    for one run (a rules path given there is relative to the current directory, in the ini
    file to the rootdir)."""
    group = parser.getgroup("firelab", "Firestore fixtures (firelab)")
    group.addoption(
        "--firestore-project",
        metavar="ID",
        help=f"project ID the Firestore fixtures use (ini firestore_project; {DEFAULT_PROJECT})",
    )
    group.addoption(
        "--firestore-rules",
        metavar="PATH",
        help="firestore.rules loaded for the test session (ini firestore_rules)",
    )
    group.addoption(
        "--functions-source",
        metavar="PATH",
        help="functions codebase (its main.py) functions_host runs (ini functions_source)",
    )
    parser.addini("firestore_project", "project ID the Firestore fixtures use", default="")
    parser.addini("functions_source", "functions codebase functions_host runs", default="")
    parser.addini("firestore_rules", "firestore.rules loaded for the test session", default="")


class _EmulatorCredential(firebase_admin.credentials.Base):  # type: ignore[misc]
    """firebase-admin credential for emulator use: no Google account needed."""

    def get_credential(self) -> Credentials:
        """Anonymous google-auth credentials."""
        return anonymous_credentials()


@dataclass
class FirestoreTestServer:
    """The session's Firestore server, as tests see it."""

    host: str
    """`host:port`, as in FIRESTORE_EMULATOR_HOST."""
    project: str
    users: UserClients
    """Where user clients come from (a TLS entrance to the server)."""
    local: FirestoreServer | None = None
    """The in-process server, None when FIRESTORE_EMULATOR_HOST named another one."""

    def request(
        self, method: str, path: str, body: bytes | None = None, *, owner: bool = True
    ) -> tuple[int, bytes]:
        """One HTTP request to the server; (status, body)."""
        connection = http.client.HTTPConnection(self.host, timeout=30)
        try:
            headers = {"Authorization": "Bearer owner"} if owner else {}
            if body is not None:
                headers["Content-Type"] = "application/json"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def clear(self, database: str = "(default)", *, project: str | None = None) -> None:
        """Delete every document of one database of the project (or of `project`)."""
        path = f"/emulator/v1/projects/{project or self.project}/databases/{database}/documents"
        status, body = self.request("DELETE", path)
        if status != 200:
            raise AdminRequestError(f"clearing Firestore failed: {status} {body!r}")

    def load_rules(
        self, source: str, name: str = "firestore.rules", *, project: str | None = None
    ) -> None:
        """Load Security Rules for the project (or `project`); a file with errors fails."""
        payload = json.dumps({"rules": {"files": [{"name": name, "content": source}]}})
        status, body = self.request(
            "PUT",
            f"/emulator/v1/projects/{project or self.project}:securityRules",
            payload.encode(),
        )
        issues = json.loads(body or b"{}").get("issues") if status == 200 else None
        if status != 200 or issues:
            raise AdminRequestError(
                f"loading rules failed: {status} {body.decode(errors='replace')}"
            )

    # Clients ----------------------------------------------------------------------------

    def owner_client(self, *, asynchronous: bool = False, project: str | None = None) -> Any:
        """A client in emulator mode: `Bearer owner`, rules bypassed."""
        kind = firestore.AsyncClient if asynchronous else firestore.Client
        with self.emulator_environment():
            return kind(project=project or self.project, credentials=anonymous_credentials())

    @contextlib.contextmanager
    def emulator_environment(self) -> Iterator[None]:
        """FIRESTORE_EMULATOR_HOST names this server while a client is made (clients read it
        once, when made). The session sets it too, but a test's own monkeypatch that was active
        when the session began restores the value it saw, so clients never rely on that."""
        saved = os.environ.get(EMULATOR_HOST)
        os.environ[EMULATOR_HOST] = self.host
        try:
            yield
        finally:
            if saved is None:
                os.environ.pop(EMULATOR_HOST, None)
            else:
                os.environ[EMULATOR_HOST] = saved

    def user_client(
        self,
        uid: str | None,
        claims: dict[str, Any] | None = None,
        *,
        asynchronous: bool = False,
        project: str | None = None,
    ) -> Any:
        """A client acting as end user `uid` (None: signed out), through the TLS entrance."""
        project = project or self.project
        token = None
        if uid is not None:
            token = mock_id_token(uid, project=project, **(claims or {}))
        return self.users.client(project, token, asynchronous=asynchronous)


def _ini(config: pytest.Config, name: str) -> str:
    """An ini option of the plugin; empty when the plugin's options are not registered (its
    fixtures imported by a conftest rather than the plugin loaded)."""
    try:
        value = config.getini(name)
    except ValueError:
        return ""
    return value if isinstance(value, str) else ""


def _project(config: pytest.Config) -> str:
    """`--firestore-project`, else the ini option, else the default."""
    given = config.getoption("firestore_project", default=None)
    return str(given or _ini(config, "firestore_project") or DEFAULT_PROJECT)


def _rules_path(config: pytest.Config) -> Path | None:
    """`--firestore-rules` (from the current directory), else the ini option (from the rootdir)."""
    given = config.getoption("firestore_rules", default=None)
    if given:
        return Path(config.invocation_params.dir, str(given))
    configured = _ini(config, "firestore_rules")
    return Path(config.rootpath, configured) if configured else None


@pytest.fixture(scope="session")
def firestore_server(
    pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FirestoreTestServer]:
    """The session's Firestore server (external when FIRESTORE_EMULATOR_HOST is set)."""
    project = _project(pytestconfig)
    external = os.environ.get(EMULATOR_HOST)
    local: FirestoreServer | None = None
    if external:
        host = external
    else:
        local = FirestoreServer(port=0).start()
        host = local.address
    users = UserClients(host).start()
    patch = pytest.MonkeyPatch()
    patch.setenv(EMULATOR_HOST, host)
    server = FirestoreTestServer(host=host, project=project, users=users, local=local)
    try:
        rules = _rules_path(pytestconfig)
        if rules is not None:
            server.load_rules(rules.read_text("utf-8"), rules.name)
        yield server
    finally:
        patch.undo()
        users.close()
        if local is not None:
            local.stop()


@pytest.fixture(scope="session")
def firestore_project(firestore_server: FirestoreTestServer) -> str:
    """The project ID every Firestore fixture uses."""
    return firestore_server.project


@pytest.fixture
def firestore_clear(firestore_server: FirestoreTestServer) -> None:
    """Start the test with an empty default database."""
    firestore_server.clear()


@pytest.fixture
def owner_client(firestore_server: FirestoreTestServer) -> Any:
    """A google-cloud-firestore Client acting as an administrator (rules bypassed)."""
    return firestore_server.owner_client()


@pytest.fixture
def anonymous_client(firestore_server: FirestoreTestServer) -> Any:
    """A Client acting as a signed-out visitor (`request.auth == null`)."""
    return firestore_server.user_client(None)


@pytest.fixture
def user_client(firestore_server: FirestoreTestServer) -> Callable[..., Any]:
    """A factory: `user_client("alice", admin=True)` acts as alice with those claims."""

    def make(uid: str, **claims: Any) -> Any:
        return firestore_server.user_client(uid, claims)

    return make


@pytest_asyncio.fixture
async def owner_async_client(firestore_server: FirestoreTestServer) -> AsyncIterator[Any]:
    """An AsyncClient acting as an administrator."""
    yield firestore_server.owner_client(asynchronous=True)


@pytest_asyncio.fixture
async def anonymous_async_client(firestore_server: FirestoreTestServer) -> AsyncIterator[Any]:
    """An AsyncClient acting as a signed-out visitor."""
    yield firestore_server.user_client(None, asynchronous=True)


@pytest.fixture
def user_async_client(firestore_server: FirestoreTestServer) -> Callable[..., Any]:
    """A factory of AsyncClients acting as an end user with claims."""

    def make(uid: str, **claims: Any) -> Any:
        return firestore_server.user_client(uid, claims, asynchronous=True)

    return make


@pytest.fixture(scope="session")
def firebase_admin_app(firestore_server: FirestoreTestServer) -> Iterator[firebase_admin.App]:
    """A firebase-admin app for the session's project (emulator mode)."""
    app = firebase_admin.initialize_app(
        _EmulatorCredential(),
        {"projectId": firestore_server.project},
        name=f"firelab-{uuid.uuid4().hex}",
    )
    try:
        yield app
    finally:
        firebase_admin.delete_app(app)


@pytest.fixture
def admin_firestore(
    firebase_admin_app: firebase_admin.App, firestore_server: FirestoreTestServer
) -> Any:
    """firebase-admin's Firestore client (an administrator)."""
    with firestore_server.emulator_environment():
        return firebase_admin.firestore.client(firebase_admin_app)


@pytest.fixture(scope="session")
def messaging_server(firestore_project: str) -> Iterator[MessagingServer]:
    """The local FCM endpoint, with the proxy, CA bundle and credentials variables set for the
    session (firebase-admin apps made afterwards send there); restored at the end."""
    patch = pytest.MonkeyPatch()
    with MessagingServer(firestore_project) as server:
        for name, value in server.environment(os.environ.get("NO_PROXY")).items():
            patch.setenv(name, value)
        try:
            yield server
        finally:
            patch.undo()


@dataclass
class FunctionsTestHost:
    """The session's functions runtime: the codebase, its HTTP host and its trigger feed."""

    host: FunctionsHost
    dispatcher: TriggerDispatcher

    @property
    def url(self) -> str:
        """`http://host:port`: callables answer at `{url}/{project}/us-central1/{name}`."""
        return self.host.url

    def wait_idle(self, timeout: float = 60.0) -> None:
        """Return once every trigger delivery queued so far has run (its retries included);
        a delivery still running after `timeout` seconds is an error, not a silent pass."""
        if not self.dispatcher.wait_idle(timeout):
            raise FunctionsIdleError(f"triggers still running after {timeout} s")

    @property
    def failures(self) -> list[DeliveryFailure]:
        """Deliveries that failed after every attempt, oldest first."""
        return list(self.dispatcher.failures)


class FunctionsIdleError(FirelabError, TimeoutError):
    """Trigger deliveries did not finish within the wait's bound."""


def _functions_path(config: pytest.Config) -> Path | None:
    """`--functions-source` (from the current directory), else the ini option (from the
    rootdir)."""
    given = config.getoption("functions_source", default=None)
    if given:
        return Path(config.invocation_params.dir, str(given))
    configured = _ini(config, "functions_source")
    return Path(config.rootpath, configured) if configured else None


@pytest.fixture(scope="session")
def functions_host(
    pytestconfig: pytest.Config, firestore_server: FirestoreTestServer
) -> Iterator[FunctionsTestHost]:
    """The functions codebase named by `--functions-source` / ini `functions_source`,
    running in this process: its Firestore triggers receive the session server's commits as
    CloudEvents, its callables and HTTP functions answer at `url`."""
    source = _functions_path(pytestconfig)
    if source is None:
        pytest.fail("functions_host needs a codebase: set the ini option functions_source")
    if firestore_server.local is None:
        pytest.fail("functions_host feeds triggers from the in-process server, not an emulator")
    patch = pytest.MonkeyPatch()
    patch.setenv("GOOGLE_CLOUD_PROJECT", firestore_server.project)
    patch.setenv("GCLOUD_PROJECT", firestore_server.project)
    codebase = load_codebase(source)
    dispatcher = TriggerDispatcher(codebase)
    subscription = connect_triggers(firestore_server.local.emulator, dispatcher)
    host = FunctionsHost(codebase, dispatcher, project=firestore_server.project)
    host.start()
    try:
        yield FunctionsTestHost(host, dispatcher)
    finally:
        subscription.close()
        host.stop()
        dispatcher.close()
        patch.undo()
