"""The firebase JS SDK under Node against a local server: each `*.test.mjs` here is one
`node --test` run (node:test, node:assert) with FIRESTORE_EMULATOR_HOST naming an in-process
`FirestoreServer`, and fails with Node's output when any of its tests fails.

The scripts use the packages in the repository's `node_modules` (`firebase` and
`@firebase/rules-unit-testing`): the SDK's Node build, which speaks gRPC, and its browser build,
which carries its streams over WebChannel as in a page (see sdk.mjs). A machine without them,
or without Node, fails here with the command that installs them: these tests are part of the
Done-when of the local server and are never skipped.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from firelab.server import FirestoreServer

pytestmark = pytest.mark.server

HERE = Path(__file__).parent
ROOT = HERE.parents[2]
NODE_PACKAGES = ("firebase", "@firebase/rules-unit-testing")
TIMEOUT_SECONDS = 300

SCRIPTS = {
    "rules.test.mjs": "rules-unit-testing: rules loading, mock tokens, withSecurityRulesDisabled,"
    " clearFirestore, allow and deny through reads, queries, writes, batches, transactions",
    "auth.test.mjs": "results/sdk-auth-official: users, visitors and owners without rules",
    "web_writes.test.mjs": "results/sdk-web-writes-official over the gRPC Write stream",
    "listen.test.mjs": "onSnapshot; results/sdk-listen, sdk-listen-resume and sdk-clear (web)",
    "webchannel.test.mjs": "the browser build over WebChannel: web writes, listeners, rules",
    "long_polling.test.mjs": "the browser build over WebChannel with long polling forced",
}


def _missing_tooling() -> str | None:
    """Why the Node tests cannot run here, or None when they can."""
    if shutil.which("node") is None:
        return "`node` (Node.js 20 or later) is not on PATH: install Node.js, then scripts/install"
    missing = [name for name in NODE_PACKAGES if not (ROOT / "node_modules" / name).is_dir()]
    if missing:
        return (
            f"{', '.join(missing)} missing from {ROOT / 'node_modules'}; run scripts/install"
            " (npm install) to install the packages package.json lists"
        )
    return None


@pytest.fixture(scope="module")
def server() -> Iterator[FirestoreServer]:
    """A server of this module's own, so other modules' rules and data never reach Node."""
    with FirestoreServer(port=0) as running:
        yield running


def test_every_script_here_is_run() -> None:
    """Each Node test file in this folder is listed, so none is silently left out."""
    assert sorted(path.name for path in HERE.glob("*.test.mjs")) == sorted(SCRIPTS)


@pytest.mark.parametrize("script", sorted(SCRIPTS), ids=lambda name: name.removesuffix(".mjs"))
def test_node_script_passes(script: str, server: FirestoreServer) -> None:
    """Every test of the Node script passes against the server (see SCRIPTS for what each
    script covers)."""
    problem = _missing_tooling()
    if problem is not None:
        pytest.fail(f"cannot run the firebase JS SDK tests: {problem}", pytrace=False)
    environment = {
        **os.environ,
        "FIRESTORE_EMULATOR_HOST": server.address,
        "NODE_OPTIONS": "",
        "NO_COLOR": "1",
    }
    returncode, output = _run(["node", "--test", "--test-reporter=spec", script], environment)
    if returncode is None:
        pytest.fail(f"node --test {script} ran over {TIMEOUT_SECONDS} s:\n{output}", pytrace=False)
    if returncode != 0:
        pytest.fail(f"node --test {script} failed (exit {returncode}):\n{output}", pytrace=False)


def _run(command: list[str], environment: dict[str, str]) -> tuple[int | None, str]:
    """(exit status, output); the status is None when the run timed out and was killed, with
    every process it started (node --test runs each file in a child process)."""
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
