"""The client package as an app installs it: built with tsc, packed with `npm pack`, installed
from the tarball into an empty folder next to the firebase peer dependency (taken from the
repository's node_modules through a file: path, so nothing is fetched), and the small apps of
testdata/app type-checked and compiled against it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Final

import pytest

ROOT: Final = Path(__file__).resolve().parents[3]
PACKAGE: Final = ROOT / "clients" / "js"
NODE_MODULES: Final = ROOT / "node_modules"
TSC: Final = NODE_MODULES / ".bin" / "tsc"
APP: Final = Path(__file__).parent / "testdata" / "app"


def run(command: list[str], cwd: Path, timeout: float = 300) -> str:
    """Run a build step; fail the test with its output when it does not succeed."""
    done = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        pytest.fail(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}", pytrace=False)
    return done.stdout


@pytest.fixture(scope="session")
def tarball(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`npm pack` of a copy of clients/js, built with `tsc --strict` first."""
    if shutil.which("npm") is None or not TSC.is_file():
        pytest.fail("the client package needs Node 20, npm and typescript: run scripts/install")
    work = tmp_path_factory.mktemp("client-package")
    copy = work / "package"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("dist", "node_modules", "*.tgz"))
    # The build sees the peer dependency as it does in the repository (from the root's
    # node_modules); the tarball never includes it.
    (copy / "node_modules").mkdir()
    (copy / "node_modules" / "firebase").symlink_to(NODE_MODULES / "firebase")
    run([str(TSC), "-p", "tsconfig.json"], copy)
    out = run(["npm", "pack", "--ignore-scripts", "--json", "--pack-destination", str(work)], copy)
    return work / json.loads(out)[0]["filename"]


@pytest.fixture(scope="session")
def app(tarball: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty folder with the tarball and the firebase peer installed and testdata/app
    compiled against them (strict; `@ts-expect-error` lines must be errors)."""
    folder = tmp_path_factory.mktemp("client-app")
    shutil.copytree(APP, folder, dirs_exist_ok=True)
    manifest = {
        "name": "mitche-client-app",
        "private": True,
        "type": "module",
        "dependencies": {
            "@mitche/client": f"file:{tarball}",
            "firebase": f"file:{NODE_MODULES / 'firebase'}",
            "@types/node": f"file:{NODE_MODULES / '@types' / 'node'}",
        },
    }
    (folder / "package.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    run(["npm", "install", "--no-audit", "--no-fund", "--prefer-offline"], folder)
    run([str(TSC), "-p", "tsconfig.json"], folder)
    return folder
