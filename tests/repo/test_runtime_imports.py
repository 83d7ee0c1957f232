"""functions/ holds only what runs in Cloud Functions.

`main.py` and every module of the `mitche` package import the standard library, `mitche`
itself, and distributions that the lock (`functions/requirements.txt`) installs: never firelab,
mitche_dev, or a development tool. Proven twice: a static walk of every import statement,
resolved to the distribution that provides it, and an actual import of everything in a venv
holding only the lock.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = ROOT / "functions"
LOCK = FUNCTIONS / "requirements.txt"
INTENT = FUNCTIONS / "requirements.in"

DEVELOPMENT_ONLY = {"firelab", "mitche_dev"}
"""Top-level packages of this repository that never run in Cloud Functions."""

FIREBASE_TOOLS_IGNORE = {
    "venv": "the deploy venv scripts/deploy builds; Cloud Build installs the lock itself",
    ".git": "never part of a source upload",
    "*.local": "local environment files (.env.local, .secret.local) that must not ship",
    "__pycache__": "bytecode of local runs",
}
"""What firebase.json's functions ignore list holds, and why: nothing that hides code."""


def _normalize(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)", line)
        if match:
            names.add(_normalize(match.group(1)))
    return names


def _runtime_sources() -> list[Path]:
    return [FUNCTIONS / "main.py", *sorted((FUNCTIONS / "mitche").rglob("*.py"))]


def _module_of(path: Path) -> str:
    parts = path.relative_to(FUNCTIONS).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@dataclass(frozen=True)
class Import:
    """One imported name: the module, and for `from m import n` the name it takes."""

    where: str
    module: str
    name: str | None = None

    def candidates(self) -> list[str]:
        """Module names this import may load, most specific first."""
        found = [f"{self.module}.{self.name}"] if self.name else []
        parts = self.module.split(".")
        return found + [".".join(parts[:end]) for end in range(len(parts), 0, -1)]


