"""firelab as a distribution: what the wheel and sdist hold, that the suite runs against the
installed wheel, that the dependencies declared are exactly those firelab imports, and that
pytest finds the plugin through its entry point.

scripts/test-firelab builds the sdist and wheel, installs the wheel into a fresh venv and names
both in FIRELAB_WHEEL and FIRELAB_SDIST; the tests about those files run only then.
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import os
import re
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

import firelab
import firelab.pytest_plugin

DISTRIBUTION = "firelab-firebase"
SOURCE_TREE = Path(__file__).resolve().parents[1] / "src"

needs_wheel = pytest.mark.skipif(
    not os.environ.get("FIRELAB_WHEEL"), reason="runs against the built wheel: scripts/test-firelab"
)


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@needs_wheel
def test_firelab_is_imported_from_the_installed_wheel() -> None:
    """`import firelab` resolves to the venv's site-packages, not the source tree, and the
    installed distribution is the wheel just built."""
    package = Path(firelab.__file__).resolve()
    assert package.is_relative_to(Path(sysconfig.get_paths()["purelib"]).resolve())
    assert not package.is_relative_to(SOURCE_TREE)
    wheel = Path(os.environ["FIRELAB_WHEEL"])
    assert wheel.name.startswith(f"firelab_firebase-{firelab.__version__}-")
    assert sys.prefix != sys.base_prefix


@needs_wheel
def test_the_wheel_holds_the_package_its_data_and_the_entry_point() -> None:
    """The wheel carries every file of the package the sdist carries (modules, the rules
    grammar, `py.typed`), registers the plugin under `pytest11`, and nothing else (no tests,
    no examples)."""
    with zipfile.ZipFile(os.environ["FIRELAB_WHEEL"]) as wheel:
        names = set(wheel.namelist())
        info = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        entry_points = wheel.read(info).decode()
    with tarfile.open(os.environ["FIRELAB_SDIST"]) as sdist:
        sources = {
            member.name.split("/src/", 1)[1]
            for member in sdist.getmembers()
            if member.isfile() and "/src/firelab/" in member.name
        }
    assert {"firelab/rules/grammar.lark", "firelab/py.typed", "firelab/__init__.py"} <= sources
    assert {n for n in names if n.startswith("firelab/")} == sources
    dist_info = f"firelab_firebase-{firelab.__version__}.dist-info"
    assert {n.split("/")[0] for n in names} == {"firelab", dist_info}
    assert re.search(r"^\[pytest11\]\nfirelab = firelab\.pytest_plugin$", entry_points, re.M)


@needs_wheel
def test_the_sdist_holds_what_rebuilds_and_tests_firelab() -> None:
    """The sdist (from which the wheel was built) carries the sources, the README and
    changelog, the tests with the emulator recordings they replay, and the example project."""
    with tarfile.open(os.environ["FIRELAB_SDIST"]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    expected = {
        "pyproject.toml",
        "README.md",
        "CHANGELOG.md",
        "src/firelab/rules/grammar.lark",
        "tests/test_distribution.py",
        "tests/oracle/README.md",
        "examples/minimal/firestore.rules",
    }
    assert expected <= names
    assert not [n for n in names if "__pycache__" in n]


def _imported_modules() -> set[str]:
    """Every module firelab's own code imports, absolute names only."""
    root = Path(firelab.__file__).parent
    found: set[str] = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                for alias in node.names:
                    whole = f"{node.module}.{alias.name}"
                    found.add(whole if _is_module(whole) else node.module)
    return found


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _owners() -> dict[Path, str]:
    """Installed file -> the distribution that installed it."""
    owners: dict[Path, str] = {}
    for distribution in importlib.metadata.distributions():
        for file in distribution.files or ():
            owners[Path(str(distribution.locate_file(file))).resolve()] = _normalise(
                distribution.metadata["Name"]
            )
    return owners


def test_declared_dependencies_are_exactly_the_distributions_firelab_imports() -> None:
    """Each requirement is imported by firelab somewhere, and everything firelab imports
    outside the standard library comes from a declared requirement."""
    owners = _owners()
    used: dict[str, set[str]] = {}
    for name in sorted(_imported_modules()):
        top = name.split(".")[0]
        if top in sys.stdlib_module_names or top == "firelab":
            continue
        spec = importlib.util.find_spec(name)
        assert spec is not None, f"firelab imports {name}, which is not installed"
        assert spec.origin is not None, f"{name} is a namespace: import a module inside it"
        owner = owners.get(Path(spec.origin).resolve())
        assert owner is not None, f"no installed distribution owns {name} ({spec.origin})"
        used.setdefault(owner, set()).add(name)
    requirements = importlib.metadata.requires(DISTRIBUTION) or []
    declared = {
        _normalise(re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0])
        for requirement in requirements
        if "extra ==" not in requirement
    }
    assert sorted(used) == sorted(declared), used


def test_pytest_loads_the_plugin_through_its_entry_point(pytestconfig: pytest.Config) -> None:
    """The installed distribution registers `firelab.pytest_plugin` under `pytest11`, and this
    very session loaded it from there (no conftest names it)."""
    entry_points = [
        entry
        for entry in importlib.metadata.entry_points(group="pytest11")
        if entry.value == "firelab.pytest_plugin"
    ]
    assert [(e.name, _normalise(e.dist.name) if e.dist else None) for e in entry_points] == [
        ("firelab", DISTRIBUTION)
    ]
    assert pytestconfig.pluginmanager.get_plugin("firelab") is firelab.pytest_plugin
