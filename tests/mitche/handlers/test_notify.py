"""`notify` against a real local Firestore server: one entry per key, collapsed entries, the
unread count, texts in the member's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from firelab.server import FirestoreServer
from mitche.errors import FailedPreconditionError
from mitche.handlers._notify import inbox_path, notification_path, notify
from mitche.models import NotificationKind
from mitche.services import Unit, run_batch, run_transaction

PROJECT = "demo-notify"
AT = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def server() -> Iterator[FirestoreServer]:
    with FirestoreServer(port=0) as running:
        yield running


@pytest.fixture
def client(server: FirestoreServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[firestore.Client]:
    """An empty database, through the client the functions use."""
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", server.address)
    made = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
    for collection in made.collections():
        made.recursive_delete(collection)
    yield made
    made.close()


def offering_received(client: firestore.Client, key: str, recipient: str = "rita") -> Any:
    return run_transaction(
        client,
        "test",
        lambda unit: notify(
            unit,
            recipient=recipient,
            kind=NotificationKind.OFFERING_RECEIVED,
            params={"requestTitle": "Groceries on Tuesday"},
            target="offerings/o1",
            key=key,
            at=AT,
        ),
    )


def message(client: firestore.Client, key: str) -> Any:
    return run_transaction(
        client,
        "test",
        lambda unit: notify(
            unit,
            recipient="rita",
            kind=NotificationKind.NEW_MESSAGE,
            params={},
            target="conversations/c1",
            key=key,
            collapse_key="conversations/c1",
            at=AT,
        ),
    )


def unread(client: firestore.Client, uid: str = "rita") -> int:
    data = client.document(inbox_path(uid)).get().to_dict() or {}
    return int(data.get("unread", 0))


def test_a_notification_is_written_once_per_key(client: firestore.Client) -> None:
    """A redelivered event finds its notification and writes nothing: one entry, one unread."""
    first = offering_received(client, "event-1:rita")
    second = offering_received(client, "event-1:rita")
    assert first.created
    assert not second.wrote
    stored = client.document(notification_path("rita", "event-1:rita")).get().to_dict()
    assert stored is not None
    assert stored["kind"] == "offeringReceived"
    assert stored["title"] == "New offer of help"
    assert stored["readAt"] is None
    assert stored["push"] == {"status": "pending"}
    assert unread(client) == 1


def test_texts_are_in_the_members_language(client: firestore.Client) -> None:
    """A member whose locale is fr-CA reads French."""
    client.document("users/rita").set({"preferences": {"locale": "fr-CA"}})
    offering_received(client, "event-2:rita")
    stored = client.document(notification_path("rita", "event-2:rita")).get().to_dict() or {}
    assert stored["locale"] == "fr"
    assert stored["body"] == "Quelqu'un propose de vous aider pour « Groceries on Tuesday »."


def test_concurrent_notifications_count_every_unread(client: firestore.Client) -> None:
    """Twenty events at once: twenty entries and an unread count of twenty."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda n: offering_received(client, f"burst-{n}:rita"), range(20)))
    assert unread(client) == 20


def test_messages_collapse_into_one_entry_per_conversation(client: firestore.Client) -> None:
    """Three messages make one unread entry counting three; once read, the next message
    reopens it (unread again, counting one, push pending again)."""
    for n in range(3):
        message(client, f"message-{n}:rita")
    message(client, "message-2:rita")
    path = notification_path("rita", "conversations/c1")
    stored = client.document(path).get().to_dict() or {}
    assert stored["count"] == 3
    assert stored["body"] == "You have 3 new messages in a conversation."
    assert unread(client) == 1
    client.document(path).update({"readAt": AT, "push": {"status": "sent"}})
    client.document(inbox_path("rita")).update({"unread": firestore.Increment(-1)})
    message(client, "message-3:rita")
    stored = client.document(path).get().to_dict() or {}
    assert (stored["count"], stored["readAt"], stored["push"]) == (1, None, {"status": "pending"})
    assert unread(client) == 1


def test_a_batch_needs_the_locale_and_cannot_collapse(client: firestore.Client) -> None:
    """A batch cannot read the member's profile or the entry to fold into: a clear error."""

    def without_locale(unit: Unit) -> Any:
        return notify(
            unit,
            recipient="rita",
            kind=NotificationKind.LEVEL_UP,
            params={"level": 3},
            target="users/rita",
            key="k",
            at=AT,
        )

    with pytest.raises(FailedPreconditionError, match="locale"):
        run_batch(client, "test", without_locale)

    def with_locale(unit: Unit) -> Any:
        return notify(
            unit,
            recipient="rita",
            kind=NotificationKind.LEVEL_UP,
            params={"level": 3},
            target="users/rita",
            key="k",
            at=AT,
            locale="fr",
        )

    assert run_batch(client, "test", with_locale).created
    stored = client.document(notification_path("rita", "k")).get().to_dict() or {}
    assert stored["body"] == "Vous avez atteint le niveau 3."


def test_a_missing_param_is_a_clear_error(client: firestore.Client) -> None:
    """A template's placeholder without its param names the param."""
    with pytest.raises(ValueError, match="requestTitle"):
        run_transaction(
            client,
            "test",
            lambda unit: notify(
                unit,
                recipient="rita",
                kind=NotificationKind.OFFERING_ACCEPTED,
                params={},
                target="offerings/o1",
                key="x",
                at=AT,
            ),
        )
