"""A local Firebase Cloud Messaging endpoint: the FCM HTTP v1 `messages:send` API, recorded.

firebase-admin's messaging module posts to `https://fcm.googleapis.com/v1/projects/{p}/
messages:send`, a URL fixed in the SDK, through `requests`. Rather than patch the SDK, this
server is the HTTPS proxy `requests` is told to use (`HTTPS_PROXY`, the standard variable): it
answers `CONNECT fcm.googleapis.com:443` by terminating TLS itself with a throw-away
certificate that `REQUESTS_CA_BUNDLE` trusts, and serves the FCM API inside the tunnel. It
refuses to tunnel anywhere else, so nothing leaves the machine. Its `/token` route is the
OAuth endpoint of the throw-away service account (`GOOGLE_APPLICATION_CREDENTIALS`).
`environment()` gives all four variables; `firelab.stack` sets them for its functions.

Answers follow the FCM v1 reference: `200 {"name": "projects/{p}/messages/{id}"}`; `401
UNAUTHENTICATED` without a bearer token; `400 INVALID_ARGUMENT` with a `google.rpc.BadRequest`
detail for a malformed message, or with an `FcmError` `INVALID_ARGUMENT` detail for a token
that is not a registration token; `404 NOT_FOUND` with an `FcmError` `UNREGISTERED` detail for
a token marked unregistered (`unregister(token)`, as when an app is uninstalled). Every request
is recorded (`messages()`), and its one-line summary goes to the `on_message` callback.

Plain-HTTP routes for tests in other languages: `GET /messages` (the record as JSON),
`DELETE /messages` (clear it), `POST /unregistered` with `{"token": ...}`.
"""

from __future__ import annotations

import json
import re
import socket
import ssl
import tempfile
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Final

from firelab.messaging._credentials import FCM_HOST, write_ca_bundle, write_service_account

__all__ = ["MessagingServer", "SentMessage"]

_SEND: Final = re.compile(r"^/v1/projects/(?P<project>[^/]+)/messages:send$")
_TOKEN: Final = re.compile(r"^[A-Za-z0-9_:\-.]{1,4096}$")
_MAX_PAYLOAD: Final = 4096
_TARGETS: Final = ("token", "fid", "topic", "condition")
_FCM_ERROR: Final = "type.googleapis.com/google.firebase.fcm.v1.FcmError"
_BAD_REQUEST: Final = "type.googleapis.com/google.rpc.BadRequest"


@dataclass(frozen=True, slots=True)
class SentMessage:
    """One `messages:send` request and what the endpoint answered."""

    project: str
    message: Mapping[str, Any]
    """The `message` object as sent (token or topic, notification, data, platform options)."""
    validate_only: bool
    status: int
    """The HTTP status answered."""
    name: str | None
    """The message name answered on success."""
    error: str | None
    """The FCM error code answered (`UNREGISTERED`, `INVALID_ARGUMENT`, ...)."""
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def to_json(self) -> dict[str, Any]:
        """The record as the `/messages` route lists it."""
        return {
            "project": self.project,
            "message": dict(self.message),
            "validateOnly": self.validate_only,
            "status": self.status,
            "name": self.name,
            "error": self.error,
            "receivedAt": self.received_at.isoformat(),
        }

    def summary(self) -> str:
        """One line for the stack's output."""
        target = next(
            (f"{key} {str(self.message[key])[-12:]}" for key in _TARGETS if key in self.message),
            "no target",
        )
        notification = self.message.get("notification") or {}
        title = notification.get("title", "") if isinstance(notification, Mapping) else ""
        outcome = self.error or str(self.status)
        return f"FCM push to {target}: {title!r} ({outcome})"


_CANONICAL: Final = {
    HTTPStatus.BAD_REQUEST: "INVALID_ARGUMENT",
    HTTPStatus.UNAUTHORIZED: "UNAUTHENTICATED",
    HTTPStatus.NOT_FOUND: "NOT_FOUND",
}
"""The canonical status Google APIs name with each HTTP status."""


def _error(status: HTTPStatus, message: str, detail: Mapping[str, Any] | None) -> dict[str, Any]:
    """A Google API error body (`{"error": {code, message, status, details}}`)."""
    body: dict[str, Any] = {"code": int(status), "message": message, "status": _CANONICAL[status]}
    if detail is not None:
        body["details"] = [dict(detail)]
    return {"error": body}


