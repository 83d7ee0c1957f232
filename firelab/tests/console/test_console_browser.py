"""The console in a real headless Chromium (Debian's `chromium`, driven by playwright-core):
a developer opens a seeded document, edits a field and a client reads the change, the page
follows a client's write live, a query says which index production would need, a member's
denied write shows the sub-expression that failed, highlighted in the rules source, and the
trigger run the document caused shows its duration and cost; a schedule runs from the page.
Screenshots of each page are written to the artifacts directory and checked not blank."""

from __future__ import annotations

import json
import logging
import os
import shutil
import struct
import subprocess
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from google.api_core.exceptions import PermissionDenied
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from firelab.server import UserClients
from firelab.stack import LocalStack, StackConfig
from firelab.tokens import mock_id_token

HERE = Path(__file__).parent
TESTDATA = HERE / "testdata"
DRIVER = HERE / "js" / "drive_console.mjs"
PROJECT = "demo-firelab-console"
CHROMIUM = Path(os.environ.get("FIRELAB_CHROMIUM", "/usr/bin/chromium"))


def _repository_root() -> Path:
    """The directory whose node_modules holds playwright-core (the repository's root)."""
    for directory in HERE.parents:
        if (directory / "node_modules" / "playwright-core").is_dir():
            return directory
    pytest.fail("playwright-core is not installed: run scripts/install (npm ci)")


def artifacts_directory() -> Path:
    """Where screenshots go: $TEST_ARTIFACTS/console, else test-artifacts/console at the root."""
    base = os.environ.get("TEST_ARTIFACTS")
    root = Path(base) if base else _repository_root() / "test-artifacts"
    directory = root / "console"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def png_distinct_bytes(path: Path) -> int:
    """How many distinct byte values the decoded pixels of a PNG hold (1 or 2: a blank image)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    position, compressed = 8, b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        if kind == b"IDAT":
            compressed += data[position + 8 : position + 8 + length]
        position += 12 + length
    return len(set(zlib.decompress(compressed)))


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/install installs Debian's chromium")
    config = StackConfig(
        project=PROJECT,
        rules=TESTDATA / "firestore.rules",
        indexes=TESTDATA / "firestore.indexes.json",
        functions_source=TESTDATA / "codebase",
        console=True,
        auth=False,
        storage=False,
    )
    with LocalStack(config) as running:
        yield running


@pytest.fixture(scope="module")
def admin(stack: LocalStack) -> firestore.Client:
    return firestore.Client(project=PROJECT, credentials=AnonymousCredentials())


def drive(stack: LocalStack, steps: list[str], **extra: Any) -> dict[str, Any]:
    """Run the browser through `steps`; what the pages showed."""
    assert stack.console is not None
    assert stack.firestore is not None
    node = shutil.which("node")
    assert node is not None, "node is needed to drive the browser"
    request = {
        "console": stack.console.url,
        "firestore": stack.firestore.address,
        "project": PROJECT,
        "artifacts": str(artifacts_directory()),
        "chromium": str(CHROMIUM),
        "steps": steps,
        **extra,
    }
    finished = subprocess.run(
        [node, str(DRIVER), json.dumps(request)],
        cwd=_repository_root(),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    report: dict[str, Any] = json.loads(finished.stdout)
    assert "failure" not in report, report["failure"]
    assert report["pageErrors"] == []
    return report


def assert_screenshot(path: str) -> None:
    assert png_distinct_bytes(Path(path)) > 8, f"{path} is blank"


def test_a_developer_edits_data_and_reads_a_denial_and_a_run(
    stack: LocalStack, admin: firestore.Client, caplog: pytest.LogCaptureFixture
) -> None:
    """The data page shows the seeded document with its types and the run it caused; an edit
    in the page is what a client then reads; a member's denied write names `score <= 10`
    with its value; the trigger run shows its duration, reads and writes."""
    assert stack.dispatcher is not None
    admin.document("notes/alice").set(
        {"title": "groceries", "score": 3, "due": firestore.SERVER_TIMESTAMP}
    )
    assert stack.dispatcher.wait_idle(30)
    with (
        UserClients(stack.firestore.address) as users,  # type: ignore[union-attr]
        caplog.at_level(logging.INFO, logger="firelab.stack"),
    ):
        alice = users.client(PROJECT, mock_id_token("alice", project=PROJECT))
        with pytest.raises(PermissionDenied, match="false for 'update' @ L18"):
            alice.document("notes/alice").set({"title": "groceries", "score": 42})
    [denial] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("denied")]
    assert f"trace at {stack.console.url}/#/requests/" in denial  # type: ignore[union-attr]

    report = drive(
        stack,
        ["data", "requests", "runs"],
        document="notes/alice",
        edit={"field": "score", "value": "7"},
        live={"field": "title", "value": "market"},
        denied={"uid": "alice"},
    )

    assert report["fields"]["title"] == '"groceries"'
    assert report["types"] == {"due": "timestamp", "score": "integer", "title": "string"}
    assert report["documentRuns"] == 1
    assert report["liveUpdate"]
    assert report["liveWriteStatus"] == 200
    assert admin.document("notes/alice").get().to_dict()["score"] == 7  # type: ignore[index]

    assert report["culprit"] == "request.resource.data.score <= 10"
    assert "was false" in report["culpritSummary"]
    assert report["culpritVisible"]
    assert report["culpritBackground"] != "rgba(0, 0, 0, 0)"

    first = report["runs"][-1]
    assert first["function"] == "summarize"
    assert first["outcome"] == "ok"
    assert first["duration"].endswith(" ms")
    assert float(first["duration"].split()[0]) > 0
    assert first["writes"] == "1"
    assert "1 writes" in report["runCost"]
    for name in ("dataScreenshot", "requestsScreenshot", "runsScreenshot"):
        assert_screenshot(report[name])


def test_a_query_says_which_index_production_needs(stack: LocalStack) -> None:
    """An equality on one field ordered by another needs a composite index the indexes file
    lacks: the page says production would refuse it and names the definition to add."""
    report = drive(
        stack,
        ["query"],
        query={
            "collection": "notes",
            "field": "title",
            "op": "==",
            "value": '"x"',
            "orderBy": "score",
        },
    )
    assert "Production would refuse this query" in report["indexNeed"]
    assert '"fieldPath": "score"' in report["indexNeed"]
    assert_screenshot(report["queryScreenshot"])


def test_a_schedule_runs_from_the_page(stack: LocalStack, admin: firestore.Client) -> None:
    """`Run now` runs the scheduled function, which writes its document."""
    report = drive(stack, ["schedule"], schedule="nightly")
    assert report["scheduleStatus"] == "nightly: HTTP 200"
    assert admin.document("runs/nightly").get().exists
    assert stack.console is not None
    with urllib.request.urlopen(f"{stack.console.url}/api/runs?function=nightly") as answer:
        [run] = json.load(answer)["runs"]
    assert run["kind"] == "scheduled"
    assert run["outcome"] == "ok"
    assert run["writes"] == ["runs/nightly"]
