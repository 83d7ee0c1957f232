"""The example project in examples/minimal, a copy of it run outside this repository by the
same interpreter: it gets the fixtures from the installed plugin alone, and its tests, hostile
ones included, pass."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from firelab.server._user_clients import EMULATOR_HOST

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "minimal"


def test_the_minimal_example_passes_on_its_own(tmp_path: Path) -> None:
    """Copied to a temporary directory (no conftest or configuration of ours above it) and run
    with `python -P -m pytest`, every one of its tests passes against its own server."""
    project = tmp_path / "minimal"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("__pycache__"))
    environment = {k: v for k, v in os.environ.items() if k != EMULATOR_HOST}
    environment.pop("PYTEST_ADDOPTS", None)
    result = subprocess.run(
        [sys.executable, "-P", "-m", "pytest", "-q"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    tests = len(re.findall(r"^def test_", (EXAMPLE / "test_notes.py").read_text(), re.M))
    assert re.search(rf"^{tests} passed", result.stdout, re.M), result.stdout
