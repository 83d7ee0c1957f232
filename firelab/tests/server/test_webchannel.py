"""WebChannel on the wire, as the web SDK in a browser speaks it and the official emulator
v1.22.0 answers it (the hidane project's docs/webchannel.md and its recording of the official
emulator): handshake, back channels streaming or long-polling, forward channels, terminate,
unknown sessions, stream errors, and the `headers` field carrying the caller's identity.

The real SDK over WebChannel is driven by tests/firelab/js (webchannel and long-polling runs).
"""

from __future__ import annotations

import http.client
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from firelab.server import FirestoreServer, _webchannel, _webchannel_session
from firelab.server._webchannel_session import frame, utf16_length

HEADERS = "X-Goog-Api-Client:gl-js/ fire/12.19.0\r\nContent-Type:text/plain\r\n"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
TEXT = "café \U0001f600"


class Frames:
    """Reads `<length>\\n<JSON>` frames off a response as they arrive (lengths in UTF-16)."""

    def __init__(self, response: http.client.HTTPResponse) -> None:
        self.response = response
        self.buffer = ""
        self.ended = False

    def next(self, timeout: float = 10.0) -> Any:
        """The next frame's JSON value, None when the response ended first."""
        deadline = time.monotonic() + timeout
        while True:
            newline = self.buffer.find("\n")
            if newline >= 0:
                length = int(self.buffer[:newline])
                text = self.buffer[newline + 1 :]
                units = 0
                index = 0
                while index < len(text) and units < length:
                    units += 2 if ord(text[index]) > 0xFFFF else 1
                    index += 1
                if units == length:
                    self.buffer = text[index:]
                    return json.loads(text[:index])
            if self.ended:
                return None
            assert time.monotonic() < deadline, f"no complete frame in {self.buffer!r}"
            data = self.response.read1(65536)
            if not data:
                self.ended = True
                continue
            self.buffer += data.decode("utf-8")


class Session:
    """One WebChannel session driven step by step, as closure-library's client drives it."""

    def __init__(self, host: str, database: str, rpc: str) -> None:
        self.host = host
        self.database = database
        self.path = f"/google.firestore.v1.Firestore/{rpc}/channel"
        self.sid = ""
        self.rid = 1000
        self.acknowledged = 0
        self.sent = 0
        self.backchannel: Frames | None = None
        self.connections: list[http.client.HTTPConnection] = []

    def _request(
        self, method: str, params: dict[str, Any], body: str | None = None
    ) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection(self.host, timeout=30)
        self.connections.append(connection)
        query = urlencode({"VER": 8, "database": self.database, **params}, safe="()")
        connection.request(method, f"{self.path}?{query}", body=body, headers=FORM)
        return connection.getresponse()

    def _form(self, messages: list[Any], **extra: Any) -> str:
        fields: dict[str, Any] = {**extra, "count": len(messages), "ofs": self.sent}
        for index, message in enumerate(messages):
            fields[f"req{index}___data__"] = json.dumps(message)
        self.sent += len(messages)
        return urlencode(fields)

    def handshake(self, messages: list[Any], headers: str = HEADERS) -> Any:
        params = {"RID": self.rid, "CVER": 22, "X-HTTP-Session-Id": "gsessionid", "zx": "x"}
        response = self._request("POST", params, self._form(messages, headers=headers))
        assert response.status == 200
        created = Frames(response).next()
        self.sid = created[0][1][1]
        self.rid += 1
        return created

    def open(self, *, streaming: bool = True, acknowledged: int | None = None) -> int:
        aid = self.acknowledged if acknowledged is None else acknowledged
        params = {"RID": "rpc", "SID": self.sid, "AID": aid, "CI": 0 if streaming else 1}
        response = self._request("GET", {**params, "TYPE": "xmlhttp", "zx": "x"})
        if response.status == 200:
            self.backchannel = Frames(response)
        return response.status

    def read(self, until: str) -> list[Any]:
        """Messages (`[id, payload]`) up to the first whose JSON contains `until`, or to the
        end of the answer when `until` is "end"."""
        assert self.backchannel is not None
        read = []
        while True:
            data = self.backchannel.next()
            if data is None:
                assert until == "end", f"the back channel ended before {until!r}: {read}"
                return read
            for entry in data:
                self.acknowledged = entry[0]
                read.append(entry)
            if until != "end" and until in json.dumps(data):
                return read

    def forward(self, messages: list[Any]) -> tuple[int, Any]:
        params = {"SID": self.sid, "RID": self.rid, "AID": self.acknowledged, "zx": "x"}
        self.rid += 1
        response = self._request("POST", params, self._form(messages))
        return response.status, Frames(response).next()

    def terminate(self) -> tuple[int, bytes]:
        params = {"SID": self.sid, "RID": self.rid, "TYPE": "terminate", "zx": "x"}
        response = self._request("POST", params)
        return response.status, response.read()

    def close(self) -> None:
        for connection in self.connections:
            connection.close()


