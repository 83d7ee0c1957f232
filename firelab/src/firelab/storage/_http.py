"""The server's HTTP/1.1 plumbing: parsed requests in, responses out, one thread per connection.

Bodies up to 130 MB are accepted, the official emulator's body-parser limit (firebase-tools
`emulator/storage/server.js`); a larger one is refused with 413 before it is read. Responses
mirror Express, which the emulator runs on: `sendStatus(n)` sends the status phrase as
`text/plain; charset=utf-8`, `json()` sends `application/json; charset=utf-8`. Every answer to
a request with an `Origin` carries the emulator's CORS headers (reflected origin, credentials,
the upload headers exposed), and preflights are answered with 204.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

__all__ = [
    "MAX_BODY",
    "HttpServer",
    "Request",
    "Response",
    "json_response",
    "status_response",
]

logger = logging.getLogger("firelab.storage")

MAX_BODY = 130 * 1024 * 1024
_SMALL = 256 * 1024
_EXPOSED = ", ".join(
    (
        "content-type",
        "x-firebase-storage-version",
        "X-Goog-Upload-Size-Received",
        "x-goog-upload-url",
        "x-goog-upload-command",
        "x-gupload-uploadid",
        "x-goog-upload-header-content-length",
        "x-goog-upload-header-content-type",
        "x-goog-upload-protocol",
        "x-goog-upload-status",
        "x-goog-upload-chunk-granularity",
        "x-goog-upload-control-url",
    )
)
_METHODS = "GET,HEAD,PUT,PATCH,POST,DELETE"


@dataclass(slots=True)
class Request:
    """One request: `path` still percent-encoded, `query` the first value of each parameter."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    base_url: str
    """`http://host:port` as the client addressed the server (for upload URLs and links)."""

    def header(self, name: str) -> str | None:
        """A header by case-insensitive name."""
        return self.headers.get(name.lower())


@dataclass(slots=True)
class Response:
    """An answer; `content_type` None sends none."""

    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return str(status)


def status_response(status: int, headers: list[tuple[str, str]] | None = None) -> Response:
    """Express's `sendStatus`: the phrase as plain text (no body for 204)."""
    body = b"" if status == 204 else _phrase(status).encode()
    content_type = None if status == 204 else "text/plain; charset=utf-8"
    return Response(status, body, content_type, list(headers or []))


def json_response(
    status: int, value: Any, headers: list[tuple[str, str]] | None = None
) -> Response:
    """Express's `json()`."""
    body = json.dumps(value, separators=(",", ":")).encode()
    return Response(status, body, "application/json; charset=utf-8", list(headers or []))


App = Callable[[Request], Response]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests and the stack print their own lines."""

    def _serve(self) -> None:
        path, _, query_text = self.path.partition("?")
        headers = {name.lower(): value for name, value in self.headers.items()}
        body = self._read_body(headers)
        if body is None:
            return
        host = headers.get("host") or f"127.0.0.1:{self.server.server_port}"
        request = Request(
            "GET" if self.command == "HEAD" else self.command,  # Express answers HEAD as GET
            path,
            dict(parse_qsl(query_text, keep_blank_values=True)),
            headers,
            body,
            f"http://{host}",
        )
        origin = headers.get("origin")
        if self.command == "OPTIONS" and origin is not None:
            response = Response(204)
            response.headers.append(("Access-Control-Allow-Methods", _METHODS))
            requested = headers.get("access-control-request-headers")
            if requested:
                response.headers.append(("Access-Control-Allow-Headers", requested))
            if headers.get("access-control-request-private-network"):
                response.headers.append(("Access-Control-Allow-Private-Network", "true"))
        else:
            try:
                response = self.server.app(request)
            except Exception:  # the app's own bugs: a 500, and the connection survives
                self.server.report_error()
                response = status_response(500)
        if origin is not None:
            response.headers += [
                ("Access-Control-Allow-Origin", origin),
                ("Access-Control-Allow-Credentials", "true"),
                ("Access-Control-Expose-Headers", _EXPOSED),
                ("Vary", "Origin"),
            ]
        self._send(response)

    def _read_body(self, headers: dict[str, str]) -> bytes | None:
        """The request body; None when it was refused (the answer is already sent)."""
        if "chunked" in headers.get("transfer-encoding", "").lower():
            chunks = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(chunks)
                if len(chunks) + size > MAX_BODY:
                    self._refuse_oversize()
                    return None
                chunks += self.rfile.read(size)
                self.rfile.readline()
        length = int(headers.get("content-length") or 0)
        if length > MAX_BODY:
            self._refuse_oversize()
            return None
        return self.rfile.read(length) if length else b""

    def _refuse_oversize(self) -> None:
        self.close_connection = True
        response = Response(413, b"request entity too large", "text/plain; charset=utf-8")
        response.headers.append(("Connection", "close"))
        self._send(response)

    def _send(self, response: Response) -> None:
        lines = [f"HTTP/1.1 {response.status} {_phrase(response.status)}"]
        if response.content_type is not None:
            lines.append(f"Content-Type: {response.content_type}")
        lines += [f"{name}: {value}" for name, value in response.headers]
        lines.append(f"Content-Length: {len(response.body)}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        body = b"" if self.command == "HEAD" else response.body
        if len(body) <= _SMALL:
            self.wfile.write(head + body)
        else:
            self.wfile.write(head)
            self.wfile.write(body)

    # BaseHTTPRequestHandler dispatches to do_<METHOD>.
    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _serve  # noqa: N815


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: App) -> None:
        self.app = app
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def track(self, connection: socket.socket, *, add: bool) -> None:
        with self._connections_lock:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def report_error(self) -> None:
        logger.exception("the storage server failed a request")


class HttpServer:
    """Serves `app` on `host:port` (0: a free port) until `stop()`."""

    def __init__(self, host: str, port: int, app: App) -> None:
        self._server = _Server((host, port), app)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="firelab-storage-http", daemon=True
        )

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self._server.server_address[1])

    def start(self) -> None:
        """Accept connections in a background thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop accepting, close every connection and join every thread."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join()
        self._server.close_connections()
        self._server.server_close()
