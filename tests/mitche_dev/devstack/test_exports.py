"""`mitche_dev.devstack` exports a sorted public surface that its modules define."""

from __future__ import annotations

import inspect

import mitche_dev.devstack as devstack


def test_all_is_sorted_and_unique() -> None:
    """`__all__` lists each name once, sorted as ruff sorts it (constants, classes, functions)."""
    assert len(devstack.__all__) == len(set(devstack.__all__))
    constants = [name for name in devstack.__all__ if name.isupper()]
    rest = [name for name in devstack.__all__ if not name.isupper()]
    assert devstack.__all__ == sorted(constants) + sorted(rest)


def test_every_exported_name_is_defined_in_the_package() -> None:
    """Every exported class and function comes from a `mitche_dev.devstack` module."""
    for name in devstack.__all__:
        value = getattr(devstack, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__module__.startswith("mitche_dev.devstack."), name


def test_public_modules_exports_are_reexported() -> None:
    """The names `demo` and `_paths` export are all available from the package."""
    from mitche_dev.devstack import _paths, demo

    for module in (demo, _paths):
        assert set(module.__all__) <= set(devstack.__all__), module.__name__
