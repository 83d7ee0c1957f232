"""Waiting for a port: it returns as soon as the port opens, and gives up as soon as the
process that was to open it is gone, without waiting out the timeout."""

from __future__ import annotations

import socket

from firelab.stack import free_port, wait_for_port


def test_an_open_port_is_found() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        assert wait_for_port("127.0.0.1", listener.getsockname()[1], timeout=30)


def test_a_dead_process_ends_the_wait_before_the_timeout() -> None:
    checks: list[int] = []

    def alive() -> bool:
        checks.append(1)
        return len(checks) < 3

    assert not wait_for_port("127.0.0.1", free_port(), timeout=3600, alive=alive)
    assert len(checks) == 3
