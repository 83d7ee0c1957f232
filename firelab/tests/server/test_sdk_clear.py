"""results/sdk-clear-official: what open listeners see when data is cleared the ways test
suites and the Emulator UI clear it: a recursive delete, `clearFirestore()`'s DELETE of the
database's documents, and `POST /reset` (after which the official emulator tells listeners
nothing, not even later writes). The Admin SDK listeners are replayed with
google-cloud-firestore; the web SDK ones are not reachable from Python. Each step waits until
every listener has the transcript's number of snapshots for it, not for a quiet period."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

ORACLE = Path(__file__).parents[1] / "oracle" / "firestore-emulator-1.22.0" / "results"
TRANSCRIPT = json.loads((ORACLE / "sdk-clear-official-v1.22.0.json").read_text("utf-8"))
PROJECT = "demo-sdk-clear"


class Steps:
    """Runs steps and collects each listener's snapshots by step."""

    def __init__(self, expected: list[dict[str, Any]]) -> None:
        self.lock = threading.Condition()
        self.steps: list[dict[str, Any]] = []
        self.expected = expected

    def listener(self, name: str, ids: Callable[[Any], str]) -> Callable[..., None]:
        def on_snapshot(docs: list[Any], changes: list[Any], read_time: Any) -> None:
            with self.lock:
                entry = {"ids": [ids(doc) for doc in docs]}
                self.steps[-1]["listeners"].setdefault(name, []).append(entry)
                self.lock.notify_all()

        return on_snapshot

    def step(self, name: str, action: Callable[[], Any]) -> None:
        """Run a step, then wait until each listener has the transcript's snapshots for it
        (10 s is only a safety net: a missing snapshot then fails the comparison)."""
        with self.lock:
            self.steps.append({"step": name, "listeners": {}})
            wanted = {
                listener: len(snapshots)
                for listener, snapshots in self.expected[len(self.steps) - 1]["listeners"].items()
                if listener.startswith("admin:")
            }
        action()
        with self.lock:
            self.lock.wait_for(
                lambda: all(
                    len(self.steps[-1]["listeners"].get(listener, [])) >= count
                    for listener, count in wanted.items()
                ),
                timeout=10,
            )


def test_listeners_see_clears_as_on_the_official_emulator(firestore_server):
    """Recursive delete and clear reach listeners as removals; a reset reaches nobody."""
    firestore_server.clear(project=PROJECT)
    db = firestore_server.owner_client(project=PROJECT)
    run = Steps(TRANSCRIPT)
    watches: list[Any] = []
    root = f"/emulator/v1/projects/{PROJECT}/databases/(default)/documents"

    def seed() -> None:
        batch = db.batch()
        for path in ("c/a", "c/b", "c/a/sub/x", "d/z"):
            batch.set(db.document(path), {"n": 1})
        batch.commit()

    def listen() -> None:
        watches.append(
            db.collection_group("sub").on_snapshot(
                run.listener("admin: group sub", lambda doc: doc.reference.path)
            )
        )
        watches.append(db.collection("d").on_snapshot(run.listener("admin: d", lambda doc: doc.id)))

    def http(method: str, path: str) -> None:
        status, _ = firestore_server.request(method, path, owner=False)
        assert status == 200

    try:
        run.step("seed", seed)
        run.step("listen", listen)
        run.step("Emulator UI: delete c/a recursively", lambda: http("DELETE", f"{root}/c/a"))
        run.step("seed again", seed)
        run.step("rules-unit-testing: clearFirestore()", lambda: http("DELETE", root))
        run.step("seed again", seed)
        run.step("POST /reset", lambda: http("POST", "/reset"))
        run.step("write after the reset", lambda: db.document("d/after").set({"n": 1}))
    finally:
        for watch in watches:
            watch.unsubscribe()
    expected = [
        {
            "step": step["step"],
            "listeners": {k: v for k, v in step["listeners"].items() if k.startswith("admin:")},
        }
        for step in TRANSCRIPT
    ]
    assert run.steps == expected