@pytest.fixture
def project(firestore_server: Any) -> str:
    """A fresh project for one test."""
    return f"demo-webchannel-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def sessions(firestore_server: Any, project: str) -> Iterator[Any]:
    """Opens sessions on the test's project; closes their connections afterwards."""
    opened: list[Session] = []

    def open_session(rpc: str) -> Session:
        session = Session(firestore_server.host, f"projects/{project}/databases/(default)", rpc)
        opened.append(session)
        return session

    yield open_session
    for session in opened:
        session.close()


def _commit(server: Any, project: str, name: str, fields: dict[str, Any]) -> None:
    documents = f"projects/{project}/databases/(default)/documents"
    write = {"update": {"name": f"{documents}/{name}", "fields": fields}}
    status, body = server.request(
        "POST", f"/v1/{documents}:commit", json.dumps({"writes": [write]}).encode()
    )
    assert status == 200, body


def _payloads(entries: list[Any]) -> list[Any]:
    return [entry[1][0] for entry in entries]


def _ids(entries: list[Any]) -> list[int]:
    return [entry[0] for entry in entries]


@pytest.mark.parametrize(
    ("text", "length"),
    [("", 0), ("abc", 3), ("é", 1), ("\U0001f600", 2), (TEXT, 7)],
)
def test_frame_lengths_count_utf16_code_units(text, length):
    """A frame's length is what a browser's String.length counts: astral characters are two."""
    assert utf16_length(text) == length
    assert frame(text) == f"{length}\n{text}".encode()


def test_a_listen_session_carries_the_stream_in_numbered_messages(
    firestore_server, project, sessions
):
    """Handshake, then a streaming back channel: the target's responses as ProtoJSON with IDs
    from 1, a noop, later changes as they commit (UTF-16 framing intact); a forward request
    is answered with the last ID; terminate ends the session."""
    documents = f"projects/{project}/databases/(default)/documents"
    listen = sessions("Listen")
    target = {"documents": {"documents": [f"{documents}/c/a"]}, "targetId": 2}
    created = listen.handshake([{"database": listen.database, "addTarget": target}])
    assert created == [[0, ["c", listen.sid, "", 8, 12, 30000]]]
    assert listen.open() == 200
    first = listen.read(until="noop")
    assert _ids(first) == list(range(1, len(first) + 1))
    payloads = _payloads(first)
    assert payloads[0] == {"targetChange": {"targetChangeType": "ADD", "targetIds": [2]}}
    current = payloads[-3]["targetChange"]
    assert (current["targetChangeType"], current["targetIds"]) == ("CURRENT", [2])
    assert set(payloads[-2]["targetChange"]) == {"resumeToken", "readTime"}
    assert payloads[-1] == "noop"

    _commit(firestore_server, project, "c/a", {"s": {"stringValue": TEXT}})
    changed = listen.read(until="resumeToken")
    change = _payloads(changed)[0]["documentChange"]
    assert change["document"]["fields"] == {"s": {"stringValue": TEXT}}
    assert change["targetIds"] == [2]

    status, answer = listen.forward([{"database": listen.database, "removeTarget": 2}])
    assert (status, answer) == (200, [1, listen.acknowledged, 7])
    removed = listen.read(until="REMOVE")
    assert _payloads(removed)[-1] == {
        "targetChange": {"targetChangeType": "REMOVE", "targetIds": [2]}
    }
    assert listen.terminate() == (200, b"")
    assert listen.open() == 400


