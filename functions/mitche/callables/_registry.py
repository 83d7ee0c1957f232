"""The registry: every callable of functions/main.py, by name.

Each module named in `CALLABLE_MODULES` declares its callables in a module-level
`CALLABLES: tuple[CallableSpec, ...]`; `registry()` imports them (lazily, so the handler
modules may import this package) and refuses a name declared twice. functions/main.py
declares one `https_fn.on_call` function per entry, calling `mitche.triggers.callables.serve`
with its name; a test holds the two in step, and schemagen and clientgen generate the
contracts and the typed client from this registry.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Any, Final

from mitche.callables._spec import CallableSpec

__all__ = ["CALLABLE_MODULES", "registry"]

CALLABLE_MODULES: Final = (
    "mitche.handlers._decisions",
    "mitche.handlers._event_decisions",
    "mitche.handlers._review",
    "mitche.handlers._hub",
    "mitche.handlers._tapestry",
    "mitche.handlers._admin",
    "mitche.handlers._identity",
)
"""The modules declaring callables (each with a `CALLABLES` tuple)."""


@cache
def registry() -> Mapping[str, CallableSpec[Any, Any]]:
    """Every declared callable by name, sorted by name."""
    found: dict[str, CallableSpec[Any, Any]] = {}
    for module_name in CALLABLE_MODULES:
        declared = getattr(importlib.import_module(module_name), "CALLABLES", None)
        if not isinstance(declared, tuple) or not all(
            isinstance(spec, CallableSpec) for spec in declared
        ):
            raise LookupError(f"{module_name} declares no CALLABLES tuple of CallableSpec")
        for spec in declared:
            if spec.name in found:
                raise LookupError(f"callable {spec.name!r} is declared twice")
            found[spec.name] = spec
    return MappingProxyType(dict(sorted(found.items())))
