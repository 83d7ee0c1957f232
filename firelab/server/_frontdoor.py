"""One public port for gRPC and HTTP/1.1, routed by the first bytes of each connection.

Python's grpcio cannot answer HTTP/1.1, and clients expect the REST API, the emulator's own
endpoints and gRPC on the same address (the official emulator serves all three on one port).
Each accepted connection's first bytes are peeked at (left in the kernel buffer): the HTTP/2
connection preface (`PRI * HTTP/2.0`) is relayed to the internal grpcio server, anything else is
answered by the HTTP handler in the connection's thread.

The relay sits on the gRPC hot path, so it stays out of Python as much as it can: one thread per
direction moves bytes with `os.splice` through a pipe (kernel to kernel, the GIL released while
waiting), falling back to `recv_into` + `sendall` with a large buffer where splice is missing.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import socket
import threading
import time
from collections.abc import Callable

_PREFACE = b"PRI"
_CHUNK = 1 << 20
_DRAIN_SECONDS = 10.0
_PEEK_SECONDS = 5.0

ConnectionHandler = Callable[[socket.socket, bytes], None]


def _pump_splice(source: socket.socket, target: socket.socket) -> None:
    read_end, write_end = os.pipe()
    try:
        source_fd, target_fd = source.fileno(), target.fileno()
        while True:
            moved = os.splice(source_fd, write_end, _CHUNK)
            if moved == 0:
                return
            while moved:
                moved -= os.splice(read_end, target_fd, moved)
    finally:
        os.close(read_end)
        os.close(write_end)


def _pump_copy(source: socket.socket, target: socket.socket) -> None:
    buffer = bytearray(_CHUNK)
    view = memoryview(buffer)
    while True:
        received = source.recv_into(buffer)
        if not received:
            return
        target.sendall(view[:received])


_PUMP = _pump_splice if hasattr(os, "splice") else _pump_copy


def _peek(conn: socket.socket) -> bytes | None:
    """The connection's first bytes, left unread (None when it closed before sending any).

    One byte decides unless it is `P` (POST, PUT, PATCH or the HTTP/2 preface), which needs
    three.
    """
    deadline = time.monotonic() + _PEEK_SECONDS
    while True:
        first = conn.recv(len(_PREFACE), socket.MSG_PEEK)
        if not first:
            return None
        if len(first) == len(_PREFACE) or not _PREFACE.startswith(first):
            return first
        if time.monotonic() > deadline:
            return first
        time.sleep(0.001)


def _tune(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class FrontDoor:
    """Accepts on `host:port`; relays HTTP/2 to `backend`, hands HTTP/1.x to `http_handler`."""

    def __init__(
        self,
        host: str,
        port: int,
        backend: tuple[str, int],
        http_handler: ConnectionHandler,
    ) -> None:
        self._backend = backend
        self._http_handler = http_handler
        self._listener = socket.create_server((host, port), backlog=512, reuse_port=False)
        self._wake_read, self._wake_write = socket.socketpair()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._threads: set[threading.Thread] = set()
        self._stopping = False
        self._acceptor = threading.Thread(target=self._accept_loop, name="firelab-accept")

    @property
    def port(self) -> int:
        """The bound port (useful when 0 was asked for)."""
        port: int = self._listener.getsockname()[1]
        return port

    def start(self) -> None:
        """Start accepting connections."""
        self._acceptor.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting, close every open connection and join every thread."""
        with self._lock:
            self._stopping = True
            sockets = list(self._sockets)
        self._wake_write.send(b"x")
        self._acceptor.join(timeout)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout)
        self._listener.close()
        self._wake_read.close()
        self._wake_write.close()

    def _accept_loop(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self._listener, selectors.EVENT_READ)
            selector.register(self._wake_read, selectors.EVENT_READ)
            while True:
                for key, _ in selector.select():
                    if key.fileobj is self._wake_read:
                        return
                    try:
                        conn, _address = self._listener.accept()
                    except OSError:
                        continue
                    self._spawn(self._serve, conn, name="firelab-conn")

    def _spawn(self, target: Callable[..., None], *args: object, name: str) -> None:
        thread = threading.Thread(target=self._run, args=(target, *args), name=name, daemon=True)
        with self._lock:
            if self._stopping:
                for arg in args:
                    if isinstance(arg, socket.socket):
                        arg.close()
                return
            self._threads.add(thread)
        thread.start()

    def _run(self, target: Callable[..., None], *args: object) -> None:
        try:
            target(*args)
        finally:
            with self._lock:
                self._threads.discard(threading.current_thread())

    def _track(self, sock: socket.socket) -> bool:
        with self._lock:
            if self._stopping:
                return False
            self._sockets.add(sock)
            return True

    def _untrack(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)
        sock.close()

    def _serve(self, conn: socket.socket) -> None:
        if not self._track(conn):
            conn.close()
            return
        try:
            _tune(conn)
            first = _peek(conn)
            if first is None:
                return
            if first.startswith(_PREFACE):
                self._relay(conn)
            else:
                self._http_handler(conn, b"")
        except OSError:
            return
        finally:
            self._untrack(conn)

    def _relay(self, conn: socket.socket) -> None:
        backend = socket.create_connection(self._backend)
        if not self._track(backend):
            backend.close()
            return
        answers: threading.Thread | None = None
        try:
            _tune(backend)
            answers = threading.Thread(
                target=self._pump, args=(backend, conn), name="firelab-relay", daemon=True
            )
            answers.start()
            self._pump(conn, backend)
            # The client is gone: grpcio closes its side once it reads the end of stream.
            answers.join(_DRAIN_SECONDS)
        finally:
            with contextlib.suppress(OSError):
                backend.shutdown(socket.SHUT_RDWR)
            if answers is not None:
                answers.join()
            self._untrack(backend)

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            _PUMP(source, target)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                target.shutdown(socket.SHUT_WR)
