"""The relay child's lifetime belongs to its parent: a terminal's Ctrl-C (SIGINT to the whole
process group) neither stops it nor makes it print a traceback; closing the control socket
ends it cleanly."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

import firelab.server

CHILD = Path(firelab.server.__file__).with_name("_relay_child.py")


def handed_over(port: int, parent: socket.socket) -> None:
    """Open an HTTP connection to the child's port; assert it is passed to the parent."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(b"GET / HTTP/1.1\r\n\r\n")
        message, fds, _flags, _address = socket.recv_fds(parent, 16, 4)
        for fd in fds:
            socket.socket(fileno=fd).close()
        assert message == b"h"


def test_sigint_is_ignored_and_closing_the_control_socket_ends_the_child_quietly() -> None:
    """SIGINT leaves the child serving; closing the control socket makes it exit 0 silently."""
    listener = socket.create_server(("127.0.0.1", 0))
    parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    with (
        listener,
        parent,
        child,
        subprocess.Popen(
            [
                sys.executable,
                "-I",
                "-S",
                str(CHILD),
                str(listener.fileno()),
                str(child.fileno()),
                "127.0.0.1",
                "9",
            ],
            pass_fds=(listener.fileno(), child.fileno()),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ) as process,
    ):
        port = listener.getsockname()[1]
        handed_over(port, parent)  # the child is serving: SIGINT is ignored by now
        process.send_signal(signal.SIGINT)
        # An ignored signal is discarded when sent; one that was not would end the child
        # before it serves again, so a hand-over after it proves it was ignored.
        handed_over(port, parent)
        assert process.poll() is None
        parent.shutdown(socket.SHUT_RDWR)
        stdout, stderr = process.communicate(timeout=10)
    assert (process.returncode, stdout, stderr) == (0, b"", b"")
