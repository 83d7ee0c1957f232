"""With the Auth emulator in the stack, a user signs in and calls a function with their token."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from firelab.stack import LocalStack, StackConfig

CODEBASE = Path(__file__).parents[1] / "functions" / "testdata" / "codebase"
PROJECT = "demo-firelab-auth"


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    config = StackConfig(project=PROJECT, functions_source=CODEBASE, auth=True)
    with LocalStack(config) as running:
        yield running


def sign_up(stack: LocalStack, email: str) -> dict[str, str]:
    """Create an account through the Auth emulator's REST API, as the client SDKs do."""
    assert stack.auth is not None
    response = httpx.post(
        f"http://{stack.auth.host}/identitytoolkit.googleapis.com/v1/accounts:signUp",
        params={"key": "fake-api-key"},
        json={"email": email, "password": "correct horse", "returnSecureToken": True},
        timeout=10,
    )
    response.raise_for_status()
    body: dict[str, str] = response.json()
    return body


def test_a_callable_sees_the_signed_in_user(stack: LocalStack) -> None:
    """An ID token minted by the Auth emulator authenticates a callable request."""
    account = sign_up(stack, "alice@example.com")
    assert stack.functions is not None
    response = httpx.post(
        f"{stack.functions.url}/{PROJECT}/us-central1/whoami",
        json={"data": None},
        headers={"Authorization": f"Bearer {account['idToken']}"},
        timeout=10,
    )
    assert response.json() == {"result": {"uid": account["localId"], "echo": None}}


def test_the_auth_emulator_stops_with_the_stack(tmp_path: Path) -> None:
    """Stopping the stack stops the Auth emulator: its port no longer answers."""
    with LocalStack(StackConfig(project=PROJECT, auth=True)) as running:
        assert running.auth is not None
        host = running.auth.host
        assert httpx.get(f"http://{host}/", timeout=10).status_code < 500
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://{host}/", timeout=2)


def test_a_killed_stack_leaves_no_orphaned_emulator() -> None:
    """When the process that started the emulator is killed outright, the emulator goes too."""
    script = (
        "import time\n"
        "from pathlib import Path\n"
        "from firelab.stack import AuthEmulator, find_firebase_cli\n"
        "emulator = AuthEmulator('demo-orphan', cli=find_firebase_cli(Path.cwd())).start()\n"
        "print(emulator.host, flush=True)\n"
        "time.sleep(300)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL
    )
    assert parent.stdout is not None
    host = parent.stdout.readline().strip()
    parent.stdout.close()
    assert httpx.get(f"http://{host}/", timeout=10).status_code < 500
    parent.send_signal(signal.SIGKILL)
    parent.wait(10)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://{host}/", timeout=1)
        except httpx.ConnectError:
            return
        time.sleep(0.2)
    pytest.fail(f"the Auth emulator at {host} outlived the process that started it")
