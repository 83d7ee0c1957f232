"""The README's main command, run as a newcomer runs it: the stack comes up with demo data, a
signed-in member is refused what the rules forbid, and Ctrl-C stops every process it started."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from google.api_core.exceptions import PermissionDenied
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from firelab.server import UserClients
from mitche.deployment import REGION

REPOSITORY = Path(__file__).resolve().parents[3]
PROJECT = "demo-mitche"


@dataclass
class RunningStack:
    process: subprocess.Popen[str]
    output: list[str]
    firestore: str
    auth: str
    functions: str
    storage: str


def _wait_for_banner(process: subprocess.Popen[str], timeout: float) -> list[str]:
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "Ctrl-C stops everything." in line:
            return lines
    process.kill()
    raise AssertionError("the stack did not come up:\n" + "".join(lines))


@pytest.fixture(scope="module")
def stack() -> Iterator[RunningStack]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("FIRESTORE_EMULATOR_HOST", "FIREBASE_AUTH_EMULATOR_HOST")
    }
    command = [sys.executable, "-m", "mitche_dev.devstack", "--firestore-port", "0"]
    command += ["--functions-port", "0", "--auth-port", "0", "--storage-port", "0"]
    command += ["--console-port", "0"]
    process = subprocess.Popen(
        command,
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env=environment,
    )
    lines = _wait_for_banner(process, 120)
    text = "".join(lines)
    firestore_host = re.search(r"FIRESTORE_EMULATOR_HOST=(\S+)", text)
    auth_host = re.search(r"FIREBASE_AUTH_EMULATOR_HOST=(\S+)", text)
    functions = re.search(r"(http://\S+)/demo-mitche/us-central1/<name>", text)
    storage = re.search(r"FIREBASE_STORAGE_EMULATOR_HOST=(\S+)", text)
    assert re.search(r"Console\s+\S+\s+http://127\.0\.0\.1:\d+", text), text
    assert storage, text
    assert firestore_host, text
    assert auth_host, text
    assert functions, text
    running = RunningStack(
        process,
        lines,
        firestore_host.group(1),
        auth_host.group(1),
        functions.group(1),
        storage.group(1),
    )
    yield running
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
    assert process.stdout is not None
    process.stdout.close()


def sign_in(stack: RunningStack, uid: str) -> str:
    response = httpx.post(
        f"http://{stack.auth}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword",
        params={"key": "fake-api-key"},
        json={
            "email": f"{uid}@example.com",
            "password": f"{uid}-demo-password",
            "returnSecureToken": True,
        },
        timeout=10,
    )
    response.raise_for_status()
    token: str = response.json()["idToken"]
    return token


@pytest.fixture(scope="module")
def users(stack: RunningStack) -> Iterator[UserClients]:
    """Clients that act as signed-in members (their ID token, not the emulator's owner)."""
    entrance = UserClients(stack.firestore).start()
    yield entrance
    entrance.close()


def test_the_demo_data_is_there(stack: RunningStack, monkeypatch: pytest.MonkeyPatch) -> None:
    """An administrator sees the seeded community: every actor's user document exists."""
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", stack.firestore)
    admin = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
    uids = {snapshot.id for snapshot in admin.collection("users").stream()}
    assert {"alice", "bob", "carol", "dan", "erin", "mod", "ada", "sam"} <= uids


def test_the_banner_says_how_to_sign_in(stack: RunningStack) -> None:
    """The output lists each demo account with its password and claims."""
    text = "".join(stack.output)
    assert "alice@example.com  alice-demo-password" in text


def test_a_signed_in_member_reads_what_the_rules_allow(
    stack: RunningStack, users: UserClients
) -> None:
    """Alice, signed in through the Auth emulator, reads her own identity (sealed at rest: through
    the read_identity callable, as the app does) and her requests."""
    token = sign_in(stack, "alice")
    answer = httpx.post(
        f"{stack.functions}/{PROJECT}/{REGION}/read_identity",
        headers={"Authorization": f"Bearer {token}"},
        json={"data": {"uid": "alice"}},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["result"]["legalName"]
    alice = users.client(PROJECT, token)
    mine = alice.collection("requests").where(filter=FieldFilter("requesterId", "==", "alice"))
    assert len(list(mine.stream())) >= 1


def test_storage_serves_the_demo_avatars_through_the_rules(
    stack: RunningStack, users: UserClients
) -> None:
    """Storage runs with storage.rules and the seeded files (checked by the attachments
    pipeline): alice's profile links her avatar, and signed in she downloads it (a PNG)
    through the Firebase Storage API."""
    token = sign_in(stack, "alice")
    user = users.client(PROJECT, token).document("users/alice").get().to_dict()
    path = user["profile"]["avatar"]["storagePath"]
    assert path == "uploads/alice/avatars/avatar.png"
    url = f"http://{stack.storage}/v0/b/{PROJECT}.appspot.com/o/{quote(path, safe='')}"
    mine = httpx.get(url, params={"alt": "media"}, headers={"Authorization": f"Firebase {token}"})
    assert mine.status_code == 200
    assert mine.content.startswith(b"\x89PNG")


def test_a_signed_in_member_is_refused_what_the_rules_forbid(
    stack: RunningStack, users: UserClients
) -> None:
    """Alice, signed in through the Auth emulator, cannot read the identity of Carol, with
    whom she never completed a reveal, nor anyone's sealed identity document."""
    token = sign_in(stack, "alice")
    answer = httpx.post(
        f"{stack.functions}/{PROJECT}/{REGION}/read_identity",
        headers={"Authorization": f"Bearer {token}"},
        json={"data": {"uid": "carol"}},
        timeout=30,
    )
    assert answer.status_code == 403, answer.text
    assert answer.json()["error"]["status"] == "PERMISSION_DENIED"
    alice = users.client(PROJECT, token)
    with pytest.raises(PermissionDenied):
        alice.document("users/alice/private/identity").get()


def test_ctrl_c_stops_every_process(stack: RunningStack) -> None:
    """SIGINT ends the command, and none of its ports answers afterwards."""
    stack.process.send_signal(signal.SIGINT)
    assert stack.process.wait(60) == 0
    for url in (f"http://{stack.firestore}/", f"http://{stack.auth}/", stack.functions):
        with pytest.raises(httpx.ConnectError):
            httpx.get(url, timeout=2)
