"""`mitche.models` re-exports exactly the public names of its modules."""

from __future__ import annotations

import importlib
from pathlib import Path

import mitche.models as models
from mitche.models.names import Collection
from mitche.models.registry import module_name

PACKAGE = Path(models.__file__).parent
_REGISTRY_NAMES = {
    "Collection",
    "CollectionSpec",
    "SubcollectionSpec",
    "collection_specs",
    "module_name",
}


def _module_exports() -> dict[str, object]:
    """Public names of every module with an `__all__` (SPEC excluded: each module has one)."""
    exports: dict[str, object] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        if path.stem in {"__init__", "names", "registry"}:
            continue
        module = importlib.import_module(f"mitche.models.{path.stem}")
        for name in module.__all__:
            if name != "SPEC":
                exports[name] = getattr(module, name)
    return exports


def test_all_lists_every_public_name_once() -> None:
    """`__all__` has no duplicates and is exactly the modules' public names plus the registry's."""
    assert len(models.__all__) == len(set(models.__all__))
    assert set(models.__all__) == set(_module_exports()) | _REGISTRY_NAMES


def test_every_exported_name_is_the_module_object() -> None:
    """Each re-exported name is the very object its module defines (no shadowing between
    modules)."""
    for name, value in _module_exports().items():
        assert getattr(models, name) is value, name


def test_every_collection_module_is_reexported() -> None:
    """Each collection's model class is importable from `mitche.models`."""
    for collection in Collection:
        spec = importlib.import_module(f"mitche.models.{module_name(collection)}").SPEC
        assert getattr(models, spec.model.__name__) is spec.model
