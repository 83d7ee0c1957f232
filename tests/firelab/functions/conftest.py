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


@pytest.fixture(scope="session")
def emulator_environment() -> Iterator[None]:
    """The variables the Functions emulator sets, so the SDK talks to local services."""
    patch = pytest.MonkeyPatch()
    patch.setenv("GOOGLE_CLOUD_PROJECT", PROJECT)
    patch.setenv("GCLOUD_PROJECT", PROJECT)
    patch.setenv("FIRESTORE_EMULATOR_HOST", "127.0.0.1:9")
    patch.setenv("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9")
    yield
    patch.undo()


@pytest.fixture(scope="session")
def codebase(emulator_environment: None) -> FunctionsCodebase:
    return load_codebase(CODEBASE)


@pytest.fixture
def recorder(codebase: FunctionsCodebase) -> Iterator[ModuleType]:
    module = sys.modules["recorder"]
    module.reset()
    yield module
    module.reset()
