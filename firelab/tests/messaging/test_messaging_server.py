"""The local FCM endpoint answers firebase-admin's unmodified `messaging.send_each` as FCM's
HTTP v1 API does, selected only by environment variables."""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Iterator
from typing import Any

import firebase_admin
import pytest
from firebase_admin import exceptions, messaging

from firelab.messaging import MessagingServer

PROJECT = "demo-fcm"


@pytest.fixture
def fcm(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[MessagingServer, firebase_admin.App]]:
    """A running endpoint, the environment pointing at it, and an Admin app made after it
    (Application Default Credentials are read when the app first needs them)."""
    with MessagingServer(PROJECT) as server:
        for name, value in server.environment().items():
            monkeypatch.setenv(name, value)
        app = firebase_admin.initialize_app(options={"projectId": PROJECT}, name="fcm-test")
        try:
            yield server, app
        finally:
            firebase_admin.delete_app(app)


def to_device(fid: str, title: str = "Hello") -> messaging.Message:
    return messaging.Message(
        fid=fid, notification=messaging.Notification(title=title, body="A body"), data={"k": "v"}
    )


def test_a_send_is_answered_with_a_message_name_and_recorded(fcm: Any) -> None:
    """FCM answers a message name under the project; the request is recorded as sent."""
    server, app = fcm
    response = messaging.send_each([to_device("device-1")], app=app)
    assert response.success_count == 1
    assert response.responses[0].message_id.startswith(f"projects/{PROJECT}/messages/")
    [sent] = server.messages()
    assert sent.message["fid"] == "device-1"
    assert sent.message["notification"] == {"title": "Hello", "body": "A body"}
    assert (sent.status, sent.error) == (200, None)


def test_an_unregistered_token_gets_fcms_unregistered_error(fcm: Any) -> None:
    """A token marked unregistered is answered 404 UNREGISTERED: the SDK raises
    UnregisteredError, as it does for an uninstalled app."""
    server, app = fcm
    server.unregister("gone")
    response = messaging.send_each([to_device("gone"), to_device("here")], app=app)
    gone, here = response.responses
    assert isinstance(gone.exception, messaging.UnregisteredError)
    assert here.success
    answered = {sent.message["fid"]: sent.error for sent in server.messages()}
    assert answered == {"gone": "UNREGISTERED", "here": None}


def test_a_malformed_token_is_an_invalid_argument(fcm: Any) -> None:
    """A string that is no registration token is answered 400 with FCM's INVALID_ARGUMENT
    detail."""
    _, app = fcm
    response = messaging.send_each([to_device("not a token!")], app=app)
    error = response.responses[0].exception
    assert isinstance(error, exceptions.InvalidArgumentError)
    assert error.http_response is not None
    detail = error.http_response.json()["error"]["details"][0]
    assert detail["errorCode"] == "INVALID_ARGUMENT"


def test_the_record_is_listed_and_cleared_over_http(fcm: Any) -> None:
    """Tests in other languages read the record at /messages and mark tokens at
    /unregistered."""
    server, app = fcm
    request = urllib.request.Request(
        f"{server.url}/unregistered",
        data=json.dumps({"token": "old"}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    urllib.request.urlopen(request, timeout=10).close()
    messaging.send_each([to_device("old")], app=app)
    with urllib.request.urlopen(f"{server.url}/messages", timeout=10) as listed:
        [entry] = json.load(listed)["messages"]
    assert (entry["message"]["fid"], entry["status"], entry["error"]) == (
        "old",
        404,
        "UNREGISTERED",
    )
    urllib.request.urlopen(
        urllib.request.Request(f"{server.url}/messages", method="DELETE"), timeout=10
    ).close()
    assert server.messages() == []


def test_without_credentials_fcm_answers_unauthenticated() -> None:
    """A request without a bearer token is refused as FCM refuses it."""
    with MessagingServer(PROJECT) as server:
        status, body = server.send(PROJECT, {"message": {"fid": "x"}}, None)
    assert int(status) == 401
    assert body["error"]["status"] == "UNAUTHENTICATED"


def test_it_tunnels_to_fcm_only(fcm: Any) -> None:
    """A CONNECT to any other host is refused, so nothing leaves the machine."""
    server, _ = fcm
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"https": server.url}))
    with pytest.raises(OSError, match="403"):
        opener.open("https://example.com/", timeout=10)


def test_the_stack_points_its_process_at_the_endpoint() -> None:
    """A stack serves the endpoint and sets the variables for its functions; its stop puts
    the environment back."""
    from firelab.stack import LocalStack, StackConfig

    before = os.environ.get("HTTPS_PROXY")
    lines: list[str] = []
    config = StackConfig(project=PROJECT, auth=False, storage=False, messaging_log=lines.append)
    with LocalStack(config) as stack:
        assert stack.messaging is not None
        assert os.environ["HTTPS_PROXY"] == stack.messaging.url
        app = firebase_admin.initialize_app(options={"projectId": PROJECT}, name="stack-test")
        try:
            messaging.send_each([to_device("device-9", "From the stack")], app=app)
        finally:
            firebase_admin.delete_app(app)
        assert [sent.message["fid"] for sent in stack.messaging.messages()] == ["device-9"]
        assert "Messaging" in stack.describe()
    assert lines == ["FCM push to fid device-9: 'From the stack' (200)"]
    assert os.environ.get("HTTPS_PROXY") == before
