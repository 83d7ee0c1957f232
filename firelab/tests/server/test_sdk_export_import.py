"""results/export-import-official: an export/import round trip as firebase-tools runs it, with
the CLI's `--export-on-exit` and `--import-dir`: documents of every value type written through
the SDK into one server read back the same from a second one."""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from google.cloud import firestore
from google.cloud.firestore_v1.vector import Vector

ORACLE = Path(__file__).parents[1] / "oracle" / "firestore-emulator-1.22.0" / "results"
TRANSCRIPT = json.loads((ORACLE / "export-import-official-v1.22.0.json").read_text("utf-8"))
PROJECT = "demo-export-import"
PATHS = [
    "users/alice",
    "users/alice/posts/p1",
    "users/bob",
    "users/__id42__",
    "orphan/x/children/y",
]


@contextmanager
def server(*arguments: str) -> Iterator[str]:
    """A `python -m firelab.server` process; its address; shut down over HTTP at the end."""
    command = [sys.executable, "-m", "firelab.server", "--port", "0", "--project", PROJECT]
    with subprocess.Popen([*command, *arguments], stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        address = process.stdout.readline().split()[-1]
        try:
            yield address
        finally:
            httpx.post(f"http://{address}/shutdown")
            assert process.wait(timeout=30) == 0


def write(db: Any) -> None:
    """What the transcript's `write` step stored."""
    db.document("users/alice").set(
        {
            "name": "Alice",
            "age": 30,
            "ratio": -0.25,
            "huge": 2**53 - 1,
            "nan": math.nan,
            "joined": dt.datetime.fromtimestamp(1700000000.123, dt.UTC),
            "old": dt.datetime.fromtimestamp(-100, dt.UTC) + dt.timedelta(microseconds=500000),
            "tags": ["a", 1, None, {"k": "v"}],
            "home": firestore.GeoPoint(35.6, 139.7),
            "raw": bytes([0, 1, 255]),
            "nested": {"deep": {"x": True}, "emptyArray": [], "emptyMap": {}},
            "empty": [],
            "none": None,
            "embedding": Vector([0.5, 1.5]),
        }
    )
    db.document("users/alice/posts/p1").set(
        {
            "title": "hello",
            "author": db.document("users/alice"),
            "others": [db.document("users/bob")],
        }
    )
    db.document("users/bob").set({"name": "Bob"})
    db.document("users/__id42__").set({"numeric": True})
    db.document("orphan/x/children/y").set({"parentMissing": True})


def describe(value: Any) -> Any:
    """The transcript's rendering of a value (keys sorted)."""
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, dt.datetime):
        seconds = math.floor(value.timestamp())
        nanos = getattr(value, "nanosecond", 0) or value.microsecond * 1000
        return {"timestamp": [seconds, nanos]}
    if isinstance(value, firestore.GeoPoint):
        return {"geo": [value.latitude, value.longitude]}
    if isinstance(value, bytes):
        return {"bytes": list(value)}
    if isinstance(value, Vector):
        return {"vector": list(value)}
    if isinstance(value, firestore.DocumentReference):
        return {"reference": value.path}
    if isinstance(value, list):
        return [describe(item) for item in value]
    if isinstance(value, dict):
        return {key: describe(value[key]) for key in sorted(value)}
    return value


def read(db: Any) -> list[dict[str, Any]]:
    """The transcript's `read` step."""
    out: list[dict[str, Any]] = []
    for path in PATHS:
        snapshot = db.document(path).get()
        data = describe(snapshot.to_dict()) if snapshot.exists else None
        out.append({"path": path, "exists": snapshot.exists, "data": data})
    out.append({"collections": sorted(c.id for c in db.collections())})
    return out


def test_an_exported_emulator_imports_back_as_the_official_one_did(tmp_path, monkeypatch):
    """Written, exported on exit, imported at start: every value reads back as recorded."""
    exported = tmp_path / "exported"
    with server("--import-dir", str(exported), "--export-on-exit") as address:
        monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", address)
        write(firestore.Client(project=PROJECT))
    assert (exported / "firebase-export-metadata.json").exists()
    with server("--import-dir", str(exported)) as address:
        monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", address)
        assert read(firestore.Client(project=PROJECT)) == TRANSCRIPT


def test_a_missing_import_directory_starts_empty(tmp_path, monkeypatch):
    """A first run with `--import-dir` pointing nowhere starts an empty server."""
    with server("--import-dir", str(tmp_path / "nothing")) as address:
        monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", address)
        assert list(firestore.Client(project=PROJECT).collections()) == []
