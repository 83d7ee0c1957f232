"""google-cloud-firestore clients that act as end users of a local Firestore server.

In emulator mode (FIRESTORE_EMULATOR_HOST) the library sends `authorization: Bearer owner` on
every call and ignores its credentials, so it can only act as an administrator. Outside
emulator mode it sends what its credentials' `apply()` writes, but only over TLS. A user client
is therefore made in normal mode through two public seams, `credentials` (sending the user's
ID token, e.g. an unsigned JWT from the Auth emulator or `firelab.tokens.mock_id_token`) and
`client_options.api_endpoint` (a local TLS entrance that relays the bytes unchanged to the
server, ours or the official emulator; see `_tls`). gRPC trusts the entrance's certificate
through `GRPC_DEFAULT_SSL_ROOTS_FILE_PATH`, which it reads once per process, so one certificate
serves every entrance of the process.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

from google.auth.credentials import AnonymousCredentials, Credentials
from google.cloud import firestore

from firelab.server._tls import TlsDoor, write_certificate

__all__ = ["EMULATOR_HOST", "UserClients", "UserTokenCredentials", "anonymous_credentials"]

EMULATOR_HOST = "FIRESTORE_EMULATOR_HOST"
SSL_ROOTS = "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH"

_lock = threading.Lock()
_certificate: tuple[Path, Path] | None = None
_certificate_directory: tempfile.TemporaryDirectory[str] | None = None


class UserTokenCredentials(Credentials):
    """google-auth credentials that send a fixed bearer token (an end user's ID token)."""

    def __init__(self, token: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.token = token

    def refresh(self, request: Any) -> None:
        """Nothing to refresh: the token never expires."""


def anonymous_credentials() -> Credentials:
    """google-auth's credentials that add no `authorization` header (a signed-out user)."""
    return AnonymousCredentials()  # type: ignore[no-untyped-call]


def _process_certificate() -> tuple[Path, Path]:
    """The process's entrance certificate, created once and trusted by gRPC from then on."""
    global _certificate, _certificate_directory
    with _lock:
        if _certificate is None:
            _certificate_directory = tempfile.TemporaryDirectory(prefix="firelab-tls-")
            _certificate = write_certificate(Path(_certificate_directory.name))
            os.environ[SSL_ROOTS] = str(_certificate[0])
        return _certificate


class UserClients:
    """Makes clients acting as end users of the Firestore server at `host` (`host:port`)."""

    def __init__(self, host: str) -> None:
        self.host = host
        self._door: TlsDoor | None = None

    def start(self) -> UserClients:
        """Open the TLS entrance (idempotent)."""
        if self._door is None:
            backend_host, _, backend_port = self.host.rpartition(":")
            certificate, key = _process_certificate()
            backend = (backend_host.strip("[]"), int(backend_port))
            self._door = TlsDoor(backend, certificate, key).start()
        return self

    @property
    def endpoint(self) -> str:
        """The entrance's address, the `api_endpoint` of user clients."""
        assert self._door is not None, "start() first"
        return f"127.0.0.1:{self._door.port}"

    def client(self, project: str, token: str | None, *, asynchronous: bool = False) -> Any:
        """A Client (AsyncClient) whose calls carry `token`; None acts signed out."""
        self.start()
        credentials = anonymous_credentials() if token is None else UserTokenCredentials(token)
        kind = firestore.AsyncClient if asynchronous else firestore.Client
        options = {"api_endpoint": self.endpoint}
        with _lock:
            # The library picks emulator mode from the environment when a client is made.
            saved = os.environ.pop(EMULATOR_HOST, None)
            try:
                return kind(project=project, credentials=credentials, client_options=options)
            finally:
                if saved is not None:
                    os.environ[EMULATOR_HOST] = saved

    def close(self) -> None:
        """Close the entrance and every connection through it."""
        if self._door is not None:
            self._door.stop()
            self._door = None

    def __enter__(self) -> UserClients:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
