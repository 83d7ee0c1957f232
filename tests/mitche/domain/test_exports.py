"""Each domain module declares its public names in a sorted `__all__`, and every name exists."""

from __future__ import annotations

import importlib

import pytest

MODULES = [
    "mitche.domain.achievements",
    "mitche.domain.analytics",
    "mitche.domain.hope_points",
    "mitche.domain.leaderboards",
    "mitche.domain.matching",
    "mitche.domain.levels",
    "mitche.domain.moderation",
    "mitche.domain.nearby",
    "mitche.domain.streaks",
]


def _isort_key(name: str) -> tuple[int, str]:
    """The order ruff's RUF022 keeps: CONSTANTS, then Classes, then functions."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


@pytest.mark.parametrize("name", MODULES)
def test_dunder_all_is_sorted_and_complete(name: str) -> None:
    """`__all__` is sorted (constants, classes, functions), names only what the module
    defines, and includes every public class and function defined in the module itself."""
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert exported == sorted(exported, key=_isort_key)
    assert all(hasattr(module, item) for item in exported)
    own = {
        item
        for item, value in vars(module).items()
        if not item.startswith("_")
        and callable(value)
        and getattr(value, "__module__", None) == name
    }
    assert own <= set(exported)
