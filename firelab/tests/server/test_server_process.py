"""Starting and stopping the server: the CLI line, POST /shutdown, nothing left running."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import grpc
import httpx
import pytest

from firelab.server import FirestoreServer
from firelab.server._http import MAX_BODY


def test_the_cli_prints_its_port_and_stops_on_post_shutdown():
    """`python -m firelab.server --port 0` announces the port; POST /shutdown ends it cleanly."""
    with subprocess.Popen(
        [sys.executable, "-m", "firelab.server", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("firelab firestore listening on 127.0.0.1:")
        address = line.rsplit(" ", 1)[1]
        assert httpx.get(f"http://{address}/").text == "Ok\n"
        response = httpx.post(f"http://{address}/shutdown")
        assert response.text == "Shutting down...\n"
        assert process.wait(timeout=10) == 0


def _threads() -> set[threading.Thread]:
    # grpc.aio starts one poller thread per process on first use and keeps it: not a leak.
    return {thread for thread in threading.enumerate() if "_poll_wrapper" not in thread.name}


def _children() -> set[int]:
    children = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children")
    return {int(pid) for pid in children.read_text().split()} if children.exists() else set()


@pytest.mark.parametrize("relay_process", [True, False], ids=["relay child", "relay threads"])
def test_stop_leaves_no_threads_behind(relay_process):
    """After gRPC and HTTP traffic, stop() closes every connection, joins every thread and
    reaps the relay child."""
    before, children = _threads(), _children()
    server = FirestoreServer(port=0, relay_process=relay_process).start()
    try:
        assert httpx.get(f"http://{server.address}/").status_code == 200
        channel = grpc.insecure_channel(server.address)
        method = channel.unary_unary(
            "/google.firestore.v1.Firestore/PartitionQuery",
            request_serializer=lambda message: b"",
            response_deserializer=lambda data: data,
        )
        with pytest.raises(grpc.RpcError) as raised:
            method(b"")
        assert raised.value.code() == grpc.StatusCode.UNIMPLEMENTED
        held_open = socket.create_connection(("127.0.0.1", server.port))
    finally:
        server.stop()
    channel.close()
    held_open.close()
    deadline = time.monotonic() + 5
    while _threads() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not {thread.name for thread in _threads() - before}
    assert _children() == children


def test_http_requests_share_a_connection_and_bodies_may_be_chunked(firestore_server):
    """Keep-alive, chunked uploads and `Expect: 100-continue` work as HTTP/1.1 requires."""
    with httpx.Client(base_url=f"http://{firestore_server.host}") as client:
        first = client.get("/")
        chunks = iter([b'{"wr', b'ites": []}'])
        second = client.post(
            "/v1/projects/p-chunked/databases/(default)/documents:beginTransaction",
            content=chunks,
            headers={"Expect": "100-continue", "Authorization": "Bearer garbage"},
        )
    assert first.text == "Ok\n"
    assert second.json() == {
        "error": {
            "code": 400,
            "message": "Payload isn't valid for request.",
            "status": "INVALID_ARGUMENT",
        }
    }


@pytest.mark.parametrize(("size", "status"), [(MAX_BODY + 1, 413)])
def test_bodies_over_16_mib_are_refused(firestore_server, size, status):
    """A REST body over 16 MiB gets 413 with an empty body (grpc_settings.json rest_sizes)."""
    response = httpx.post(
        f"http://{firestore_server.host}/v1/projects/p/databases/(default)/documents:commit",
        content=b" " * size,
    )
    assert (response.status_code, response.text, response.headers.get("content-type")) == (
        status,
        "",
        None,
    )
