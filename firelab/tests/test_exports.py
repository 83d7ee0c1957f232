"""firelab's public surface, for every module of every package at once.

Every module declares `__all__`: a package names exactly the public names it holds, a module
names only what it defines, and every name one firelab module imports from another is in the
other's `__all__`. Each `__all__` is sorted the way ruff's RUF022 keeps it (constants, classes,
then the rest, each in natural order), has no duplicates and leaks no private name.
"""

from __future__ import annotations
import __future__

import ast
import importlib
import pkgutil
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

import firelab


@dataclass(frozen=True)
class SourceModule:
    """One module of the firelab package, as read from its file."""

    name: str
    path: Path
    is_package: bool

    @property
    def runs_on_import(self) -> bool:
        """`python -m` entry points do their work when imported; they are read, not imported."""
        return self.name.endswith(".__main__")

    @property
    def tree(self) -> ast.Module:
        return _parse(self.path)


@cache
def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text("utf-8"), str(path))


def _modules() -> list[SourceModule]:
    root = Path(firelab.__file__).parent
    found = [SourceModule("firelab", root / "__init__.py", True)]
    for info in pkgutil.walk_packages(firelab.__path__, "firelab."):
        relative = Path(*info.name.split(".")[1:])
        path = root / relative / "__init__.py" if info.ispkg else root / f"{relative}.py"
        found.append(SourceModule(info.name, path, info.ispkg))
    return found


MODULES = _modules()
IMPORTABLE = [m for m in MODULES if not m.runs_on_import]
PACKAGES = [m for m in MODULES if m.is_package]
PLAIN = [m for m in MODULES if not m.is_package]


def _declared_all(module: SourceModule) -> list[str] | None:
    """The literal `__all__` at the top level of the module, or None when it declares none."""
    for node in module.tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            assert node.value is not None
            value = ast.literal_eval(node.value)
            assert isinstance(value, list | tuple), f"{module.name}.__all__ is not a list"
            return list(value)
    return None


def _defined_names(module: SourceModule) -> set[str]:
    """Names the module's own top-level code binds (imports excluded)."""
    names: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
            elif isinstance(node, ast.If | ast.Try):
                visit(node.body)
                visit(node.orelse)

    visit(module.tree.body)
    return names


def _ruff_order(name: str) -> tuple[int, list[int | str]]:
    """RUF022's isort-style key: SCREAMING_CASE, then CamelCase, then the rest; natural order."""
    kind = 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2
    return kind, [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _ids(modules: list[SourceModule]) -> list[str]:
    return [m.name for m in modules]


@pytest.mark.parametrize("module", MODULES, ids=_ids(MODULES))
def test_every_module_declares_a_sorted_public_all(module: SourceModule) -> None:
    """`__all__` exists, is sorted as ruff sorts it, names each thing once and nothing private."""
    exported = _declared_all(module)
    assert exported is not None, f"{module.path} declares no __all__"
    assert exported == sorted(exported, key=_ruff_order)
    assert len(exported) == len(set(exported))
    assert [name for name in exported if name.startswith("_")] == []


@pytest.mark.parametrize("module", IMPORTABLE, ids=_ids(IMPORTABLE))
def test_every_exported_name_is_importable(module: SourceModule) -> None:
    """What `__all__` names exists on the imported module (and equals the declared list)."""
    imported = importlib.import_module(module.name)
    assert list(imported.__all__) == _declared_all(module)
    missing = [name for name in imported.__all__ if not hasattr(imported, name)]
    assert missing == []


def _public_names(package: ModuleType) -> set[str]:
    """The public names a package holds, less its submodules and `from __future__` flags."""
    return {
        name
        for name, value in vars(package).items()
        if not name.startswith("_")
        and not isinstance(value, ModuleType | __future__._Feature)
        # pytest's assertion rewriting may add `@py_builtins`-style names to a package
        # holding a registered plugin.
        and not name.startswith("@")
    }


@pytest.mark.parametrize("package", PACKAGES, ids=_ids(PACKAGES))
def test_packages_export_exactly_their_public_names(package: SourceModule) -> None:
    """A package's `__all__` is exactly the public names it holds: nothing missing, nothing
    imported for its own use left public."""
    imported = importlib.import_module(package.name)
    assert set(imported.__all__) == _public_names(imported)


@pytest.mark.parametrize("module", PLAIN, ids=_ids(PLAIN))
def test_modules_export_only_what_they_define(module: SourceModule) -> None:
    """A module's `__all__` names only what the module itself defines: re-exporting is the
    packages' job."""
    exported = set(_declared_all(module) or ())
    assert sorted(exported - _defined_names(module)) == []


def _cross_imports() -> list[tuple[str, str, str]]:
    """(importing module, imported module, name) for every name one firelab module takes
    from another, directly or as `alias.name` through a module imported under an alias."""
    by_name = {m.name: m for m in MODULES}
    found: list[tuple[str, str, str]] = []
    for module in MODULES:
        aliases: dict[str, str] = {}
        for node in ast.walk(module.tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("firelab"):
                assert node.module is not None
                for alias in node.names:
                    if f"{node.module}.{alias.name}" in by_name:
                        aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                    else:
                        found.append((module.name, node.module, alias.name))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("firelab.") and alias.asname:
                        aliases[alias.asname] = alias.name
        for node in ast.walk(module.tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
            ):
                found.append((module.name, aliases[node.value.id], node.attr))
    return found


def test_names_imported_across_modules_are_declared() -> None:
    """Every name a firelab module imports from another is in that module's `__all__`: the
    surface a module offers the rest of firelab is the one it declares."""
    declared = {m.name: set(_declared_all(m) or ()) for m in MODULES}
    undeclared = [
        f"{importer} takes {name} from {source}"
        for importer, source, name in _cross_imports()
        if source in declared and name not in declared[source]
    ]
    assert not undeclared, "\n".join(undeclared)


def test_the_walk_sees_every_package() -> None:
    """The tests above cover every package of the distribution, not a subset."""
    packages = {m.name for m in PACKAGES}
    assert {"firelab", "firelab.functions", "firelab.rules", "firelab.server"} <= packages
    assert {"firelab.server.core", "firelab.stack", "firelab.indexes"} <= packages
    files = {p for p in Path(firelab.__file__).parent.rglob("*.py") if "__pycache__" not in p.parts}
    assert files == {m.path for m in MODULES}
