"""Push delivery against a real local Firestore server and firelab's local FCM endpoint,
through firebase-admin's unmodified `messaging.send_each`: settings, quiet hours, the rate
limit with its digest, pruned tokens and the unread count after a read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import firebase_admin
import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from firelab.messaging import MessagingServer
from firelab.server import FirestoreServer
from mitche.domain.push_policy import RATE_LIMIT
from mitche.handlers import Deps, DocumentChange
from mitche.handlers._notifications import count_read, deliver_push, send_due_pushes
from mitche.handlers._notify import inbox_path, notify
from mitche.models import NotificationKind
from mitche.services import FcmSender, SettingsStore, run_transaction

PROJECT = "demo-push"
NOON = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
"""13:00 in Paris."""
NIGHT = dt.datetime(2026, 12, 1, 22, 30, tzinfo=dt.UTC)
"""23:30 in Paris: inside 22:00-07:00 quiet hours."""


class NoAccounts:
    def set_claims(self, uid: str, claims: Any) -> bool:
        raise AssertionError("push never touches claims")

    def revoke_sessions(self, uid: str) -> bool:
        raise AssertionError("push never revokes sessions")


@dataclass
class World:
    client: firestore.Client
    fcm: MessagingServer
    deps: Deps
    clock: list[dt.datetime]

    def member(self, uid: str, **notifications: Any) -> None:
        self.client.document(f"users/{uid}").set(
            {
                "notifications": notifications,
                "preferences": {"locale": "en", "timeZone": "Europe/Paris"},
            }
        )
        self.client.document(f"users/{uid}/devices/phone").set(
            {"token": f"token-{uid}", "platform": "android"}
        )

    def notify(self, uid: str, key: str, kind: NotificationKind = NotificationKind.LEVEL_UP) -> str:
        params = {"level": "4"} if kind is NotificationKind.LEVEL_UP else {"requestTitle": "Soup"}
        outcome = run_transaction(
            self.client,
            "test",
            lambda unit: notify(
                unit,
                recipient=uid,
                kind=kind,
                params=params,
                target=f"users/{uid}",
                key=key,
                at=self.clock[0],
            ),
        )
        return outcome.path

    def deliver(self, path: str) -> Any:
        data = self.client.document(path).get().to_dict()
        change = DocumentChange(f"created:{path}", self.clock[0], path, None, data)
        return deliver_push(self.deps, change)

    def push_of(self, path: str) -> dict[str, Any]:
        return dict((self.client.document(path).get().to_dict() or {})["push"])

    def tokens_sent(self) -> list[str]:
        return [str(sent.message["token"]) for sent in self.fcm.messages() if sent.status == 200]


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[FirestoreServer, MessagingServer]]:
    with FirestoreServer(port=0) as store, MessagingServer(PROJECT) as fcm:
        yield store, fcm


@pytest.fixture
def world(
    servers: tuple[FirestoreServer, MessagingServer], monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    store, fcm = servers
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", store.address)
    for name, value in fcm.environment().items():
        monkeypatch.setenv(name, value)
    fcm.clear()
    client = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
    for collection in client.collections():
        client.recursive_delete(collection)
    app = firebase_admin.initialize_app(options={"projectId": PROJECT}, name="push-test")
    clock = [NOON]
    deps = Deps(
        settings=SettingsStore(),
        accounts=NoAccounts(),
        client_factory=lambda: client,
        now=lambda: clock[0],
        push=FcmSender(app),
    )
    try:
        yield World(client, fcm, deps, clock)
    finally:
        firebase_admin.delete_app(app)
        client.close()


def test_a_notification_is_pushed_to_the_members_device(world: World) -> None:
    """The push goes out once, with the notification's texts; a second delivery sends
    nothing more."""
    world.member("ana")
    path = world.notify("ana", "e1:ana")
    assert world.deliver(path).sent == 1
    assert world.deliver(path).status is None
    [sent] = world.fcm.messages()
    assert sent.message["token"] == "token-ana"
    assert sent.message["notification"] == {"title": "Level up", "body": "You reached level 4."}
    assert sent.message["data"]["notification"] == path
    assert world.push_of(path)["status"] == "sent"


@pytest.mark.parametrize(
    ("settings", "reason"),
    [
        ({"channels": {"push": False}}, "pushOff"),
        ({"topics": {"achievements": False}}, "topicOff"),
    ],
)
def test_settings_silence_the_push_but_not_the_entry(
    world: World, settings: dict[str, Any], reason: str
) -> None:
    """Push channel or topic off: no push, the entry stays in the list."""
    world.member("ben", **settings)
    path = world.notify("ben", "e2:ben")
    world.deliver(path)
    assert world.fcm.messages() == []
    assert world.push_of(path) == {"status": "skipped", "reason": reason}


def test_quiet_hours_defer_the_push_until_they_end(world: World) -> None:
    """At 23:30 in Paris with quiet hours 22:00-07:00 the push waits until 07:00 Paris
    (06:00 UTC); the schedule then sends it."""
    world.member("cleo", quietHours={"startsAt": "22:00", "endsAt": "07:00"})
    world.clock[0] = NIGHT
    path = world.notify("cleo", "e3:cleo")
    world.deliver(path)
    push = world.push_of(path)
    assert (push["status"], push["reason"]) == ("deferred", "quietHours")
    assert push["dueAt"] == dt.datetime(2026, 12, 2, 6, 0, tzinfo=dt.UTC)
    assert send_due_pushes(world.deps, NIGHT + dt.timedelta(hours=1)).sent == 0
    world.clock[0] = dt.datetime(2026, 12, 2, 6, 0, tzinfo=dt.UTC)
    assert send_due_pushes(world.deps, world.clock[0]).sent == 1
    assert world.tokens_sent() == ["token-cleo"]
    assert world.push_of(path)["status"] == "sent"


def test_over_the_rate_limit_pushes_wait_for_one_digest(world: World) -> None:
    """Beyond the limit, pushes are deferred to the window's end and go out as one digest."""
    world.member("dan")
    paths = [world.notify("dan", f"burst-{n}:dan") for n in range(RATE_LIMIT + 3)]
    for path in paths:
        world.deliver(path)
    assert len(world.tokens_sent()) == RATE_LIMIT
    held = [world.push_of(path) for path in paths[RATE_LIMIT:]]
    assert {push["reason"] for push in held} == {"rateLimit"}
    world.fcm.clear()
    world.clock[0] = held[0]["dueAt"]
    assert send_due_pushes(world.deps, world.clock[0]).notifications == 3
    [digest] = world.fcm.messages()
    assert digest.message["notification"]["body"] == "You have 3 new notifications."
    statuses = sorted(world.push_of(path)["status"] for path in paths[RATE_LIMIT:])
    assert statuses == ["digested", "digested", "sent"]


def test_an_unregistered_token_is_pruned(world: World) -> None:
    """FCM answers UNREGISTERED: the device is deleted and the push marked failed."""
    world.member("eve")
    world.fcm.unregister("token-eve")
    path = world.notify("eve", "e4:eve")
    outcome = world.deliver(path)
    assert (outcome.sent, outcome.pruned) == (0, 1)
    assert not world.client.document("users/eve/devices/phone").get().exists
    assert world.push_of(path)["status"] == "failed"


def test_reading_a_notification_decrements_the_unread_count_once(world: World) -> None:
    """The read is counted once however often its event is delivered."""
    path = world.notify("fay", "e5:fay")
    before = world.client.document(path).get().to_dict()
    assert before is not None
    after = {**before, "readAt": NOON}
    change = DocumentChange("read-1", NOON, path, before, after)
    assert count_read(world.deps, change)
    assert not count_read(world.deps, change)
    inbox = world.client.document(inbox_path("fay")).get().to_dict() or {}
    assert inbox["unread"] == 0
