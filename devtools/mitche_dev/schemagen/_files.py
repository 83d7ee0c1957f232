"""The set of generated files, and writing or checking them against a checkout."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from mitche.callables import CallableSpec
from mitche.models.registry import CollectionSpec
from mitche_dev import _generated
from mitche_dev._generated import Staleness
from mitche_dev.schemagen._callables import (
    CALLABLES_DIR,
    render_callable_declarations,
    render_callable_schemas,
)
from mitche_dev.schemagen._flows import render_flows
from mitche_dev.schemagen._jsonschema import render_json_schemas
from mitche_dev.schemagen._markdown import render_markdown
from mitche_dev.schemagen._schemaset import build_schema_set
from mitche_dev.schemagen._typescript import render_javascript, render_typescript

__all__ = ["SCHEMA_DIR", "Staleness", "find_stale", "generate", "write"]

SCHEMA_DIR: Final = "schema"
_JSON_DIR: Final = f"{SCHEMA_DIR}/json"
_JSON_SUFFIX: Final = ".schema.json"


def generate(
    specs: Iterable[CollectionSpec], callables: Sequence[CallableSpec[Any, Any]]
) -> dict[str, str]:
    """Every generated file's text, by path relative to the repository root, sorted by path.
    The callables are passed in (not read from the registry here) so that a caller generating
    from sample models gets only what it asked for."""
    schemas = build_schema_set(specs)
    files = {f"{_JSON_DIR}/{name}": text for name, text in render_json_schemas(schemas).items()}
    files[f"{SCHEMA_DIR}/mitche.d.ts"] = render_typescript(schemas)
    files[f"{SCHEMA_DIR}/mitche.js"] = render_javascript(schemas)
    files[f"{SCHEMA_DIR}/README.md"] = render_markdown(schemas)
    files[f"{SCHEMA_DIR}/flows.md"] = render_flows()
    files.update(render_callable_schemas(callables))
    files[f"{SCHEMA_DIR}/callables.d.ts"] = render_callable_declarations(schemas, callables)
    return dict(sorted(files.items()))


def _existing_json(root: Path) -> set[str]:
    found: set[str] = set()
    for folder in (_JSON_DIR, CALLABLES_DIR):
        if (root / folder).is_dir():
            found |= {
                f"{folder}/{path.name}"
                for path in (root / folder).iterdir()
                if path.name.endswith(_JSON_SUFFIX)
            }
    return found


def find_stale(root: Path, files: Mapping[str, str]) -> list[Staleness]:
    """The files under root that differ from the generated ones, sorted by path."""
    return _generated.find_stale(root, files, _existing_json(root))


def write(root: Path, files: Mapping[str, str]) -> list[Staleness]:
    """Bring the files under root up to date; returns what was changed or removed."""
    return _generated.write(root, files, _existing_json(root))
