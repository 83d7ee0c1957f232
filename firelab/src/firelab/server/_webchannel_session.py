"""One WebChannel session: the client's messages in, the server's numbered messages out.

Client messages (already parsed into requests) go to an `asyncio.Queue` that the stream code
reads on the server's event loop. Server messages get array IDs counting from 1 and wait in an
outbox until a back channel acknowledges them (`AID`): a back channel that breaks loses
nothing, the next one resends what came after its `AID`. A back channel is a generator of
frames run by an HTTP connection's thread; a newer back channel, or the session's end, stops
the older one.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["Session", "dumps", "frame", "utf16_length"]

NOOP = "noop"
KEEPALIVE_SECONDS = 30.0
"""A streaming back channel sends a `noop` after this long without data."""
BACKCHANNEL_SECONDS = 60.0
"""A streaming back channel ends (with a last `noop`) after this long; the client opens
another."""
OUTSTANDING_BYTES = 7
"""The last number of a forward-channel answer; the official emulator always sends 7."""


def utf16_length(text: str) -> int:
    """The length of `text` in UTF-16 code units, what a browser's `String.length` counts."""
    return len(text.encode("utf-16-le")) // 2


def frame(payload: str) -> bytes:
    """One `<length>\\n<JSON>` frame of a WebChannel answer body."""
    return f"{utf16_length(payload)}\n{payload}".encode()


def dumps(value: Any) -> str:
    """Compact JSON, non-ASCII characters written as themselves."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class Session:
    """The state of one WebChannel session (thread-safe)."""

    def __init__(self, sid: str, rpc: str, authorization: str | None) -> None:
        self.sid = sid
        self.rpc = rpc
        self.authorization = authorization
        self.inbox: asyncio.Queue[Any | None] = asyncio.Queue()
        self._condition = threading.Condition()
        self._outbox: list[tuple[int, str]] = []
        self._last_id = 0
        self._received = 0
        self._backchannel = 0
        self._generation = 0
        self._closed = False
        self._last_seen = time.monotonic()

    # Client side -------------------------------------------------------------------------

    def accept(self, offset: int, messages: list[Any]) -> list[Any]:
        """The messages of a forward request not received before (`ofs` numbers them; a
        retried request repeats some)."""
        with self._condition:
            self._last_seen = time.monotonic()
            fresh = messages[max(0, self._received - offset) :]
            self._received = max(self._received, offset + len(messages))
            return fresh

    def forward_answer(self) -> bytes:
        """`[<1 if a back channel is open, else 0>, <last array ID>, 7]`."""
        with self._condition:
            self._last_seen = time.monotonic()
            open_ = 1 if self._backchannel else 0
            return frame(dumps([open_, self._last_id, OUTSTANDING_BYTES]))

    # Server side -------------------------------------------------------------------------

    def push(self, message: Any) -> None:
        """Queue one server message (a response as a JSON value, `"noop"` or an error)."""
        with self._condition:
            if self._closed:
                return
            self._last_id += 1
            self._outbox.append((self._last_id, dumps(message)))
            self._condition.notify_all()

    @property
    def closed(self) -> bool:
        """Whether the session has ended (terminated, or the server stopped)."""
        with self._condition:
            return self._closed

    def close(self) -> None:
        """End the session: back channels stop, nothing more is queued."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()

    def wait_until_queued(self, count: int, timeout: float = 10.0) -> bool:
        """Block until `count` messages have been queued in all (tests order a client's next
        step after the server's answer with this); whether they were within `timeout`."""
        with self._condition:
            return self._condition.wait_for(lambda: self._last_id >= count, timeout)

    def idle_since(self) -> float | None:
        """When the client was last heard from, None while a back channel is open."""
        with self._condition:
            return None if self._backchannel else self._last_seen

    # Back channels -----------------------------------------------------------------------

    def backchannel(self, acknowledged: int, *, streaming: bool) -> Iterator[bytes]:
        """The frames of one back channel, for a client holding messages up to `acknowledged`.

        Streaming (`CI=0`): what is queued, a `noop`, then each message as it comes, a `noop`
        every 30 s, and a last `noop` after 60 s. Long polling (`CI=1`): what is queued ends
        the answer at once; otherwise a `noop`, and the answer ends with the next data.
        """
        with self._condition:
            self._generation += 1
            generation = self._backchannel = self._generation
            self._last_seen = time.monotonic()
            self._outbox = [entry for entry in self._outbox if entry[0] > acknowledged]
            self._condition.notify_all()
        try:
            yield from self._frames(generation, acknowledged, streaming)
        finally:
            with self._condition:
                if self._backchannel == generation:
                    self._backchannel = 0
                self._last_seen = time.monotonic()

    def _frames(self, generation: int, sent: int, streaming: bool) -> Iterator[bytes]:
        started = time.monotonic()
        pending = self._after(sent)
        if pending:
            sent = pending[-1][0]
            yield self._data(pending)
            if not streaming:
                return
        self.push(NOOP)
        noop = self._after(sent)
        if noop:
            sent = noop[-1][0]
            yield self._data(noop)
        while True:
            elapsed = time.monotonic() - started
            timeout = KEEPALIVE_SECONDS
            if streaming:
                timeout = min(timeout, max(0.0, BACKCHANNEL_SECONDS - elapsed))
            with self._condition:
                self._condition.wait_for(self._wakes(generation, sent), timeout)
                if self._closed or self._backchannel != generation:
                    return
            pending = self._after(sent)
            if pending:
                sent = pending[-1][0]
                yield self._data(pending)
                if not streaming:
                    return
                continue
            self.push(NOOP)
            noop = self._after(sent)
            if noop:
                sent = noop[-1][0]
                yield self._data(noop)
            if streaming and time.monotonic() - started >= BACKCHANNEL_SECONDS:
                return

    def _wakes(self, generation: int, sent: int) -> Callable[[], bool]:
        """When a waiting back channel has something to do: data, replacement or the end."""

        def ready() -> bool:
            if self._closed or self._backchannel != generation:
                return True
            return bool(self._outbox) and self._outbox[-1][0] > sent

        return ready

    def _after(self, sent: int) -> list[tuple[int, str]]:
        with self._condition:
            return [entry for entry in self._outbox if entry[0] > sent]

    @staticmethod
    def _data(entries: list[tuple[int, str]]) -> bytes:
        return frame("[" + ",".join(f"[{number},[{text}]]" for number, text in entries) + "]")
