"""The set of generated files of the client package, and writing or checking them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from mitche.models.registry import collection_specs
from mitche_dev import _generated
from mitche_dev._generated import Staleness
from mitche_dev.clientgen._callables import render_callables
from mitche_dev.clientgen._collections import document_writes, render_collections, render_schema
from mitche_dev.clientgen._derived import render_derived
from mitche_dev.clientgen._docs import render_docs
from mitche_dev.clientgen._flows import render_flows
from mitche_dev.clientgen._naming import HEADER
from mitche_dev.clientgen._queries import render_queries
from mitche_dev.schemagen import build_schema_set

__all__ = ["CLIENT_DIR", "find_stale", "generate", "write"]

CLIENT_DIR: Final = "clients/js"
_GENERATED_DIRS: Final = (f"{CLIENT_DIR}/src", f"{CLIENT_DIR}/docs/reference")
_RUNTIME: Final = Path(__file__).parent / "runtime"

_INDEX: Final = """\
export * from './client.js';
export * from './calls.js';
export * from './collections.js';
export * from './callables.js';
export * from './derived.js';
export * from './flows.js';
export * from './e2e.js';
export * from './geo.js';
export * from './paging.js';
export * from './queries.js';
export * from './schema.js';
export { schemas } from './schemas.js';
export * from './validate.js';
export * from './writes.js';
"""


def generate(root: Path) -> dict[str, str]:
    """Every generated file's text, by path relative to the repository root, sorted by path."""
    schemas = build_schema_set(collection_specs().values())
    writes = document_writes(schemas)
    src = f"{CLIENT_DIR}/src"
    files = {
        f"{src}/schema.ts": render_schema(schemas),
        f"{src}/collections.ts": render_collections(schemas),
        f"{src}/queries.ts": render_queries(schemas),
        f"{src}/callables.ts": render_callables(schemas, root / "functions" / "main.py"),
        f"{src}/flows.ts": render_flows(writes),
        f"{src}/derived.ts": HEADER + render_derived(),
        f"{src}/index.ts": HEADER + _INDEX,
    }
    standalone = json.dumps(schemas.standalone, indent=1, ensure_ascii=False, sort_keys=True)
    files[f"{src}/schemas.ts"] = (
        HEADER
        + "import type { JsonSchema } from './validate.js';\n\n"
        + "/** The JSON Schema of every document shape (schema/json), by path template. */\n"
        + f"export const schemas: Record<string, JsonSchema> = {standalone};\n"
    )
    for runtime in sorted(_RUNTIME.glob("*.ts")):
        files[f"{src}/{runtime.name}"] = HEADER + runtime.read_text(encoding="utf-8")
    for page, text in render_docs(schemas, writes).items():
        files[f"{CLIENT_DIR}/docs/reference/{page}"] = text
    return dict(sorted(files.items()))


def _existing(root: Path) -> set[str]:
    found: set[str] = set()
    for folder in _GENERATED_DIRS:
        base = root / folder
        if base.is_dir():
            found |= {p.relative_to(root).as_posix() for p in base.rglob("*") if p.is_file()}
    return found


def find_stale(root: Path, files: Mapping[str, str]) -> list[Staleness]:
    """The files under root that differ from the generated ones, sorted by path."""
    return _generated.find_stale(root, files, _existing(root))


def write(root: Path, files: Mapping[str, str]) -> list[Staleness]:
    """Bring the files under root up to date; returns what was changed or removed."""
    return _generated.write(root, files, _existing(root))
