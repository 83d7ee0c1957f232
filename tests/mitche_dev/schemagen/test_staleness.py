"""The committed schema/ is exactly what the models generate."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mitche.models.registry import collection_specs
from mitche_dev.schemagen import find_stale, generate
from mitche_dev.schemagen._callables import registered

ROOT = Path(__file__).resolve().parents[3]


def test_committed_schema_matches_the_models():
    """Every generated file is committed unchanged and no obsolete schema file remains."""
    stale = find_stale(ROOT, generate(collection_specs().values(), registered()))
    assert not stale, (
        "schema/ is stale; run `.venv/bin/python -m mitche_dev.schemagen` and commit the result:\n"
        + "\n".join(f"  {item}" for item in stale)
    )


def test_check_command_passes_on_the_checkout():
    """`python -m mitche_dev.schemagen --check`, as CI would run it, accepts the checkout."""
    result = subprocess.run(
        [sys.executable, "-m", "mitche_dev.schemagen", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
