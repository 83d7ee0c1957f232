"""The package's public surface is what its `__all__` says."""

from __future__ import annotations

import types

import mitche_dev.schemagen


def _isort_key(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions: the order ruff's RUF022 keeps."""
    kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return kind, name


def test_all_is_sorted():
    """`__all__` is kept sorted so additions are easy to review."""
    assert mitche_dev.schemagen.__all__ == sorted(mitche_dev.schemagen.__all__, key=_isort_key)


def test_all_lists_exactly_the_public_names():
    """Every public, non-module name of the package is exported, and every export exists."""
    public = {
        name
        for name, value in vars(mitche_dev.schemagen).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name != "annotations"
    }
    assert public == set(mitche_dev.schemagen.__all__)
