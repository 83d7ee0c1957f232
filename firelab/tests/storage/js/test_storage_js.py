"""The firebase JS SDK (`firebase/storage`) and @firebase/rules-unit-testing under Node against
a local Storage server whose rules read a local Firestore server: each `*.test.mjs` here is one
`node --test` run, and fails with Node's output when any of its tests fails.

Like tests/js, these need Node and the repository's node_modules (`scripts/install`); a machine
without them fails here with the command that installs them, never skips.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from firelab.server import FirestoreServer
from firelab.storage import StorageServer

HERE = Path(__file__).parent
ROOT = HERE.parents[3]
NODE_PACKAGES = ("firebase", "@firebase/rules-unit-testing")
TIMEOUT_SECONDS = 300
PROJECT = "demo-storage-js"

SCRIPTS = {
    "sdk_storage.test.mjs": "uploadBytes, uploadBytesResumable, uploadString, getBytes,"
    " getDownloadURL and its token URL, getMetadata, updateMetadata, list/listAll with pages,"
    " deleteObject, rules denials, firestore.get() from storage rules",
    "rules_unit_testing.test.mjs": "@firebase/rules-unit-testing storage contexts: rules loaded"
    " by initializeTestEnvironment, assertSucceeds/assertFails, withSecurityRulesDisabled,"
    " clearStorage",
}


def _missing_tooling() -> str | None:
    if shutil.which("node") is None:
        return "`node` (Node.js 20 or later) is not on PATH: install Node.js, then scripts/install"
    missing = [name for name in NODE_PACKAGES if not (ROOT / "node_modules" / name).is_dir()]
    if missing:
        return f"{', '.join(missing)} missing from {ROOT / 'node_modules'}; run scripts/install"
    return None


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[FirestoreServer, StorageServer]]:
    """A Firestore server holding the album the rules consult, and a Storage server with
    rules.storage loaded, both this module's own."""
    with FirestoreServer(port=0) as firestore_server:
        storage = StorageServer(project=PROJECT, firestore_host=firestore_server.address)
        issues = storage.load_rules((HERE / "rules.storage").read_text("utf-8"))
        assert issues == []
        os.environ["FIRESTORE_EMULATOR_HOST"] = firestore_server.address
        try:
            client = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
            client.document("albums/trip").set({"members": ["bob"]})
        finally:
            del os.environ["FIRESTORE_EMULATOR_HOST"]
        with storage:
            yield firestore_server, storage


def test_every_script_here_is_run() -> None:
    """Each Node test file in this folder is listed, so none is silently left out."""
    assert sorted(path.name for path in HERE.glob("*.test.mjs")) == sorted(SCRIPTS)


@pytest.mark.parametrize("script", sorted(SCRIPTS), ids=lambda name: name.removesuffix(".mjs"))
def test_node_script_passes(script: str, servers: tuple[FirestoreServer, StorageServer]) -> None:
    """Every test of the Node script passes (see SCRIPTS for what each covers)."""
    problem = _missing_tooling()
    if problem is not None:
        pytest.fail(f"cannot run the firebase JS SDK tests: {problem}", pytrace=False)
    firestore_server, storage = servers
    # rules-unit-testing loads its own rules for every bucket: each script starts from ours.
    assert storage.load_rules((HERE / "rules.storage").read_text("utf-8")) == []
    storage.reset()
    environment = {
        **os.environ,
        "FIRESTORE_EMULATOR_HOST": firestore_server.address,
        "FIREBASE_STORAGE_EMULATOR_HOST": storage.address,
        "STORAGE_PROJECT": PROJECT,
        "NODE_OPTIONS": "",
        "NO_COLOR": "1",
    }
    returncode, output = run_node(["node", "--test", "--test-reporter=spec", script], environment)
    if returncode is None:
        pytest.fail(f"node --test {script} ran over {TIMEOUT_SECONDS} s:\n{output}", pytrace=False)
    if returncode != 0:
        pytest.fail(f"node --test {script} failed (exit {returncode}):\n{output}", pytrace=False)


def run_node(command: list[str], environment: dict[str, str]) -> tuple[int | None, str]:
    """(exit status, output); None when the run timed out and was killed with its children."""
    with subprocess.Popen(
        command,
        cwd=HERE,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    ) as process:
        try:
            output, _ = process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
            return None, output
        return process.returncode, output
