"""The package's public surface: `__all__` is sorted and names exactly what it exports."""

from __future__ import annotations

import firelab.server


def _isort_key(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions: the order ruff's RUF022 keeps."""
    kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return kind, name


def test_all_is_sorted_and_complete():
    """Every public name of `firelab.server` is in `__all__`, and `__all__` is sorted."""
    public = {name for name in vars(firelab.server) if not name.startswith("_")}
    public -= {"core"}  # the core subpackage, bound as an attribute once imported
    assert firelab.server.__all__ == sorted(firelab.server.__all__, key=_isort_key)
    assert set(firelab.server.__all__) == public
