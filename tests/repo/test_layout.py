"""The repository keeps the layout the design card asks for."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "path",
    [
        "functions/main.py",
        "functions/requirements.txt",
        "functions/mitche",
        "firestore.rules",
        "firestore.indexes.json",
        "storage.rules",
        "firebase.json",
        "migrations",
        "schema",
        "tests",
        "pyproject.toml",
        "firelab/pyproject.toml",
        "devtools/mitche_dev",
    ],
)
def test_top_level_entry_exists(path: str) -> None:
    """Every entry of the design card's top-level layout is present."""
    assert (ROOT / path).exists()


def _imported_modules(source: Path) -> set[str]:
    tree = ast.parse(source.read_text(), filename=str(source))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_firelab_never_imports_mitche() -> None:
    """The developer tooling is standalone: no firelab module imports the application."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "firelab").rglob("*.py"))
        if "mitche" in _imported_modules(path)
    ]
    assert offenders == []


def test_firebase_json_pins_every_emulator_port() -> None:
    """The official emulator suite finds fixed ports for every emulator Mitché uses."""
    emulators = json.loads((ROOT / "firebase.json").read_text())["emulators"]
    for name in ("auth", "firestore", "functions", "storage", "ui"):
        assert isinstance(emulators[name]["port"], int), name
        assert emulators[name]["host"] == "127.0.0.1", name


def test_firebase_json_points_at_the_project_files() -> None:
    """Deploys read rules, indexes and the functions source from the files in this tree."""
    config = json.loads((ROOT / "firebase.json").read_text())
    assert config["functions"][0]["source"] == "functions"
    for relative in (
        config["firestore"]["rules"],
        config["firestore"]["indexes"],
        config["storage"]["rules"],
    ):
        assert (ROOT / relative).is_file(), relative