@pytest.mark.parametrize("method", ["GET", "POST", "terminate"])
def test_an_unknown_session_is_400_with_an_empty_body(firestore_server, method):
    """A session the server does not know answers 400 and nothing else, so the client starts
    over."""
    params = {"VER": 8, "SID": "no-such-session", "RID": 5, "AID": 0, "zx": "x"}
    if method == "GET":
        params.update({"RID": "rpc", "CI": 0, "TYPE": "xmlhttp"})
    elif method == "terminate":
        params["TYPE"] = "terminate"
    connection = http.client.HTTPConnection(firestore_server.host, timeout=10)
    try:
        path = f"/google.firestore.v1.Firestore/Listen/channel?{urlencode(params)}"
        verb = "GET" if method == "GET" else "POST"
        connection.request(
            verb, path, body=None if verb == "GET" else "count=0&ofs=0", headers=FORM
        )
        response = connection.getresponse()
        assert (response.status, response.read()) == (400, b"")
    finally:
        connection.close()


def test_a_write_session_acknowledges_writes_and_ends_with_the_error_message(
    firestore_server, project, sessions
):
    """The Write stream's handshake and writes over the channel; a refused write is the
    session's last message, `{"error": {"message": "<STATUS>: …", "status": …}}`."""
    documents = f"projects/{project}/databases/(default)/documents"
    write = sessions("Write")
    write.handshake([{"database": write.database}])
    assert write.open() == 200
    opened = _payloads(write.read(until="noop"))
    assert opened[0]["streamToken"] == "MA=="
    assert opened[0]["streamId"]
    assert opened[1] == "noop"

    update = {"name": f"{documents}/c/b", "fields": {"n": {"integerValue": "1"}}}
    status, answer = write.forward([{"streamToken": "MA==", "writes": [{"update": update}]}])
    assert (status, answer) == (200, [1, 2, 7])
    written = _payloads(write.read(until="writeResults"))[-1]
    assert written["streamToken"] == "MQ=="
    assert [set(result) for result in written["writeResults"]] == [{"updateTime"}]
    assert written["commitTime"] == written["writeResults"][0]["updateTime"]

    big = {"name": f"{documents}/c/big", "fields": {"s": {"stringValue": "x" * 1048488}}}
    write.forward([{"streamToken": "MQ==", "writes": [{"update": big}]}])
    failed = _payloads(write.read(until="error"))[-1]
    assert failed == {
        "error": {
            "message": 'INVALID_ARGUMENT: The value of property "s" is longer than 1048487 bytes.',
            "status": "INVALID_ARGUMENT",
        }
    }
    assert write.terminate() == (200, b"")


def test_a_long_poll_ends_with_its_data(firestore_server, project, sessions):
    """`CI=1`: queued messages end the answer at once; otherwise a noop, and the answer ends
    with the next data."""
    documents = f"projects/{project}/databases/(default)/documents"
    poll = sessions("Listen")
    target = {"documents": {"documents": [f"{documents}/c/p"]}, "targetId": 2}
    poll.handshake([{"database": poll.database, "addTarget": target}])
    assert firestore_server.local is not None
    queued = firestore_server.local._webchannel._session("Listen", poll.sid)
    assert queued is not None
    assert queued.wait_until_queued(3)  # ADD, CURRENT, and the global NO_CHANGE
    assert poll.open(streaming=False) == 200
    queued = poll.read(until="end")
    assert "noop" not in _payloads(queued)
    assert "resumeToken" in json.dumps(queued[-1])

    assert poll.open(streaming=False) == 200
    assert _payloads(poll.read(until="noop")) == ["noop"]
    _commit(firestore_server, project, "c/p", {"n": {"integerValue": "1"}})
    changed = _payloads(poll.read(until="end"))
    assert changed[0]["documentChange"]["document"]["fields"] == {"n": {"integerValue": "1"}}


