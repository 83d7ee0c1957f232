"""results/sdk-documents-official: document operations through a real SDK, as the official
emulator answered them. The Node script's steps are run with google-cloud-firestore (directly
and as firebase-admin hands it out) and compared with the official transcript."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import firebase_admin
import firebase_admin.firestore
import pytest
from google.api_core import exceptions
from google.cloud import firestore

ORACLE = Path(__file__).parents[1] / "oracle" / "firestore-emulator-1.22.0" / "results"
TRANSCRIPT = json.loads((ORACLE / "sdk-documents-official-v1.22.0.json").read_text("utf-8"))
PROJECT = "demo-sdk-diff"


def _stamp(value: Any) -> str:
    return f"{value.seconds}.{value.nanos:09d}" if hasattr(value, "nanos") else value.isoformat()


class Transcript:
    """Runs steps, recording `{name, ok}` or `{name, error: {code, message}}`."""

    def __init__(self) -> None:
        self.out: list[dict[str, Any]] = []

    def step(self, name: str, action: Callable[[], Any]) -> None:
        try:
            self.out.append({"name": name, "ok": action()})
        except exceptions.GoogleAPICallError as error:
            code = error.grpc_status_code.value[0] if error.grpc_status_code else None
            message = re.sub(r"\d{10,}", "<n>", error.message)
            self.out.append({"name": name, "error": {"code": code, "message": message}})


def scenario(db: Any) -> list[dict[str, Any]]:
    """tools/oracle/sdk_documents.mjs, step for step, with the Python SDK."""
    users = db.collection("users")
    alice = users.document("alice")
    first: dict[str, Any] = {}
    run = Transcript()

    def set_alice() -> str:
        first["result"] = alice.set(
            {"name": "Alice", "age": 30, "tags": ["a", "b"], "nested": {"x": 1}}
        )
        return "ok"

    def get_alice() -> dict[str, Any]:
        snapshot = alice.get()
        return {
            "exists": snapshot.exists,
            "data": snapshot.to_dict(),
            "createEqualsUpdate": snapshot.create_time == snapshot.update_time,
            "updateEqualsWrite": _stamp(snapshot.update_time)
            == _stamp(first["result"].update_time),
        }

    def update_dotted() -> Any:
        alice.update({"age": 31, "nested.y": 2})
        return alice.get().to_dict()

    def set_merge() -> Any:
        alice.set({"city": "Tokyo", "nested": {"z": 3}}, merge=True)
        return alice.get().to_dict()

    def identical() -> dict[str, bool]:
        before = alice.get()
        written = alice.set(before.to_dict())
        after = alice.get()
        return {
            "writeTimeIsOldUpdateTime": _stamp(written.update_time) == _stamp(before.update_time),
            "updateTimeUnchanged": _stamp(after.update_time) == _stamp(before.update_time),
        }

    def batch() -> int:
        writes = db.batch()
        writes.set(users.document("bob"), {"n": 1})
        writes.set(users.document("carol"), {"n": 2})
        writes.delete(alice)
        writes.set(db.document("users/bob/posts/p1"), {"title": "hi"})
        writes.set(db.document("ghosts/g/items/i"), {"n": 3})
        return len(writes.commit())

    def bulk_writer() -> list[str]:
        writer = db.bulk_writer()
        outcomes: dict[str, str] = {}
        writer.on_write_result(lambda reference, result, _: outcomes.update({reference.id: "ok"}))
        writer.on_write_error(
            lambda failure, _: (
                outcomes.update({failure.operation.reference.id: f"error {failure.code}"}) and False
            )
        )
        writer.create(users.document("dave"), {"n": 1})
        writer.create(users.document("bob"), {"n": 9})
        writer.update(users.document("nobody"), {"n": 1})
        writer.delete(users.document("carol"))
        writer.close()
        return [outcomes[name] for name in ("dave", "bob", "nobody", "carol")]

    def stale_delete() -> str:
        alice.delete(option=db.write_option(last_update_time=first["result"].update_time))
        return "unexpected"

    run.step("set alice", set_alice)
    run.step("get alice", get_alice)
    run.step("update dotted", update_dotted)
    run.step("set merge", set_merge)
    run.step("create existing", lambda: alice.create({"x": 1}) and "unexpected")
    run.step("update missing", lambda: users.document("nobody").update({"x": 1}) and "unexpected")
    run.step("delete with stale lastUpdateTime", stale_delete)
    run.step("identical set keeps updateTime", identical)
    run.step(
        "getAll",
        lambda: [
            {"id": s.id, "exists": s.exists} for s in db.get_all([users.document("nobody"), alice])
        ],
    )
    run.step("batch", batch)
    run.step("listDocuments users", lambda: [d.id for d in users.list_documents()])
    run.step(
        "listDocuments ghosts (missing parent)",
        lambda: [d.id for d in db.collection("ghosts").list_documents()],
    )
    run.step("listCollections root", lambda: [c.id for c in db.collections()])
    run.step("listCollections bob", lambda: [c.id for c in users.document("bob").collections()])
    run.step("bulkWriter", bulk_writer)
    run.step("after bulkWriter", lambda: sorted(d.id for d in users.list_documents()))
    run.step(
        "serverTimestamp (transforms, #23)",
        lambda: users.document("ts").set({"at": firestore.SERVER_TIMESTAMP}) and "ok",
    )
    return run.out


def _sort_get_all(out: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # The Node SDK returns getAll in request order, the Python SDK in arrival order.
    return [
        {**entry, "ok": sorted(entry["ok"], key=lambda item: item["id"])}
        if entry["name"] == "getAll" and "ok" in entry
        else entry
        for entry in out
    ]


@pytest.fixture(params=["google-cloud-firestore", "firebase-admin"])
def database(request, firestore_server):
    """An owner client of the transcript's project, emptied first."""
    firestore_server.clear(project=PROJECT)
    if request.param == "google-cloud-firestore":
        yield firestore_server.owner_client(project=PROJECT)
        return
    app = firebase_admin.initialize_app(
        request.getfixturevalue("firebase_admin_app").credential,
        {"projectId": PROJECT},
        name=f"sdk-documents-{id(request)}",
    )
    try:
        yield firebase_admin.firestore.client(app)
    finally:
        firebase_admin.delete_app(app)


def test_document_operations_match_the_official_transcript(database):
    """Every step answers what the official emulator answered the Node SDK."""
    assert _sort_get_all(scenario(database)) == _sort_get_all(TRANSCRIPT)
