"""Fixtures for tests about the repository itself."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS_VENV = ROOT / ".venv-cache" / "functions"
"""The venv scripts/install builds from the lock alone (scripts/functions-venv)."""


@pytest.fixture(scope="session")
def functions_python() -> Path:
    """The interpreter of a venv holding only functions/requirements.txt, as deployed.

    scripts/install builds it; building again is a no-op unless the lock changed since.
    """
    subprocess.run([str(ROOT / "scripts" / "functions-venv"), str(FUNCTIONS_VENV)], check=True)
    return FUNCTIONS_VENV / "bin" / "python"