def test_a_back_channel_resends_what_came_after_its_aid(project, sessions):
    """Messages stay until a back channel acknowledges them, so a broken back channel loses
    nothing: the next one starts after its `AID`."""
    write = sessions("Write")
    write.handshake([{"database": write.database}])
    assert write.open() == 200
    first = write.read(until="noop")
    assert write.open(acknowledged=0) == 200
    again = write.read(until="noop")
    assert again[: len(first)] == first
    assert write.open(acknowledged=again[-1][0]) == 200
    assert _payloads(write.read(until="noop")) == ["noop"]


def test_a_handshake_without_messages_waits_for_the_first_one(project, sessions):
    """A session may start empty: its first message comes on the forward channel, answered
    with no back channel open and no message sent yet."""
    write = sessions("Write")
    write.handshake([])
    assert write.forward([{"database": write.database}]) == (200, [0, 0, 7])
    assert write.open() == 200
    opened = _payloads(write.read(until="noop"))
    assert opened[0]["streamToken"] == "MA=="


@pytest.mark.parametrize(
    ("authorization", "allowed"),
    [("Authorization:Bearer owner\r\n", True), ("", False)],
    ids=["owner", "signed out"],
)
def test_the_headers_field_carries_the_callers_identity(
    firestore_server, project, sessions, authorization, allowed
):
    """The handshake's `headers` field is the request's headers (a page cannot set them on a
    cross-origin request): `Authorization` there decides who the rules see."""
    firestore_server.load_rules(
        "rules_version = '2';\n"
        "service cloud.firestore { match /databases/{d}/documents {"
        " match /{path=**} { allow read, write: if false; } } }",
        project=project,
    )
    documents = f"projects/{project}/databases/(default)/documents"
    _commit(firestore_server, project, "c/a", {"n": {"integerValue": "1"}})
    listen = sessions("Listen")
    target = {"documents": {"documents": [f"{documents}/c/a"]}, "targetId": 2}
    listen.handshake([{"database": listen.database, "addTarget": target}], HEADERS + authorization)
    assert listen.open() == 200
    payloads = _payloads(listen.read(until="noop"))
    if allowed:
        assert payloads[1]["documentChange"]["document"]["fields"] == {"n": {"integerValue": "1"}}
    else:
        removed = payloads[0]["targetChange"]
        assert (removed["targetChangeType"], removed["cause"]["code"]) == ("REMOVE", 7)


def test_stopping_the_server_ends_open_back_channels_at_once(monkeypatch):
    """An open back channel waits on its session, not on the socket: stop() ends it rather
    than waiting for the next keepalive (an hour here, far beyond the client's 30 s socket
    timeout, so only the session's end can end the answer)."""
    monkeypatch.setattr(_webchannel_session, "KEEPALIVE_SECONDS", 3600.0)
    monkeypatch.setattr(_webchannel_session, "BACKCHANNEL_SECONDS", 7200.0)
    server = FirestoreServer(port=0).start()
    session = Session(server.address, "projects/demo-webchannel-stop/databases/(default)", "Write")
    try:
        session.handshake([{"database": session.database}])
        assert session.open() == 200
        session.read(until="noop")
        server.stop()
        assert session.read(until="end") == []
    finally:
        session.close()
        server.stop()


def test_sessions_left_without_a_back_channel_are_dropped(monkeypatch):
    """A session nobody has used for the idle limit (no back channel, no request) is dropped
    when the next session starts, rather than kept forever as the official emulator does."""
    monkeypatch.setattr(_webchannel, "IDLE_SECONDS", 0.0)
    with FirestoreServer(port=0) as server:
        database = "projects/demo-webchannel-idle/databases/(default)"
        left, used = (
            Session(server.address, database, "Write"),
            Session(server.address, database, "Write"),
        )
        try:
            left.handshake([{"database": database}])
            used.handshake([{"database": database}])
            assert left.open() == 400
            assert used.open() == 200
        finally:
            left.close()
            used.close()
