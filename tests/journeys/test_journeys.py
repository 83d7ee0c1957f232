"""The platform's user journeys, run as the client apps live them.

Each `*.test.mjs` under this folder is a `node --test` file written against the firebase JS SDK
(modular API). This module starts one local stack for the session: Firestore with Mitché's
rules and index enforcement, the Auth emulator, and the functions codebase. Before any member
arrives, the database holds only what a production install holds after its documented setup
commands (`python -m mitche.commands init-settings` and `load-catalog`), run here the way an
operator runs them. Then every journey file runs as one test, its members signing up through
the Auth emulator; none of them holds an admin client (see harness/index.mjs).

Journeys share the database, as members share the platform: each signs up fresh members and
asserts on what those members see.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest

from firelab.stack import LocalStack, StackConfig

pytestmark = pytest.mark.server

HERE: Final = Path(__file__).parent
REPOSITORY: Final = HERE.parents[1]
PROJECT: Final = "demo-mitche-journeys"
SETUP_COMMANDS: Final = (("init-settings",), ("load-catalog",))
"""The production setup commands, in the README's order."""
TIMEOUT_SECONDS: Final = 600
"""A journey file that has not finished by then is stuck (a safety net, not a measurement)."""

JOURNEYS: Final = sorted(
    path.relative_to(HERE).as_posix()
    for path in HERE.rglob("*.test.mjs")
    if "harness" not in path.relative_to(HERE).parts
)


def _setup(stack: LocalStack) -> None:
    """Run the setup commands as an operator would, against the stack's emulators."""
    for command in SETUP_COMMANDS:
        done = subprocess.run(
            [sys.executable, "-m", "mitche.commands", *command],
            env=os.environ.copy(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stderr}{done.stdout}"


def _build_client_library() -> None:
    """Compile @mitche/client (clients/js, linked into node_modules by package.json), so the
    journeys run the library as generated now, never a stale build."""
    done = subprocess.run(
        [str(REPOSITORY / "node_modules" / ".bin" / "tsc"), "-p", "clients/js/tsconfig.json"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"@mitche/client does not build:\n{done.stdout}{done.stderr}"


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    """Mitché as a fresh production install: rules, indexes (enforced), functions, Auth."""
    if shutil.which("node") is None or not (REPOSITORY / "node_modules" / "firebase").is_dir():
        pytest.fail("the journeys need Node 20 and the firebase package: run scripts/install")
    _build_client_library()
    config = StackConfig(
        project=PROJECT,
        rules=REPOSITORY / "firestore.rules",
        storage_rules=REPOSITORY / "storage.rules",
        indexes=REPOSITORY / "firestore.indexes.json",
        enforce_indexes=True,
        functions_source=REPOSITORY / "functions",
        auth=True,
    )
    running = LocalStack(config).start(before_functions=_setup)
    try:
        yield running
    finally:
        running.stop()


def test_there_are_journeys() -> None:
    """The folder holds journeys, so an empty glob cannot pass for a green run."""
    assert "onboarding.test.mjs" in JOURNEYS


@pytest.mark.parametrize("journey", JOURNEYS, ids=lambda name: name.removesuffix(".test.mjs"))
def test_journey(journey: str, stack: LocalStack) -> None:
    """Every step of the journey file passes, as its members see the platform."""
    assert stack.firestore is not None
    assert stack.functions is not None
    assert stack.auth is not None
    environment = {
        **os.environ,
        "JOURNEY_PROJECT": PROJECT,
        "FIRESTORE_EMULATOR_HOST": stack.firestore.address,
        "FIREBASE_AUTH_EMULATOR_HOST": stack.auth.host,
        "JOURNEY_FUNCTIONS_URL": stack.functions.url,
        "JOURNEY_FCM_URL": stack.messaging.url if stack.messaging is not None else "",
        "JOURNEY_PYTHON": sys.executable,
        "NODE_OPTIONS": "",
        "NO_COLOR": "1",
    }
    done = subprocess.run(
        ["node", "--test", "--test-reporter=spec", journey],
        cwd=HERE,
        env=environment,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"{journey} failed:\n{done.stdout}\n{done.stderr}", pytrace=False)
