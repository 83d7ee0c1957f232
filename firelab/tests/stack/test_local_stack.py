"""The local stack end to end: a client's write fires a function that writes back; a signed-in
client calls a callable with a token from the Auth emulator."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from firelab.stack import LocalStack, StackConfig

CODEBASE = Path(__file__).parents[1] / "functions" / "testdata" / "codebase"
PROJECT = "demo-firelab-stack"


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    with LocalStack(StackConfig(project=PROJECT, functions_source=CODEBASE)) as running:
        yield running


@pytest.fixture(scope="module")
def admin(stack: LocalStack) -> firestore.Client:
    """An Admin-style client (rules bypassed), pointed at the stack's Firestore."""
    return firestore.Client(project=PROJECT, credentials=AnonymousCredentials())


def wait_idle(stack: LocalStack) -> None:
    assert stack.functions is not None
    response = httpx.post(f"{stack.functions.url}/__firelab/idle?timeout=20", timeout=30)
    assert response.json() == {"idle": True, "pending": 0}


def test_a_write_fires_a_trigger_that_writes_back(
    stack: LocalStack, admin: firestore.Client
) -> None:
    """Creating sources/s1 runs `mirror`, whose own write is readable once the stack is idle."""
    admin.document("sources/s1").set({"text": "hello"})
    wait_idle(stack)
    mirrored = admin.document("mirrors/s1").get().to_dict()
    assert mirrored is not None
    assert mirrored["text"] == "hello"
    assert len(mirrored["mirroredBy"]) == 32


def test_trigger_effects_fire_their_own_triggers(
    stack: LocalStack, admin: firestore.Client
) -> None:
    """A function's write is a committed write like any other: it reaches matching triggers."""
    recorder = sys.modules["recorder"]
    recorder.reset()
    admin.document("things/t1").set({"n": 1})
    wait_idle(stack)
    [seen] = recorder.seen("thing_created")
    assert seen["params"] == {"thingId": "t1"}


def test_describe_says_where_everything_runs(stack: LocalStack) -> None:
    """The banner names each service with the variable or URL clients use."""
    text = stack.describe()
    assert f"FIRESTORE_EMULATOR_HOST={stack.firestore.address}" in text  # type: ignore[union-attr]
    assert f"/{PROJECT}/us-central1/<name>" in text
