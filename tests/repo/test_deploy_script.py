"""scripts/deploy refuses bad input before it installs, builds or contacts anything."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "scripts" / "deploy"


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        ([], "which project?"),
        (["--dry-run"], "which project?"),
        (["mitche-prod", "mitche-staging"], "one project only"),
        (["mitche-prod", "--force"], "unknown option --force"),
        (["Mitche_Prod"], "'Mitche_Prod' is not a project id"),
        (["mitche-"], "'mitche-' is not a project id"),
        (["abc"], "'abc' is not a project id"),
        (["9mitche"], "'9mitche' is not a project id"),
    ],
)
def test_bad_arguments_exit_2_with_the_reason(arguments: list[str], complaint: str) -> None:
    """A missing, doubled or malformed project id, or an unknown option, exits with status 2
    and says what is wrong."""
    result = subprocess.run([str(DEPLOY), *arguments], capture_output=True, text=True)
    assert result.returncode == 2
    assert complaint in result.stderr
    assert result.stdout == ""


def test_help_prints_the_usage() -> None:
    """--help shows how to call it."""
    result = subprocess.run([str(DEPLOY), "--help"], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "usage: scripts/deploy PROJECT_ID [--dry-run]"