def _imports(path: Path, source: str | None = None) -> Iterator[Import]:
    """Every import statement of a source file (or of `source` placed there), relative ones
    made absolute."""
    module = _module_of(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    text = path.read_text() if source is None else source
    for node in ast.walk(ast.parse(text, filename=str(path))):
        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            yield from (Import(where, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield from (Import(where, base, alias.name) for alias in node.names)


@cache
def _distribution_of_module() -> dict[str, str]:
    """Module name -> the installed distribution whose files provide it (this venv)."""
    found: dict[str, str] = {}
    for distribution in metadata.distributions():
        for file in distribution.files or ():
            parts = file.parts
            if not parts or parts[0] in {"..", "bin"} or ".dist-info" in parts[0]:
                continue
            if file.suffix == ".py":
                names = list(parts[:-1]) + ([] if file.stem == "__init__" else [file.stem])
            elif file.suffix in {".so", ".pyd"}:
                names = [*parts[:-1], file.name.split(".")[0]]
            else:
                continue
            if names:
                found.setdefault(".".join(names), distribution.metadata["Name"])
    return found


def _internal_module_exists(name: str) -> bool:
    path = FUNCTIONS.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _resolve(item: Import) -> tuple[str, str]:
    """(kind, what): kind is "stdlib", "mitche", "distribution" or a reason it is refused."""
    top = item.module.split(".")[0]
    if top in sys.stdlib_module_names:
        return "stdlib", top
    if top in DEVELOPMENT_ONLY:
        return "development package", top
    if top == "mitche":
        # `import mitche.a.b` needs that module; `from mitche.a import b` a module or a name.
        wanted = item.candidates()[: 2 if item.name else 1]
        if any(_internal_module_exists(name) for name in wanted):
            return "mitche", item.module
        return "missing mitche module", item.module
    providers = _distribution_of_module()
    for name in item.candidates():
        if name in providers:
            return "distribution", _normalize(providers[name])
    return "not installed by any distribution", item.module


@cache
def _resolved_imports() -> tuple[tuple[Import, str, str], ...]:
    return tuple((item, *_resolve(item)) for path in _runtime_sources() for item in _imports(path))


def test_every_runtime_import_is_stdlib_mitche_or_locked() -> None:
    """No module that deploys imports firelab, mitche_dev, or a distribution the lock lacks."""
    locked = _requirement_names(LOCK)
    offenders = [
        f"{item.where}: {item.module} ({kind}: {what})"
        for item, kind, what in _resolved_imports()
        if kind not in {"stdlib", "mitche", "distribution"}
        or (kind == "distribution" and what not in locked)
    ]
    assert offenders == []


def test_directly_imported_distributions_are_declared_in_the_intent() -> None:
    """What the code imports by name is asked for in requirements.in, not left to chance as
    somebody else's dependency."""
    declared = _requirement_names(INTENT)
    imported = {what for _, kind, what in _resolved_imports() if kind == "distribution"}
    assert imported - declared == set()


def test_the_walk_sees_the_imports_it_judges() -> None:
    """The walk resolves the imports the codebase is known to make, so it cannot pass by
    resolving nothing: the Functions SDK, the Firestore client (a namespace package) and the
    package's own relative and absolute imports."""
    resolved = {(kind, what) for _, kind, what in _resolved_imports()}
    assert {
        ("distribution", "firebase-functions"),
        ("distribution", "google-cloud-firestore"),
        ("distribution", "pydantic"),
        ("mitche", "mitche.triggers"),
    } <= resolved


@pytest.mark.parametrize(
    ("source", "refusal"),
    [
        ("import firelab.server\n", "development package"),
        ("from mitche_dev import rulesgen\n", "development package"),
        ("import pytest\n", "distribution"),
        ("import no_such_thing\n", "not installed by any distribution"),
        ("from .nowhere import x\n", "missing mitche module"),
        ("import mitche.nowhere\n", "missing mitche module"),
    ],
)
def test_the_walk_refuses_what_must_not_deploy(source: str, refusal: str) -> None:
    """A development import, an unlocked distribution, an unknown module and a dangling
    relative import are each caught (pytest is installed here but not locked)."""
    items = list(_imports(FUNCTIONS / "mitche" / "handlers" / "_probe.py", source))
    assert [_resolve(item)[0] for item in items] == [refusal]
    if refusal == "distribution":
        assert _resolve(items[0])[1] not in _requirement_names(LOCK)


def test_the_lock_pins_every_requirement_with_hashes() -> None:
    """requirements.txt pins exact versions with hashes, and covers everything the intent asks."""
    blocks = re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text())
    requirements = [block for block in blocks if re.match(r"[A-Za-z0-9]", block)]
    assert requirements
    for block in requirements:
        assert re.match(r"^[A-Za-z0-9._-]+==[^\s;\\]+", block), block.splitlines()[0]
        assert "--hash=sha256:" in block, block.splitlines()[0]
    assert _requirement_names(INTENT) <= _requirement_names(LOCK)


IMPORT_EVERYTHING = """
import importlib, importlib.util, json, pkgutil, sys
sys.path.insert(0, ".")
failures = {}
spec = importlib.util.spec_from_file_location("main", "main.py")
try:
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
except Exception as error:
    failures["main.py"] = repr(error)
import mitche
for module in pkgutil.walk_packages(mitche.__path__, "mitche."):
    if module.name.endswith(".__main__"):  # a command line: importing it runs it
        continue
    try:
        importlib.import_module(module.name)
    except Exception as error:
        failures[module.name] = repr(error)
print(json.dumps({
    "failures": failures,
    "modules": sorted(name for name in sys.modules if name.startswith("mitche")),
    "firelab": importlib.util.find_spec("firelab") is not None,
    "pytest": importlib.util.find_spec("pytest") is not None,
}))
"""


def test_everything_imports_in_a_venv_holding_only_the_lock(functions_python: Path) -> None:
    """main.py (loaded the way the Functions SDK loads it) and every module of mitche import
    in a venv where only the lock is installed, and that venv has no development tools."""
    result = subprocess.run(
        [str(functions_python), "-c", IMPORT_EVERYTHING],
        cwd=FUNCTIONS,
        env={"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout)
    assert report["failures"] == {}
    assert report["firelab"] is False
    assert report["pytest"] is False
    expected = {
        _module_of(path)
        for path in _runtime_sources()
        if path.name not in {"main.py", "__main__.py"}
    }
    assert expected <= set(report["modules"])


def test_firebase_json_ignores_only_what_firebase_tools_needs() -> None:
    """The upload's ignore list hides no code: nothing but the venv, git, local env files and
    bytecode."""
    config = json.loads((ROOT / "firebase.json").read_text())
    assert set(config["functions"][0]["ignore"]) == set(FIREBASE_TOOLS_IGNORE)


def test_functions_tracks_only_the_runtime_codebase() -> None:
    """Every file under functions/ is main.py, the requirements, or part of the mitche package,
    so nothing that does not deploy can live there behind an ignore entry."""
    tracked = subprocess.run(
        ["git", "ls-files", "functions"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    allowed = {"functions/main.py", "functions/requirements.txt", "functions/requirements.in"}
    assert tracked
    assert [
        path for path in tracked if path not in allowed and not path.startswith("functions/mitche/")
    ] == []
