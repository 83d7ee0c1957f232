"""WebChannel: the Listen and Write streams as the web SDK carries them in a browser.

firebase-js-sdk cannot speak gRPC in a browser; it runs its two streams over closure-library's
WebChannel (protocol version 8), plain HTTP/1.1 requests to
`/google.firestore.v1.Firestore/{Listen,Write}/channel` on the same port as everything else.
As the official emulator v1.22.0 answers them (the hidane project's docs/webchannel.md records
the wire):

- handshake, `POST` without `SID`: a form with `headers` (the request headers a browser page
  cannot set, `Authorization` among them, one `Name:Value` a line), `count`, `ofs` and
  `req{i}___data__` (each client message, ProtoJSON). Answer `[[0,["c","<sid>","",8,12,30000]]]`.
- forward channel, `POST` with `SID`: more messages, numbered from `ofs`. Answer
  `[<1 if a back channel is open, else 0>,<last array ID>,7]`.
- back channel, `GET` with `RID=rpc`, `AID` and `CI`: the server's messages as
  `[[id,[message]],…]` (see `Session.backchannel`).
- `TYPE=terminate`: `200`, empty. A session this server does not know is `400`, empty, which
  makes the client start over.

Answers are `<length>\\n<JSON>` frames, the length in UTF-16 code units. A stream that fails
sends `{"error":{"message":"<STATUS>: <message>","status":"<STATUS>"}}` as its last message.

Each session runs the gRPC streams' own code (`ListenHub.serve`, `run_write_stream`) on the
server's event loop, so both transports behave alike; HTTP threads feed it and read its outbox.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import secrets
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar, cast
from urllib.parse import parse_qs

import grpc
from google.protobuf import json_format

from firelab.server import _protos as protos
from firelab.server._api import FirestoreApi
from firelab.server._http import HttpRequest, HttpResponse
from firelab.server._listen import ListenHub
from firelab.server._rest import parse_body
from firelab.server._webchannel_session import Session, dumps, frame
from firelab.server._write_stream import run_write_stream
from firelab.server.core import FirestoreError

__all__ = ["WebChannel"]

SERVICES = ("google.firestore.v1.Firestore", "google.firestore.v1beta1.Firestore")
RPCS = ("Listen", "Write")
PROTOCOL_VERSION = 8
SERVER_VERSION = 12
KEEPALIVE_MS = 30000
IDLE_SECONDS = 300.0
"""A session without a back channel or a request for this long is dropped (the official
emulator keeps every session, and a thread for each, forever)."""

_TEXT = "text/plain; charset=utf-8"
_EXPOSE = (
    "Access-Control-Expose-Headers",
    "x-client-wire-protocol, x-http-session-id, x-http-initial-response",
)
_NO_STORE = [("X-Content-Type-Options", "nosniff"), ("Cache-Control", "private, max-age=0")]
_REQUESTS = {"Listen": protos.ListenRequest, "Write": protos.WriteRequest}

_T = TypeVar("_T")


class _StreamEnd:
    """Stands in for grpc's servicer context, whose only use by the stream code is `abort`:
    the error is kept and becomes the session's last message."""

    def __init__(self) -> None:
        self.error: tuple[str, str] | None = None

    async def abort(self, code: grpc.StatusCode, details: str) -> None:
        """Record why the stream ended."""
        self.error = (code.name, details)


def error_message(status: str, message: str) -> dict[str, Any]:
    """A stream error as a WebChannel message."""
    return {"error": {"message": f"{status}: {message}", "status": status}}


def _route(path: str) -> str | None:
    """The RPC (`Listen` or `Write`) a channel path names, None for any other path."""
    parts = path.split("/")
    if len(parts) != 4 or parts[0] or parts[3] != "channel":
        return None
    if parts[1] not in SERVICES or parts[2] not in RPCS:
        return None
    return parts[2]


