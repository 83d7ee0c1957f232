"""The front door's relay process: accepts on the public port, moves gRPC bytes, hands HTTP on.

Run by path (`python _relay_child.py …`), so it imports only the standard library and starts
in a few tens of milliseconds. It inherits the bound listening socket and one end of a Unix
SEQPACKET socket pair. Each accepted connection's first bytes are peeked at: the HTTP/2 preface
is spliced to the grpcio server (kernel to kernel, in this process, so the relay never waits
for the server process's GIL); any other connection is passed, as a file descriptor, to the
server process, which answers HTTP/1.1 itself. The process exits when the control socket
closes (the server stopped or died) and every connection it relays goes with it. Its lifetime
is the parent's to decide, so it ignores SIGINT: a terminal's Ctrl-C reaches the whole process
group, and the parent's own shutdown then closes the control socket.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import socket
import sys
import threading
import time

__all__ = ["Relay", "main"]

_PREFACE = b"PRI"
_CHUNK = 1 << 20
_PEEK_SECONDS = 5.0


def _pump(source: socket.socket, target: socket.socket) -> None:
    """Move bytes from `source` to `target` until end of stream, then half-close `target`."""
    read_end, write_end = os.pipe()
    try:
        source_fd, target_fd = source.fileno(), target.fileno()
        while True:
            moved = os.splice(source_fd, write_end, _CHUNK)
            if moved == 0:
                return
            while moved:
                moved -= os.splice(read_end, target_fd, moved)
    except OSError:
        return
    finally:
        os.close(read_end)
        os.close(write_end)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)


def _peek(conn: socket.socket) -> bytes:
    deadline = time.monotonic() + _PEEK_SECONDS
    while True:
        first = conn.recv(len(_PREFACE), socket.MSG_PEEK)
        if (
            not first
            or len(first) == len(_PREFACE)
            or not _PREFACE.startswith(first)
            or time.monotonic() > deadline
        ):
            return first
        time.sleep(0.001)


class Relay:
    """The accept loop and the connections it relays."""

    def __init__(
        self, listener: socket.socket, control: socket.socket, backend: tuple[str, int]
    ) -> None:
        self.listener = listener
        self.control = control
        self.backend = backend
        self.send_lock = threading.Lock()
        self.lock = threading.Lock()
        self.open: set[socket.socket] = set()

    def serve(self) -> None:
        """Accept until the control socket closes; then close every connection."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.listener, selectors.EVENT_READ)
            selector.register(self.control, selectors.EVENT_READ)
            running = True
            while running:
                for key, _ in selector.select():
                    if key.fileobj is self.control:
                        running = False
                        break
                    try:
                        conn, _address = self.listener.accept()
                    except OSError:
                        continue
                    threading.Thread(target=self.connection, args=(conn,), daemon=True).start()
        with self.lock:
            for sock in self.open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def connection(self, conn: socket.socket) -> None:
        """Relay one connection, or hand it to the server process."""
        with contextlib.suppress(OSError):
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            first = _peek(conn)
            if not first:
                return
            if not first.startswith(_PREFACE):
                with self.send_lock:
                    socket.send_fds(self.control, [b"h"], [conn.fileno()])
                return
            self.relay(conn)
        except OSError:
            return
        finally:
            conn.close()

    def relay(self, conn: socket.socket) -> None:
        """Splice both directions between `conn` and a new connection to grpcio."""
        backend = socket.create_connection(self.backend)
        backend.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.lock:
            self.open.update((conn, backend))
        answers = threading.Thread(target=_pump, args=(backend, conn), daemon=True)
        answers.start()
        try:
            _pump(conn, backend)
            answers.join(10)
        finally:
            with contextlib.suppress(OSError):
                backend.shutdown(socket.SHUT_RDWR)
            answers.join()
            backend.close()
            with self.lock:
                self.open.difference_update((conn, backend))


def main(argv: list[str]) -> int:
    """`_relay_child.py LISTEN_FD CONTROL_FD BACKEND_HOST BACKEND_PORT`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    listen_fd, control_fd, host, port = argv[1:5]
    listener = socket.socket(fileno=int(listen_fd))
    control = socket.socket(fileno=int(control_fd))
    Relay(listener, control, (host, int(port))).serve()
    listener.close()
    control.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
