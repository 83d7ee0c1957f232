"""A real functions codebase, loaded as the Firebase CLI would load it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from firelab.functions import FunctionsCodebase, load_codebase

CODEBASE = Path(__file__).parent / "testdata" / "codebase"
PROJECT = "demo-firelab"


@pytest.fixture(autouse=True)
def emulator_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The variables the Functions emulator sets, so the SDK builds clients without
    credentials; nothing listens on port 9, and these tests never need it to."""
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", PROJECT)
    monkeypatch.setenv("GCLOUD_PROJECT", PROJECT)
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", "127.0.0.1:9")
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9")


@pytest.fixture(scope="session")
def codebase() -> FunctionsCodebase:
    return load_codebase(CODEBASE)


@pytest.fixture
def recorder(codebase: FunctionsCodebase) -> Iterator[ModuleType]:
    module = sys.modules["recorder"]
    module.reset()
    yield module
    module.reset()