def _headers(text: str) -> dict[str, str]:
    """The `headers` form field: one `Name:Value` a line, names case-insensitive."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        name, sep, value = line.partition(":")
        if sep:
            found[name.strip().lower()] = value.strip()
    return found


def _answer(body: bytes = b"") -> HttpResponse:
    return HttpResponse(200, body, _TEXT if body else None, [_EXPOSE])


class WebChannel:
    """Serves WebChannel sessions; `handle` answers channel paths and returns None otherwise."""

    def __init__(
        self,
        api: FirestoreApi,
        listen: ListenHub,
        loop: asyncio.AbstractEventLoop,
        executor: ThreadPoolExecutor,
    ) -> None:
        self._api = api
        self._listen = listen
        self._loop = loop
        self._executor = executor
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
        self._drivers: dict[str, concurrent.futures.Future[None]] = {}
        self._closed = False

    # HTTP --------------------------------------------------------------------------------

    def handle(self, request: HttpRequest) -> HttpResponse | None:
        """The answer to a channel request, or None when the path is not a channel."""
        rpc = _route(request.path)
        if rpc is None:
            return None
        params = {key: values[-1] for key, values in parse_qs(request.query).items()}
        sid = params.get("SID")
        if params.get("TYPE") == "terminate":
            return self._terminate(rpc, sid)
        if request.method == "POST" and sid is None:
            return self._handshake(rpc, request)
        session = self._session(rpc, sid)
        if session is None:
            return HttpResponse(400, headers=[_EXPOSE])
        if request.method == "GET" and params.get("RID") == "rpc":
            return self._backchannel(session, params)
        if request.method == "POST":
            return self._forward(session, request)
        return HttpResponse(400, headers=[_EXPOSE])

    def _handshake(self, rpc: str, request: HttpRequest) -> HttpResponse:
        form = self._form(request)
        headers = _headers(form.get("headers", ""))
        authorization = headers.get("authorization", request.header("authorization"))
        sid = secrets.token_urlsafe(16)
        session = Session(sid, rpc, authorization)
        self._sweep()
        with self._lock:
            if self._closed:
                return HttpResponse(503, headers=[_EXPOSE])
            self._sessions[sid] = session
        self._receive(session, form)
        driver = asyncio.run_coroutine_threadsafe(self._drive(session), self._loop)
        with self._lock:
            self._drivers[sid] = driver
        created = [[0, ["c", sid, "", PROTOCOL_VERSION, SERVER_VERSION, KEEPALIVE_MS]]]
        return _answer(frame(dumps(created)))

    def _forward(self, session: Session, request: HttpRequest) -> HttpResponse:
        # The answer describes the session as the request found it, before its messages run.
        answer = session.forward_answer()
        self._receive(session, self._form(request))
        return _answer(answer)

    def _backchannel(self, session: Session, params: dict[str, str]) -> HttpResponse:
        try:
            acknowledged = int(params.get("AID", "0"))
        except ValueError:
            acknowledged = 0
        streaming = params.get("CI", "0") != "1"
        stream = session.backchannel(acknowledged, streaming=streaming)
        return HttpResponse(200, content_type=_TEXT, headers=[_EXPOSE, *_NO_STORE], stream=stream)

    def _terminate(self, rpc: str, sid: str | None) -> HttpResponse:
        session = self._session(rpc, sid)
        if session is None:
            return HttpResponse(400, headers=[_EXPOSE])
        self._end(session)
        return _answer()

    @staticmethod
    def _form(request: HttpRequest) -> dict[str, str]:
        text = request.body.decode("utf-8", errors="replace")
        return {key: values[-1] for key, values in parse_qs(text, keep_blank_values=True).items()}

    # Sessions ----------------------------------------------------------------------------

    def _session(self, rpc: str, sid: str | None) -> Session | None:
        with self._lock:
            session = self._sessions.get(sid) if sid is not None else None
        if session is None or session.rpc != rpc or session.closed:
            return None
        return session

    def _receive(self, session: Session, form: dict[str, str]) -> None:
        """Pass the form's messages to the session's stream, in order, once each."""
        try:
            count, offset = int(form.get("count", "0")), int(form.get("ofs", "0"))
        except ValueError:
            count, offset = 0, 0
        texts = [form.get(f"req{index}___data__", "{}") for index in range(count)]
        fresh = session.accept(offset, texts)
        message_type = _REQUESTS[session.rpc]
        for text in fresh:
            try:
                message = parse_body(text.encode("utf-8"), message_type())
            except FirestoreError as error:
                session.push(error_message(error.code.name, error.message))
                self._call(session.inbox.put_nowait, None)
                return
            self._call(session.inbox.put_nowait, message)

    def _call(self, function: Callable[..., Any], *args: Any) -> None:
        try:
            self._loop.call_soon_threadsafe(function, *args)
        except RuntimeError:
            # The server stopped: its loop is closed and the session with it.
            return

    def _end(self, session: Session) -> None:
        with self._lock:
            self._sessions.pop(session.sid, None)
        session.close()
        self._call(session.inbox.put_nowait, None)

    def _sweep(self) -> None:
        """Drop sessions the client has left without terminating them."""
        limit = time.monotonic() - IDLE_SECONDS
        with self._lock:
            sessions = list(self._sessions.values())
        for session in sessions:
            since = session.idle_since()
            if since is not None and since < limit:
                self._end(session)
        with self._lock:
            for sid in [sid for sid, future in self._drivers.items() if future.done()]:
                if sid not in self._sessions:
                    del self._drivers[sid]

    def close(self, timeout: float = 5.0) -> None:
        """End every session and wait for their streams (before the server's loop stops)."""
        with self._lock:
            self._closed = True
            sessions = list(self._sessions.values())
            drivers = list(self._drivers.values())
        for session in sessions:
            self._end(session)
        concurrent.futures.wait(drivers, timeout)

    # Streams -----------------------------------------------------------------------------

    async def _drive(self, session: Session) -> None:
        """Run the session's stream, queueing each response as a message."""
        ending = _StreamEnd()
        context = cast(Any, ending)
        requests = self._requests(session)
        if session.rpc == "Listen":
            responses = self._listen.serve(requests, context, session.authorization)
        else:
            responses = run_write_stream(
                self._api, requests, context, session.authorization, self._in_thread
            )
        try:
            async for response in responses:
                session.push(json_format.MessageToDict(response))
        except Exception as exc:  # the session's last message says what broke
            session.push(error_message("INTERNAL", f"{type(exc).__name__}: {exc}"))
            return
        if ending.error is not None:
            session.push(error_message(*ending.error))

    @staticmethod
    async def _requests(session: Session) -> AsyncIterator[Any]:
        while True:
            message = await session.inbox.get()
            if message is None:
                return
            yield message

    async def _in_thread(self, function: Callable[..., _T], *args: Any) -> _T:
        return await self._loop.run_in_executor(self._executor, function, *args)
