"""The generated section of the committed firestore.rules is exactly what the models make."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mitche.models.registry import collection_specs
from mitche_dev.rulesgen import RULES_FILE, render_section, splice

ROOT = Path(__file__).resolve().parents[3]


def test_committed_rules_match_the_models():
    """Splicing a fresh rendering into firestore.rules changes nothing."""
    result = splice(ROOT / RULES_FILE, render_section(collection_specs().values()))
    assert not result.changed, (
        "firestore.rules is stale; run `.venv/bin/python -m mitche_dev.rulesgen` and commit it"
    )


def test_check_command_passes_on_the_checkout():
    """`python -m mitche_dev.rulesgen --check`, as CI would run it, accepts the checkout."""
    result = subprocess.run(
        [sys.executable, "-m", "mitche_dev.rulesgen", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
