"""The client-side files work: the TypeScript declarations compile with `tsc --strict`,
client-style code that uses them type-checks, including the misuses it must reject
(`@ts-expect-error` lines), and mitche.js runs under Node."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from mitche.models.names import Collection
from mitche_dev.schemagen import generate, write

ROOT = Path(__file__).resolve().parents[3]
TESTDATA = Path(__file__).parent / "testdata"
TSC = ROOT / "node_modules" / ".bin" / "tsc"
FLAGS = ["--noEmit", "--strict", "--target", "es2022", "--module", "esnext"]
FLAGS += ["--moduleResolution", "bundler", "--pretty", "false"]


def _compile(*files: Path) -> None:
    if not TSC.is_file():
        pytest.fail(f"{TSC} is missing: run scripts/install, which installs npm typescript")
    result = subprocess.run(
        [str(TSC), *FLAGS, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, f"tsc failed:\n{result.stdout}{result.stderr}"


def test_sample_declarations_type_check_client_code(tmp_path, sample_specs):
    """Declarations generated from the sample models accept realistic values and reject
    wrong enum values, missing and unknown fields, strings for timestamps."""
    write(tmp_path, generate(sample_specs, ()))
    usage = shutil.copy(TESTDATA / "sample_usage.ts", tmp_path / "sample_usage.ts")
    _compile(tmp_path / "schema" / "mitche.d.ts", Path(usage))


def test_committed_declarations_type_check_client_code():
    """schema/mitche.d.ts compiles and accepts realistic documents of the real collections."""
    _compile(ROOT / "schema" / "mitche.d.ts", TESTDATA / "usage.ts")


def test_committed_script_defines_every_collection_name():
    """schema/mitche.js runs as an ES module and its `Collections` holds the 13 names."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: Node 20 is required (scripts/install uses npm)")
    script = (ROOT / "schema" / "mitche.js").read_text(encoding="utf-8")
    result = subprocess.run(
        [node, "--input-type=module"],
        input=script
        + "\nconsole.log(JSON.stringify(Collections), Object.isFrozen(Collections));\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    names, frozen = result.stdout.rsplit(" ", 1)
    assert json.loads(names) == {member.value: member.value for member in Collection}
    assert frozen.strip() == "true"
