"""The Storage access matrix (testdata/storage_matrix.txt) run for real: storage.rules loaded
into a firelab.storage server whose firestore.get() reads the world seeded in the session's
Firestore server, and every cell performed by the firebase web SDK under Node as the actor,
with their own ID token (tests/rules/js/storage_matrix.mjs). The engine-level run is
test_storage_matrix.py; both must agree with the table."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Final

import pytest

from firelab.storage import StorageServer

from .harness import PROJECT, RulesHarness
from .test_storage_matrix import _EXISTING_SIZE, _TYPES, CELLS, RULES_FILE, StorageCell

pytestmark = pytest.mark.server

SCRIPT: Final = Path(__file__).parent / "js" / "storage_matrix.mjs"
ROOT: Final = Path(__file__).resolve().parents[2]
TIMEOUT_SECONDS: Final = 300


def _job(cell: StorageCell) -> dict[str, Any]:
    """What the Node script needs to perform one cell."""
    path = cell.object_path.replace("{me}", cell.actor.uid or "visitor")
    existing = None
    if cell.operation in ("get", "update", "delete"):
        existing = {
            "contentType": _TYPES.get(Path(path).suffix, "image/jpeg"),
            "size": _EXISTING_SIZE,
        }
    upload = None
    if cell.upload is not None:
        upload = {"contentType": cell.upload[0], "size": cell.upload[1]}
    return {
        "id": cell.id,
        "operation": cell.operation,
        "path": path,
        "uid": cell.actor.uid,
        "claims": cell.actor.claims,
        "existing": existing,
        "upload": upload,
    }


@pytest.fixture(scope="module")
def results(harness: RulesHarness, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every cell's outcome through the web SDK: `allowed`, `denied` or an unexpected error."""
    if shutil.which("node") is None or not (ROOT / "node_modules" / "firebase").is_dir():
        pytest.fail("the web SDK matrix needs Node and node_modules: run scripts/install")
    harness.reset()
    folder = tmp_path_factory.mktemp("storage-matrix")
    (folder / "cells.json").write_text(json.dumps([_job(cell) for cell in CELLS]))
    with StorageServer(project=PROJECT, firestore_host=harness.server.host) as storage:
        assert storage.load_rules(RULES_FILE.read_text("utf-8"), RULES_FILE.name) == []
        environment = {
            **os.environ,
            "FIREBASE_STORAGE_EMULATOR_HOST": storage.address,
            "STORAGE_PROJECT": PROJECT,
            "NODE_OPTIONS": "",
        }
        completed = subprocess.run(
            ["node", str(SCRIPT), str(folder / "cells.json"), str(folder / "results.json")],
            env=environment,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    if completed.returncode != 0:
        pytest.fail(f"storage_matrix.mjs failed:\n{completed.stdout}\n{completed.stderr}")
    outcomes: dict[str, str] = json.loads((folder / "results.json").read_text())
    return outcomes


@pytest.mark.parametrize("cell", CELLS, ids=[cell.id for cell in CELLS])
def test_cell_through_the_web_sdk(cell: StorageCell, results: dict[str, str]):
    """The server, judging with storage.rules, allows exactly what the matrix marks A."""
    assert results[cell.id] == ("allowed" if cell.expected else "denied")