class MessagingServer:
    """Start with `start()` (or `with`); point the SDKs at it with `environment()`."""

    def __init__(
        self,
        project: str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        on_message: Callable[[SentMessage], None] | None = None,
    ) -> None:
        self.project = project
        self.host = host
        self._port = port
        self.on_message = on_message
        self._lock = threading.Lock()
        self._messages: list[SentMessage] = []
        self._unregistered: set[str] = set()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._directory: tempfile.TemporaryDirectory[str] | None = None
        self._tls: ssl.SSLContext | None = None
        self.ca_bundle: Path | None = None
        self.service_account: Path | None = None

    # Lifecycle ---------------------------------------------------------------------------

    def start(self) -> MessagingServer:
        """Listen, and write the key material the environment names."""
        self._directory = tempfile.TemporaryDirectory(prefix="firelab-fcm-")
        directory = Path(self._directory.name)
        self.ca_bundle, cert, key = write_ca_bundle(directory)
        self._tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._tls.load_cert_chain(cert, key)
        self._server = ThreadingHTTPServer((self.host, self._port), _handler_for(self))
        self._server.daemon_threads = True
        self.service_account = write_service_account(directory, self.project, f"{self.url}/token")
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="firelab-fcm", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and remove the key material."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._directory is not None:
            self._directory.cleanup()
            self._directory = None

    def __enter__(self) -> MessagingServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port it listens on."""
        if self._server is None:
            raise RuntimeError("the messaging server is not started")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """`http://host:port`: the proxy, the token route and the test routes."""
        return f"http://{self.host}:{self.port}"

    def environment(self, no_proxy: str | None = None) -> dict[str, str]:
        """The variables that send firebase-admin's FCM requests here (`no_proxy`: the hosts
        already excluded, to which local hosts are added)."""
        assert self.ca_bundle is not None
        assert self.service_account is not None
        hosts = [part for part in (no_proxy or "").split(",") if part]
        for local in ("127.0.0.1", "localhost", "::1"):
            if local not in hosts:
                hosts.append(local)
        excluded = ",".join(hosts)
        return {
            "HTTPS_PROXY": self.url,
            "https_proxy": self.url,
            "NO_PROXY": excluded,
            "no_proxy": excluded,
            "REQUESTS_CA_BUNDLE": str(self.ca_bundle),
            "GOOGLE_APPLICATION_CREDENTIALS": str(self.service_account),
        }

    # What tests read ----------------------------------------------------------------------

    def messages(self) -> list[SentMessage]:
        """Every `messages:send` request received, oldest first."""
        with self._lock:
            return list(self._messages)

    def clear(self) -> None:
        """Forget the recorded requests."""
        with self._lock:
            self._messages.clear()

    def unregister(self, token: str) -> None:
        """Answer later sends to `token` as FCM does for an uninstalled app (UNREGISTERED)."""
        with self._lock:
            self._unregistered.add(token)

    # Serving ------------------------------------------------------------------------------

    def _record(self, sent: SentMessage) -> None:
        with self._lock:
            self._messages.append(sent)
        if self.on_message is not None:
            self.on_message(sent)

    def send(
        self, project: str, body: Any, authorization: str | None
    ) -> tuple[HTTPStatus, dict[str, Any]]:
        """Answer one `messages:send` request as FCM would, and record it."""
        if not (authorization or "").startswith("Bearer "):
            return HTTPStatus.UNAUTHORIZED, _error(
                HTTPStatus.UNAUTHORIZED,
                "Request is missing required authentication credential.",
                None,
            )
        message = body.get("message") if isinstance(body, Mapping) else None
        validate_only = bool(body.get("validate_only")) if isinstance(body, Mapping) else False
        status, answer, error = self._judge(project, message)
        self._record(
            SentMessage(
                project=project,
                message=message if isinstance(message, Mapping) else {},
                validate_only=validate_only,
                status=int(status),
                name=answer.get("name"),
                error=error,
            )
        )
        return status, answer

    def _judge(
        self, project: str, message: object
    ) -> tuple[HTTPStatus, dict[str, Any], str | None]:
        if not isinstance(message, Mapping):
            return self._bad_request("message", "Missing required field: message")
        targets = [key for key in _TARGETS if key in message]
        if len(targets) != 1:
            return self._bad_request(
                "message", "Exactly one of token, fid, topic or condition must be specified."
            )
        if len(json.dumps(message.get("data", {}))) > _MAX_PAYLOAD:
            return self._bad_request("message", "Message is too big")
        token = message.get(targets[0])
        if targets[0] in ("token", "fid"):
            if not isinstance(token, str) or not _TOKEN.match(token):
                detail = {"@type": _FCM_ERROR, "errorCode": "INVALID_ARGUMENT"}
                body = _error(
                    HTTPStatus.BAD_REQUEST,
                    "The registration token is not a valid FCM registration token",
                    detail,
                )
                return HTTPStatus.BAD_REQUEST, body, "INVALID_ARGUMENT"
            with self._lock:
                unregistered = token in self._unregistered
            if unregistered:
                detail = {"@type": _FCM_ERROR, "errorCode": "UNREGISTERED"}
                body = _error(HTTPStatus.NOT_FOUND, "Requested entity was not found.", detail)
                return HTTPStatus.NOT_FOUND, body, "UNREGISTERED"
        name = f"projects/{project}/messages/{uuid.uuid4().int % 10**19}"
        return HTTPStatus.OK, {"name": name}, None

    @staticmethod
    def _bad_request(
        field_name: str, description: str
    ) -> tuple[HTTPStatus, dict[str, Any], str | None]:
        detail = {
            "@type": _BAD_REQUEST,
            "fieldViolations": [{"field": field_name, "description": description}],
        }
        return (
            HTTPStatus.BAD_REQUEST,
            _error(HTTPStatus.BAD_REQUEST, description, detail),
            "INVALID_ARGUMENT",
        )

    def wrap(self, connection: socket.socket) -> ssl.SSLSocket:
        """The TLS side of a tunnel to fcm.googleapis.com."""
        assert self._tls is not None
        return self._tls.wrap_socket(connection, server_side=True)


def _handler_for(server: MessagingServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: each send is reported through `on_message` instead."""

        def _reply(self, status: HTTPStatus, body: Mapping[str, Any] | list[Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            content_type = self.headers.get("Content-Type", "")
            if "json" in content_type:
                try:
                    return json.loads(raw or b"null")
                except ValueError:
                    return None
            return raw.decode("utf-8", "replace")

        def do_CONNECT(self) -> None:
            host, _, port = self.path.partition(":")
            if host != FCM_HOST or port not in ("", "443"):
                self.send_error(HTTPStatus.FORBIDDEN, f"firelab tunnels only to {FCM_HOST}")
                return
            self.send_response(HTTPStatus.OK, "Connection established")
            self.end_headers()
            self.wfile.flush()
            try:
                tls = server.wrap(self.connection)
            except (ssl.SSLError, OSError):
                self.close_connection = True
                return
            try:
                Handler(tls, self.client_address, self.server)
            finally:
                tls.close()
            self.close_connection = True

        def do_POST(self) -> None:
            path = self.path.split("?", 1)[0]
            body = self._body()
            found = _SEND.match(path)
            if found:
                status, answer = server.send(
                    found["project"], body, self.headers.get("Authorization")
                )
                self._reply(status, answer)
            elif path == "/token":
                self._reply(
                    HTTPStatus.OK,
                    {
                        "access_token": f"firelab-{uuid.uuid4().hex}",
                        "expires_in": 3600,
                        "token_type": "Bearer",
                    },
                )
            elif path == "/unregistered" and isinstance(body, Mapping) and "token" in body:
                server.unregister(str(body["token"]))
                self._reply(HTTPStatus.OK, {})
            else:
                self._reply(HTTPStatus.NOT_FOUND, _error(HTTPStatus.NOT_FOUND, "Not found", None))

        def do_GET(self) -> None:
            if self.path.split("?", 1)[0] == "/messages":
                self._reply(
                    HTTPStatus.OK, {"messages": [sent.to_json() for sent in server.messages()]}
                )
            else:
                self._reply(HTTPStatus.NOT_FOUND, _error(HTTPStatus.NOT_FOUND, "Not found", None))

        def do_DELETE(self) -> None:
            if self.path.split("?", 1)[0] == "/messages":
                server.clear()
                self._reply(HTTPStatus.OK, {})
            else:
                self._reply(HTTPStatus.NOT_FOUND, _error(HTTPStatus.NOT_FOUND, "Not found", None))

    return Handler
