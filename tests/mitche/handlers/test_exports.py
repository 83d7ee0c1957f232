"""The functions layer's packages re-export exactly their modules' public names, sorted."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import pytest

PACKAGES = ["mitche.handlers", "mitche.services", "mitche.commands"]


def _private_modules(package: ModuleType) -> list[ModuleType]:
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
        if info.name.startswith("_") and not info.name.startswith("__")
    ]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_and_matches_the_private_modules(name: str) -> None:
    """`__all__` is sorted and is exactly the union of the private modules' `__all__`
    (plus public modules re-exported by name)."""
    package = importlib.import_module(name)
    exported = list(package.__all__)
    assert exported == sorted(
        exported, key=lambda n: (0 if n.isupper() else 1 if n[0].isupper() else 2, n)
    )
    names = {n for module in _private_modules(package) for n in getattr(module, "__all__", ())}
    assert names <= set(exported)
    for exported_name in exported:
        assert hasattr(package, exported_name), exported_name


@pytest.mark.parametrize("name", PACKAGES)
def test_exported_names_are_the_modules_objects(name: str) -> None:
    """Each name is the very object its module defines (nothing shadowed)."""
    package = importlib.import_module(name)
    for module in _private_modules(package):
        for exported_name in getattr(module, "__all__", ()):
            assert getattr(package, exported_name) is getattr(module, exported_name)
