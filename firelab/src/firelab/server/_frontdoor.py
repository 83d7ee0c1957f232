"""One public port for gRPC and HTTP/1.1, routed by the first bytes of each connection.

Python's grpcio cannot answer HTTP/1.1, and clients expect the REST API, the emulator's own
endpoints and gRPC on the same address (the official emulator serves all three on one port).
Each accepted connection's first bytes are peeked at (left in the kernel buffer): the HTTP/2
connection preface (`PRI * HTTP/2.0`) is relayed to the internal grpcio server, anything else is
answered by the HTTP handler in a thread of this process.

The relay sits on the gRPC hot path. `ProcessFrontDoor` (Linux) runs it in a small child process
(`_relay_child.py`) that splices bytes kernel to kernel and passes HTTP connections back as file
descriptors, so relaying never waits for the server's GIL: measured on 2 cores, GetDocument
through the public port costs about 8% over grpcio's own port instead of 20-25% with the relay
in the server process. `FrontDoor` is the in-process variant (one thread per direction, splice
where available), used where the child's facilities (`os.splice`, `socket.send_fds`) are not.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["FrontDoor", "ProcessFrontDoor"]

_PREFACE = b"PRI"
_CHUNK = 1 << 20
_DRAIN_SECONDS = 10.0
_PEEK_SECONDS = 5.0
_CHILD = Path(__file__).with_name("_relay_child.py")

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


def bind(host: str, port: int) -> socket.socket:
    """The public listening socket (`localhost` prefers IPv4, which every client reaches)."""
    address = "127.0.0.1" if host == "localhost" else host
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    return socket.create_server((address, port), family=family, backlog=512)


class _Connections:
    """Threads serving connections, and the sockets to close when the door stops."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._threads: set[threading.Thread] = set()
        self._stopping = False

    def spawn(self, target: Callable[..., None], *args: object, name: str) -> None:
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

    def track(self, sock: socket.socket) -> bool:
        with self._lock:
            if self._stopping:
                return False
            self._sockets.add(sock)
            return True

    def untrack(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)
        sock.close()

    def close_all(self, timeout: float) -> None:
        with self._lock:
            self._stopping = True
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout)

    def serve_http(self, conn: socket.socket, handler: ConnectionHandler) -> None:
        if not self.track(conn):
            conn.close()
            return
        try:
            _tune(conn)
            handler(conn, b"")
        except OSError:
            return
        finally:
            self.untrack(conn)


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
        self._listener = bind(host, port)
        self._port: int = self._listener.getsockname()[1]
        self._wake_read, self._wake_write = socket.socketpair()
        self._connections = _Connections()
        self._acceptor = threading.Thread(target=self._accept_loop, name="firelab-accept")

    @property
    def port(self) -> int:
        """The bound port (useful when 0 was asked for)."""
        return self._port

    def start(self) -> None:
        """Start accepting connections."""
        self._acceptor.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting, close every open connection and join every thread."""
        self._wake_write.send(b"x")
        self._acceptor.join(timeout)
        self._connections.close_all(timeout)
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
                    self._connections.spawn(self._serve, conn, name="firelab-conn")

    def _serve(self, conn: socket.socket) -> None:
        connections = self._connections
        if not connections.track(conn):
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
            connections.untrack(conn)

    def _relay(self, conn: socket.socket) -> None:
        connections = self._connections
        backend = socket.create_connection(self._backend)
        if not connections.track(backend):
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
            connections.untrack(backend)

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            _PUMP(source, target)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                target.shutdown(socket.SHUT_WR)


class ProcessFrontDoor:
    """The front door with its relay in a child process (see the module docstring)."""

    def __init__(
        self,
        host: str,
        port: int,
        backend: tuple[str, int],
        http_handler: ConnectionHandler,
    ) -> None:
        self._backend = backend
        self._http_handler = http_handler
        self._listener = bind(host, port)
        self._port: int = self._listener.getsockname()[1]
        self._control, self._child_control = socket.socketpair(
            socket.AF_UNIX, socket.SOCK_SEQPACKET
        )
        self._connections = _Connections()
        self._process: subprocess.Popen[bytes] | None = None
        self._receiver = threading.Thread(target=self._receive, name="firelab-http-fds")

    @staticmethod
    def supported() -> bool:
        """Whether this platform can run the relay child (Linux: splice and fd passing)."""
        return hasattr(os, "splice") and hasattr(socket, "send_fds")

    @property
    def port(self) -> int:
        """The bound port (useful when 0 was asked for)."""
        return self._port

    def start(self) -> None:
        """Start the relay child and the receiver of HTTP connections."""
        listen_fd, control_fd = self._listener.fileno(), self._child_control.fileno()
        host, port = self._backend
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-I",
                "-S",
                str(_CHILD),
                *map(str, (listen_fd, control_fd, host, port)),
            ],
            pass_fds=(listen_fd, control_fd),
            stdin=subprocess.DEVNULL,
        )
        # The child accepts from now on; our copies would keep the port and pair alive.
        self._listener.close()
        self._child_control.close()
        self._receiver.start()

    def _receive(self) -> None:
        while True:
            try:
                message, fds, _flags, _address = socket.recv_fds(self._control, 16, 8)
            except OSError:
                return
            if not message and not fds:
                return
            for fd in fds:
                conn = socket.socket(fileno=fd)
                self._connections.spawn(
                    self._connections.serve_http, conn, self._http_handler, name="firelab-conn"
                )

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the child (which closes what it relays), then every HTTP connection."""
        with contextlib.suppress(OSError):
            self._control.shutdown(socket.SHUT_RDWR)
        if self._process is not None:
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._receiver.is_alive():
            self._receiver.join(timeout)
        self._control.close()
        self._connections.close_all(timeout)
