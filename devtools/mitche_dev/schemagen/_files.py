"""The set of generated files, and writing or checking them against a checkout."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from mitche.models.registry import CollectionSpec
from mitche_dev.schemagen._flows import render_flows
from mitche_dev.schemagen._jsonschema import render_json_schemas
from mitche_dev.schemagen._markdown import render_markdown
from mitche_dev.schemagen._schemaset import build_schema_set
from mitche_dev.schemagen._typescript import render_javascript, render_typescript

__all__ = ["SCHEMA_DIR", "Staleness", "find_stale", "generate", "write"]

SCHEMA_DIR: Final = "schema"
_JSON_DIR: Final = f"{SCHEMA_DIR}/json"
_JSON_SUFFIX: Final = ".schema.json"


def generate(specs: Iterable[CollectionSpec]) -> dict[str, str]:
    """Every generated file's text, by path relative to the repository root, sorted by path."""
    schemas = build_schema_set(specs)
    files = {f"{_JSON_DIR}/{name}": text for name, text in render_json_schemas(schemas).items()}
    files[f"{SCHEMA_DIR}/mitche.d.ts"] = render_typescript(schemas)
    files[f"{SCHEMA_DIR}/mitche.js"] = render_javascript(schemas)
    files[f"{SCHEMA_DIR}/README.md"] = render_markdown(schemas)
    files[f"{SCHEMA_DIR}/flows.md"] = render_flows()
    return dict(sorted(files.items()))


def _existing_json(root: Path) -> set[str]:
    folder = root / _JSON_DIR
    if not folder.is_dir():
        return set()
    return {
        f"{_JSON_DIR}/{path.name}" for path in folder.iterdir() if path.name.endswith(_JSON_SUFFIX)
    }


@dataclass(frozen=True, slots=True)
class Staleness:
    """A generated file that does not match what the models produce."""

    path: str
    reason: str
    """`missing`, `differs`, or `obsolete` (no longer generated)."""

    def __str__(self) -> str:
        return f"{self.path} ({self.reason})"


def find_stale(root: Path, files: Mapping[str, str]) -> list[Staleness]:
    """The files under root that differ from the generated ones, sorted by path."""
    stale: list[Staleness] = []
    for relative, text in files.items():
        path = root / relative
        if not path.is_file():
            stale.append(Staleness(relative, "missing"))
        elif path.read_text(encoding="utf-8") != text:
            stale.append(Staleness(relative, "differs"))
    stale += [Staleness(extra, "obsolete") for extra in _existing_json(root) - set(files)]
    return sorted(stale, key=lambda item: item.path)


def write(root: Path, files: Mapping[str, str]) -> list[Staleness]:
    """Bring the files under root up to date; returns what was changed or removed."""
    changes = find_stale(root, files)
    for change in changes:
        path = root / change.path
        if change.reason == "obsolete":
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(files[change.path], encoding="utf-8", newline="\n")
    return changes
