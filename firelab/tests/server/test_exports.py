"""The package's public surface: `__all__` is sorted and names exactly what it exports."""

from __future__ import annotations

from types import ModuleType

import firelab.server


def _isort_key(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions: the order ruff's RUF022 keeps."""
    kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return kind, name


def test_all_is_sorted_and_complete():
    """Every public name of `firelab.server` is in `__all__`, and `__all__` is sorted."""
    public = {
        name
        for name, value in vars(firelab.server).items()
        # Submodules are bound as attributes once imported; pytest's assertion rewriting
        # (the package holds a registered plugin) adds `@py_builtins`-style names.
        if name[0] not in "_@" and not isinstance(value, ModuleType)
    }
    assert firelab.server.__all__ == sorted(firelab.server.__all__, key=_isort_key)
    assert set(firelab.server.__all__) == public
