"""Writing schema/ and checking it, from the library and from the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mitche_dev.schemagen import Staleness, find_stale, generate, write
from mitche_dev.schemagen.__main__ import main

EXPECTED_FILES = [
    "schema/README.md",
    "schema/callables.d.ts",
    "schema/flows.md",
    "schema/json/requests.config.schema.json",
    "schema/json/requests.schema.json",
    "schema/json/users.private.secret.schema.json",
    "schema/json/users.schema.json",
    "schema/mitche.d.ts",
    "schema/mitche.js",
]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """An empty checkout: only the package directory the command looks for."""
    (tmp_path / "functions" / "mitche").mkdir(parents=True)
    return tmp_path


def test_generate_lists_every_file_sorted(sample_specs):
    """The generated set is the JSON Schemas, the declarations, the script, the reference and
    the help cycle's client contract."""
    assert list(generate(sample_specs, ())) == EXPECTED_FILES


def test_generation_is_byte_for_byte_stable(sample_specs):
    """Two runs over the same models produce identical text, so staleness is meaningful."""
    assert generate(sample_specs, ()) == generate(sample_specs, ())


def test_write_then_nothing_is_stale(root, sample_specs):
    """Writing brings an empty checkout up to date; writing again changes nothing."""
    files = generate(sample_specs, ())
    assert [change.reason for change in write(root, files)] == ["missing"] * len(files)
    assert find_stale(root, files) == []
    assert write(root, files) == []
    assert (root / "schema/mitche.d.ts").read_text(encoding="utf-8") == files["schema/mitche.d.ts"]


def test_stale_files_are_reported_by_reason(root, sample_specs):
    """An edited, a deleted and an obsolete file are each reported, sorted by path."""
    files = generate(sample_specs, ())
    write(root, files)
    (root / "schema/README.md").write_text("edited\n", encoding="utf-8")
    (root / "schema/json/users.schema.json").unlink()
    (root / "schema/json/gone.schema.json").write_text("{}\n", encoding="utf-8")
    assert find_stale(root, files) == [
        Staleness("schema/README.md", "differs"),
        Staleness("schema/json/gone.schema.json", "obsolete"),
        Staleness("schema/json/users.schema.json", "missing"),
    ]
    write(root, files)
    assert find_stale(root, files) == []
    assert not (root / "schema/json/gone.schema.json").exists()


def test_check_fails_listing_stale_files_and_the_command(root, sample_specs, capsys):
    """`--check` exits 1, names each stale file and the command to run, and writes nothing."""
    assert main(["--check", "--root", str(root)], specs=sample_specs, callables=()) == 1
    err = capsys.readouterr().err
    assert "run `.venv/bin/python -m mitche_dev.schemagen` to regenerate" in err
    assert "  schema/mitche.d.ts (missing)" in err
    assert not (root / "schema").exists()


def test_command_writes_then_check_passes(root, sample_specs, capsys):
    """Without `--check` the command writes the files; a following check exits 0."""
    assert main(["--root", str(root)], specs=sample_specs, callables=()) == 0
    assert "wrote schema/mitche.d.ts" in capsys.readouterr().out
    assert main(["--check", "--root", str(root)], specs=sample_specs, callables=()) == 0
    assert "up to date (9 files)" in capsys.readouterr().out


def test_command_refuses_a_directory_that_is_not_the_checkout(tmp_path, sample_specs, capsys):
    """Run outside the repository root, the command says so instead of writing there."""
    assert main(["--root", str(tmp_path)], specs=sample_specs, callables=()) == 2
    assert "not the repository root" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_command_reports_models_it_cannot_generate(root, capsys):
    """A generation error is printed as one line with exit status 1."""
    assert main(["--root", str(root)], specs=[], callables=()) == 1
    assert "cannot generate schema/: no collection" in capsys.readouterr().err


def test_module_runs_as_a_command():
    """`python -m mitche_dev.schemagen --help` runs and documents `--check`."""
    result = subprocess.run(
        [sys.executable, "-m", "mitche_dev.schemagen", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "--check" in result.stdout
