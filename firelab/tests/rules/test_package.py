"""The package's public surface is what `__all__` says, sorted."""

from __future__ import annotations

import firelab.rules


def test_dunder_all_is_sorted_and_complete() -> None:
    """`__all__` is sorted and names exactly the public attributes the package defines."""
    exported = firelab.rules.__all__
    assert list(exported) == sorted(exported)
    public = {
        name
        for name in vars(firelab.rules)
        if name[0] not in "_@" and not isinstance(getattr(firelab.rules, name), type(firelab))
    }
    assert public == set(exported)
