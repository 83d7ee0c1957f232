"""pytest fixtures for code that uses Cloud Storage for Firebase (loaded by firelab's plugin).

The session uses the server FIREBASE_STORAGE_EMULATOR_HOST names when it is set (the official
emulator on a machine that has it), and otherwise starts a local `firelab.storage` server on a
free port whose rules read the session's Firestore server (`firestore_server`); either way
FIREBASE_STORAGE_EMULATOR_HOST and STORAGE_EMULATOR_HOST name it for the session.

- `storage_server`: the session's server (`host`, `url`, `bucket`, `clear()`, `load_rules()`).
- `storage_clear`: forgets every file before the test (the emulator's `/internal/reset`).
- `storage_bucket`: a google-cloud-storage `Bucket` for the project's default bucket, acting
  as the server SDKs do (rules bypassed).

Rules named by the ini option `storage_rules` (relative to the rootdir) are loaded at the
start of the session; without rules every client request is refused, as on the emulator.
"""

from __future__ import annotations

import http.client
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from google.cloud import storage  # type: ignore[attr-defined, unused-ignore]

from firelab._errors import FirelabError
from firelab.storage._server import StorageServer, default_bucket

__all__ = [
    "StorageRequestError",
    "StorageTestServer",
    "pytest_addoption",
    "storage_bucket",
    "storage_clear",
    "storage_server",
]

FIREBASE_HOST = "FIREBASE_STORAGE_EMULATOR_HOST"
CLOUD_HOST = "STORAGE_EMULATOR_HOST"


def pytest_addoption(parser: pytest.Parser) -> None:
    """The Storage fixtures' ini option."""
    parser.addini("storage_rules", "storage.rules loaded for the test session", default="")


class StorageRequestError(FirelabError, RuntimeError):
    """The session's Storage server refused an administration request (status and body)."""


@dataclass
class StorageTestServer:
    """The session's Storage server, as tests see it."""

    host: str
    """`host:port`, as in FIREBASE_STORAGE_EMULATOR_HOST."""
    project: str
    local: StorageServer | None = None
    """The in-process server, None when FIREBASE_STORAGE_EMULATOR_HOST named another one."""

    @property
    def url(self) -> str:
        """`http://host:port`, as in STORAGE_EMULATOR_HOST."""
        return f"http://{self.host}"

    @property
    def bucket(self) -> str:
        """The project's default bucket name."""
        return default_bucket(self.project)

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> None:
        connection = http.client.HTTPConnection(self.host, timeout=30)
        try:
            payload = None if body is None else json.dumps(body).encode()
            headers = {} if body is None else {"Content-Type": "application/json"}
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            answer = response.read()
        finally:
            connection.close()
        if response.status != 200:
            text = answer.decode(errors="replace")
            raise StorageRequestError(f"{method} {path} failed: {response.status} {text}")

    def clear(self) -> None:
        """Forget every file of every bucket (rules stay)."""
        self._request("POST", "/internal/reset")

    def load_rules(self, source: str, name: str = "storage.rules") -> None:
        """Load storage.rules for every bucket; rules that do not compile fail."""
        self._request(
            "PUT", "/internal/setRules", {"rules": {"files": [{"name": name, "content": source}]}}
        )


def _ini(config: pytest.Config, name: str) -> str:
    try:
        value = config.getini(name)
    except ValueError:
        return ""
    return value if isinstance(value, str) else ""


@pytest.fixture(scope="session")
def storage_server(
    pytestconfig: pytest.Config, firestore_server: Any
) -> Iterator[StorageTestServer]:
    """The session's Storage server (external when FIREBASE_STORAGE_EMULATOR_HOST is set)."""
    project = str(firestore_server.project)
    external = os.environ.get(FIREBASE_HOST)
    local: StorageServer | None = None
    if external:
        host = external
    else:
        local = StorageServer(port=0, project=project, firestore_host=firestore_server.host)
        host = local.start().address
    patch = pytest.MonkeyPatch()
    patch.setenv(FIREBASE_HOST, host)
    patch.setenv(CLOUD_HOST, f"http://{host}")
    server = StorageTestServer(host=host, project=project, local=local)
    try:
        rules = _ini(pytestconfig, "storage_rules")
        if rules:
            path = Path(pytestconfig.rootpath, rules)
            server.load_rules(path.read_text("utf-8"), path.name)
        yield server
    finally:
        patch.undo()
        if local is not None:
            local.stop()


@pytest.fixture
def storage_clear(storage_server: StorageTestServer) -> None:
    """Start the test with no files."""
    storage_server.clear()


@pytest.fixture
def storage_bucket(storage_server: StorageTestServer) -> Iterator[Any]:
    """google-cloud-storage's Bucket for the default bucket (a server SDK: rules bypassed)."""
    client = storage.Client(project=storage_server.project)
    try:
        yield client.bucket(storage_server.bucket)
    finally:
        client.close()
