"""A small HTTP/1.1 server loop for one connection: keep-alive, Content-Length and chunked bodies.

The front door hands HTTP/1.x connections here (gRPC goes to grpcio). Requests are parsed
without the standard library's `http.server` machinery so the REST layer controls every byte of
the answer, including a response without a Content-Type, as the official emulator sends for
its plain-text 404s. Bodies over 16 MiB are refused with 413 and an empty body, like the
emulator's (grpc_settings.json `rest_sizes`). A response may instead stream its body
(chunked), as WebChannel's back channels do.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import unquote

from firelab._errors import FirelabError

__all__ = ["MAX_BODY", "HttpRequest", "HttpResponse", "serve_connection"]

MAX_BODY = 16 * 1024 * 1024
_MAX_HEAD = 64 * 1024
_RECV = 256 * 1024
_MAX_DRAIN = 128 * 1024 * 1024


@dataclass(slots=True)
class HttpRequest:
    """One parsed request; `path` is still percent-encoded, `query` the raw query string."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        """A header's value by case-insensitive name."""
        return self.headers.get(name.lower())

    @property
    def decoded_path(self) -> str:
        """The path with percent-escapes decoded (UTF-8)."""
        return unquote(self.path)


@dataclass(slots=True)
class HttpResponse:
    """An answer: `content_type` None sends no Content-Type header."""

    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    close: bool = False
    after_send: Callable[[], None] | None = None
    """Run once the response is on the wire (used by `POST /shutdown`)."""
    stream: Iterator[bytes] | None = None
    """A body sent chunk by chunk as it is produced (`body` is then ignored); it is closed
    when the peer goes away."""


Handler = Callable[[HttpRequest], HttpResponse]


class _BadRequestError(FirelabError):
    """The bytes on the connection are not an HTTP/1.x request we can answer."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Reader:
    """Buffered reads from a socket with an initial buffer."""

    def __init__(self, sock: socket.socket, initial: bytes) -> None:
        self._sock = sock
        self._buffer = bytearray(initial)

    def _fill(self) -> bool:
        chunk = self._sock.recv(_RECV)
        if not chunk:
            return False
        self._buffer += chunk
        return True

    def read_head(self) -> bytes | None:
        """Bytes up to and including the blank line ending the head; None at a clean EOF."""
        while True:
            end = self._buffer.find(b"\r\n\r\n")
            if end >= 0:
                head = bytes(self._buffer[: end + 4])
                del self._buffer[: end + 4]
                return head
            if len(self._buffer) > _MAX_HEAD:
                raise _BadRequestError(431)
            if not self._fill():
                if self._buffer.strip():
                    raise _BadRequestError(400)
                return None

    def read_exact(self, size: int) -> bytes:
        while len(self._buffer) < size:
            if not self._fill():
                raise _BadRequestError(400)
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def discard(self, size: int) -> None:
        """Read and drop `size` bytes so the peer can read our answer before we close."""
        while len(self._buffer) < size:
            size -= len(self._buffer)
            self._buffer.clear()
            if not self._fill():
                return
        del self._buffer[:size]

    def read_line(self) -> bytes:
        while True:
            end = self._buffer.find(b"\r\n")
            if end >= 0:
                line = bytes(self._buffer[:end])
                del self._buffer[: end + 2]
                return line
            if len(self._buffer) > _MAX_HEAD or not self._fill():
                raise _BadRequestError(400)

    def read_chunked(self) -> bytes:
        body = bytearray()
        while True:
            size_text = self.read_line().split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError as exc:
                raise _BadRequestError(400) from exc
            if size == 0:
                while self.read_line():
                    pass
                return bytes(body)
            if len(body) + size > MAX_BODY:
                raise _BadRequestError(413)
            body += self.read_exact(size)
            self.read_exact(2)


def _parse_head(head: bytes) -> tuple[str, str, str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise _BadRequestError(400)
    method, target, version = parts
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise _BadRequestError(400)
        headers[name.strip().lower()] = value.strip(" ")
    path, _, query = target.partition("?")
    return method, path, query, headers | {":version": version}


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def encode_response(response: HttpResponse, *, keep_alive: bool, head: bool = False) -> bytes:
    """The response's status line, headers and body (none for a HEAD request) as bytes."""
    lines = [f"HTTP/1.1 {response.status} {_reason(response.status)}"]
    if response.content_type is not None:
        lines.append(f"Content-Type: {response.content_type}")
    lines.extend(f"{name}: {value}" for name, value in response.headers)
    lines.append(f"Content-Length: {len(response.body)}")
    if not keep_alive:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (b"" if head else response.body)


def encode_stream_head(response: HttpResponse, *, keep_alive: bool) -> bytes:
    """The status line and headers of a response whose body follows in chunks."""
    lines = [f"HTTP/1.1 {response.status} {_reason(response.status)}"]
    if response.content_type is not None:
        lines.append(f"Content-Type: {response.content_type}")
    lines.extend(f"{name}: {value}" for name, value in response.headers)
    lines.append("Transfer-Encoding: chunked")
    if not keep_alive:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _send_stream(sock: socket.socket, response: HttpResponse, *, keep_alive: bool) -> None:
    """Send a streamed body as chunks, each as soon as it is produced."""
    assert response.stream is not None
    stream = response.stream
    try:
        sock.sendall(encode_stream_head(response, keep_alive=keep_alive))
        for chunk in stream:
            if chunk:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        sock.sendall(b"0\r\n\r\n")
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()


def serve_connection(sock: socket.socket, handler: Handler, initial: bytes = b"") -> None:
    """Answer requests on `sock` until the peer closes or asks to close."""
    reader = _Reader(sock, initial)
    try:
        while True:
            try:
                head = reader.read_head()
                if head is None:
                    return
                method, path, query, headers = _parse_head(head)
                version = headers.pop(":version")
                body = _read_body(reader, sock, headers)
            except _BadRequestError as bad:
                sock.sendall(encode_response(HttpResponse(bad.status), keep_alive=False))
                return
            connection = headers.get("connection", "").lower()
            keep_alive = connection != "close" and (
                version != "HTTP/1.0" or connection == "keep-alive"
            )
            response = handler(HttpRequest(method, path, query, headers, body))
            keep_alive = keep_alive and not response.close
            if response.stream is not None and method != "HEAD":
                _send_stream(sock, response, keep_alive=keep_alive)
                if not keep_alive:
                    return
                continue
            sock.sendall(encode_response(response, keep_alive=keep_alive, head=method == "HEAD"))
            if response.after_send is not None:
                response.after_send()
            if not keep_alive:
                return
    except OSError:
        return


def _read_body(reader: _Reader, sock: socket.socket, headers: dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        _continue(sock, headers)
        return reader.read_chunked()
    length_text = headers.get("content-length")
    if not length_text:
        return b""
    try:
        length = int(length_text)
    except ValueError as exc:
        raise _BadRequestError(400) from exc
    if length < 0:
        raise _BadRequestError(400)
    if length > MAX_BODY:
        reader.discard(length if length <= _MAX_DRAIN else 0)
        raise _BadRequestError(413)
    _continue(sock, headers)
    return reader.read_exact(length)


def _continue(sock: socket.socket, headers: dict[str, str]) -> None:
    if headers.get("expect", "").lower() == "100-continue":
        sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
