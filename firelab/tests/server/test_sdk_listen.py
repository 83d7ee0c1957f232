"""results/sdk-listen-official: snapshot listeners through a real SDK across a series of writes.

The transcript recorded Node Admin SDK and web SDK listeners; the Admin ones are replayed with
google-cloud-firestore's `on_snapshot` (the web SDK is not reachable from Python). After each
write the test waits until every listener has received as many snapshots as the transcript
holds for that step (no time window: a snapshot too many lands in the next step and fails the
comparison there; a missing one fails it after a 10 s safety net). The
Python SDK sorts a descending query's snapshot ascending (its `_comparator` multiplies by the
direction enum, 2 for DESCENDING), so for `top 2 by pop` the documents and changes are compared
without their order; and its changes' `old_index`/`new_index` count insertions rather than
positions, so changes are compared by type and document only.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from google.cloud import firestore

ORACLE = Path(__file__).parents[1] / "oracle" / "firestore-emulator-1.22.0" / "results"
TRANSCRIPT = json.loads((ORACLE / "sdk-listen-official-v1.22.0.json").read_text("utf-8"))
PROJECT = "demo-sdk-listen"
UNORDERED = "admin: top 2 by pop"


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _clean(value[key]) for key in sorted(value)}
    if isinstance(value, dt.datetime):
        return "timestamp"
    return value


class Recorder:
    """Collects each listener's snapshots, grouped by step."""

    def __init__(self, expected: list[dict[str, Any]]) -> None:
        self.lock = threading.Condition()
        self.steps: list[dict[str, Any]] = []
        self.expected = expected
        """The transcript's steps: how many snapshots each listener gets at each step."""

    def record(self, listener: str, entry: dict[str, Any]) -> None:
        with self.lock:
            self.steps[-1]["listeners"].setdefault(listener, []).append(entry)
            self.lock.notify_all()

    def query(self, listener: str) -> Callable[..., None]:
        def on_snapshot(docs: list[Any], changes: list[Any], read_time: Any) -> None:
            self.record(
                listener,
                {
                    "docs": [[doc.id, _clean(doc.to_dict())] for doc in docs],
                    "changes": [
                        [
                            change.type.name.lower(),
                            change.document.id,
                            change.old_index,
                            change.new_index,
                        ]
                        for change in changes
                    ],
                },
            )

        return on_snapshot

    def document(self, listener: str) -> Callable[..., None]:
        def on_snapshot(docs: list[Any], changes: list[Any], read_time: Any) -> None:
            snapshot = docs[0] if docs else None
            exists = snapshot is not None and snapshot.exists
            data = _clean(snapshot.to_dict()) if exists else None
            self.record(listener, {"exists": exists, "data": data})

        return on_snapshot

    def step(self, name: str, action: Callable[[], Any]) -> None:
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


def _comparable(snapshots: list[dict[str, Any]], *, ordered: bool) -> list[dict[str, Any]]:
    out = []
    for snapshot in snapshots:
        if "changes" not in snapshot:
            out.append(snapshot)
            continue
        docs = snapshot["docs"] if ordered else sorted(snapshot["docs"])
        changes = sorted([change[0], change[1]] for change in snapshot["changes"])
        out.append({"docs": docs, "changes": changes})
    return out


def _admin_only(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for step in steps:
        listeners = {
            name: _comparable(snaps, ordered=name != UNORDERED)
            for name, snaps in sorted(step["listeners"].items())
            if name.startswith("admin:")
        }
        out.append({"step": step["step"], "listeners": listeners})
    return out


def test_admin_listeners_see_what_the_official_emulator_sent(firestore_server):
    """Every listener gets the recorded snapshots: documents, data and changes per write."""
    firestore_server.clear(project=PROJECT)
    db = firestore_server.owner_client(project=PROJECT)
    cities = db.collection("cities")
    recorder = Recorder(TRANSCRIPT)
    watches: list[Any] = []

    def seed() -> None:
        batch = db.batch()
        batch.set(cities.document("SF"), {"pop": 860, "state": "CA"})
        batch.set(cities.document("LA"), {"pop": 3900, "state": "CA"})
        batch.set(cities.document("TOK"), {"pop": 9000, "state": None})
        batch.commit()

    def attach() -> None:
        big = cities.where(filter=firestore.FieldFilter("pop", ">", 1000))
        top = cities.order_by("pop", direction=firestore.Query.DESCENDING).limit(2)
        watches.extend(
            [
                cities.on_snapshot(recorder.query("admin: all")),
                big.on_snapshot(recorder.query("admin: pop > 1000")),
                top.on_snapshot(recorder.query(UNORDERED)),
                cities.document("SF").on_snapshot(recorder.document("admin: doc SF")),
                cities.document("NY").on_snapshot(recorder.document("admin: doc NY")),
                db.collection_group("landmarks").on_snapshot(
                    recorder.query("admin: group landmarks")
                ),
            ]
        )

    def batch_step() -> None:
        batch = db.batch()
        batch.delete(cities.document("TOK"))
        batch.set(cities.document("BJ"), {"pop": 21500, "state": None})
        batch.update(cities.document("NY"), {"state": "CA"})
        batch.commit()

    try:
        recorder.step("seed", seed)
        recorder.step("attach listeners", attach)
        recorder.step(
            "add NY (enters several queries)",
            lambda: cities.document("NY").set({"pop": 8300, "state": "NY"}),
        )
        recorder.step(
            "update SF (stays in all)", lambda: cities.document("SF").update({"pop": 870})
        )
        recorder.step(
            "update LA below 1000 (leaves pop > 1000, moves in order)",
            lambda: cities.document("LA").update({"pop": 999}),
        )
        recorder.step(
            "update TOK above all (changes the top 2)",
            lambda: cities.document("TOK").update({"pop": 9500}),
        )
        recorder.step("no-op write", lambda: cities.document("SF").set({"pop": 870, "state": "CA"}))
        recorder.step("write to another collection", lambda: db.document("other/x").set({"n": 1}))
        recorder.step("batch: delete TOK, add BJ, change NY state", batch_step)
        recorder.step(
            "add a landmark",
            lambda: db.document("cities/SF/landmarks/gg").set({"name": "Golden Gate"}),
        )
        recorder.step(
            "server timestamp",
            lambda: cities.document("SF").update({"at": firestore.SERVER_TIMESTAMP}),
        )
        recorder.step("delete NY", lambda: cities.document("NY").delete())
        recorder.step("web getDoc and getDocs", lambda: None)
    finally:
        recorder.step("detach", lambda: [watch.unsubscribe() for watch in watches])
    assert _admin_only(recorder.steps) == _admin_only(TRANSCRIPT)
