"""results/sdk-auth-official: what a signed-in user (unsigned mock token), a signed-out user,
an owner and the Admin SDK can read, write, listen to and list with no rules loaded.

The users are google-cloud-firestore clients whose calls carry their own `authorization`
metadata (see `firelab.pytest_plugin`); "rules disabled" is an owner client."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

ORACLE = Path(__file__).parents[1] / "oracle" / "firestore-emulator-1.22.0" / "results"
TRANSCRIPT = json.loads((ORACLE / "sdk-auth-official-v1.22.0.json").read_text("utf-8"))
PROJECT = "demo-sdk-auth"


def first_snapshot(query: Any) -> list[str]:
    """The document IDs of a listener's first snapshot."""
    received: list[list[str]] = []
    ready = threading.Event()

    def on_snapshot(docs: list[Any], changes: list[Any], read_time: Any) -> None:
        received.append([doc.id for doc in docs])
        ready.set()

    watch = query.on_snapshot(on_snapshot)
    try:
        assert ready.wait(10)
    finally:
        watch.unsubscribe()
    return received[0]


def test_callers_without_rules_get_what_the_official_emulator_gave(firestore_server):
    """Users, signed out or not, read and write freely; metadata listing is the owner's."""
    firestore_server.clear(project=PROJECT)
    alice = firestore_server.user_client(
        "alice", {"email": "alice@example.com", "email_verified": True}, project=PROJECT
    )
    signed_out = firestore_server.user_client(None, project=PROJECT)
    owner = firestore_server.owner_client(project=PROJECT)
    steps: list[tuple[str, Any]] = [
        ("user writes c/a", lambda: alice.document("c/a").set({"by": "alice"}) and "ok"),
        ("user reads c/a", lambda: alice.document("c/a").get().to_dict()),
        ("user listens to c", lambda: first_snapshot(alice.collection("c"))),
        ("signed-out user reads c/a", lambda: signed_out.document("c/a").get().to_dict()),
        ("signed-out user queries c", lambda: [d.id for d in signed_out.collection("c").stream()]),
        ("rules disabled writes c/b", lambda: owner.document("c/b").set({"by": "owner"}) and "ok"),
        ("rules disabled lists c", lambda: [d.id for d in owner.collection("c").stream()]),
        ("Admin SDK lists collections", lambda: [c.id for c in owner.collections()]),
        (
            "Admin SDK reads c",
            lambda: [[d.id, d.to_dict()] for d in owner.collection("c").stream()],
        ),
    ]
    assert [{"step": name, "result": action()} for name, action in steps] == TRANSCRIPT
