"""`mitche_dev.migrate` exports a sorted public surface that its modules define."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import mitche_dev.migrate as migrate


def test_all_is_sorted_and_unique() -> None:
    """`__all__` lists each name once, sorted as ruff sorts it (constants, classes, functions)."""
    assert len(migrate.__all__) == len(set(migrate.__all__))
    constants = [name for name in migrate.__all__ if name.isupper()]
    classes = [name for name in migrate.__all__ if name[0].isupper() and not name.isupper()]
    functions = [name for name in migrate.__all__ if name[0].islower()]
    assert migrate.__all__ == sorted(constants) + sorted(classes) + sorted(functions)


def test_every_exported_name_is_defined_in_the_package() -> None:
    """Every exported class and function comes from a `mitche_dev.migrate` module."""
    for name in migrate.__all__:
        value = getattr(migrate, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__module__.startswith("mitche_dev.migrate."), name


def test_each_module_names_its_public_surface() -> None:
    """Every private module declares `__all__`, and each name in it exists there."""
    for info in pkgutil.iter_modules(migrate.__path__):
        if info.name == "__main__":
            continue
        module = importlib.import_module(f"mitche_dev.migrate.{info.name}")
        assert all(hasattr(module, name) for name in module.__all__), info.name
